// Debian's DICOM validators, run on the objects the platform writes: dciodvfy (dicom3tools)
// checks the IOD, dsrdump (dcmtk) parses a Structured Report's content tree.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const TOOLS = ["/usr/bin/dciodvfy", "/usr/bin/dsrdump"];

export function validatorsMissing(): string | null {
  const missing = TOOLS.filter((t) => !existsSync(t));
  if (missing.length === 0) return null;
  const reason = `${missing.join(", ")} missing: apt-get install dicom3tools dcmtk`;
  if (process.env.CI) throw new Error(`${reason}; CI must validate the DICOM results`);
  console.warn(`skipping DICOM validation: ${reason}`);
  return reason;
}

async function withFile<T>(bytes: Uint8Array, run: (file: string) => T): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mammo-dicom-check-"));
  try {
    const file = path.join(dir, "object.dcm");
    await writeFile(file, bytes);
    return run(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** dciodvfy's report: its "Error" lines (must be none) and its warnings. */
export const dciodvfy = (bytes: Uint8Array) =>
  withFile(bytes, (file) => {
    const run = spawnSync("/usr/bin/dciodvfy", [file], { encoding: "utf8" });
    const lines = `${run.stdout}${run.stderr}`.split("\n").filter(Boolean);
    return { errors: lines.filter((l) => /^Error/.test(l)), warnings: lines.filter((l) => /^Warning/.test(l)), lines };
  });

/** dsrdump's rendering of the content tree; status 0 when dcmtk parsed the whole document. */
export const dsrdump = (bytes: Uint8Array) =>
  withFile(bytes, (file) => {
    const run = spawnSync("/usr/bin/dsrdump", ["+Pc", "+Pl", file], { encoding: "utf8" });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  });
