// `npm run mini-mias:manifest -- [--dir ../shared/data/mini-mias] [--out .data/mini-mias-manifest.csv]`
// Writes an import manifest for the mini-MIAS development set (the images are not copied).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "@mammo/db";
import { miniMiasManifest } from "../mini-mias/mini-mias-manifest.ts";

const { values } = parseArgs({ options: { dir: { type: "string" }, out: { type: "string" } } });
const dir = path.resolve(values.dir ?? path.join(repoRoot, "..", "shared", "data", "mini-mias"));
const out = path.resolve(values.out ?? path.join(repoRoot, ".data", "mini-mias-manifest.csv"));
const labels = await readFile(path.join(dir, "labels.csv"), "utf8").catch(() => {
  console.error(`mini-mias: ${path.join(dir, "labels.csv")} not found; pass --dir <mini-MIAS folder>`);
  process.exit(1);
});
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, miniMiasManifest(labels));
console.log(
  `wrote ${out}\nimport with: npm run import -- --site CODE --as EMAIL --manifest ${path.relative(process.cwd(), out)} --dir ${path.relative(process.cwd(), dir)}`,
);
