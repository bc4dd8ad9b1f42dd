// `npm run db:new-migration -- <name> [--from <old schema.prisma>]`
// Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that turns the old
// datamodel (default: schema.prisma as committed at HEAD) into the current one. Prisma 7's
// migration engine cannot run offline, so this uses Prisma 6.19's WebAssembly engine from
// tools/prisma-diff (installed from the npm registry on first use). Review the SQL, add any
// CHECKs or triggers by hand, then run `npm run db:migrate` and the drift test.
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot, startEmbeddedPostgres } from "@mammo/db";
import { findFreePort } from "@mammo/db/testing";

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith("--"));
const fromIndex = args.indexOf("--from");
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <snake_case_name> [--from <old schema.prisma>]");
  process.exit(2);
}
const tool = path.join(repoRoot, "tools/prisma-diff");
if (!existsSync(path.join(tool, "node_modules/.bin/prisma"))) {
  console.log("installing the diff tool (Prisma 6.19) into tools/prisma-diff…");
  execFileSync("npm", ["install", "--no-package-lock", "--no-audit", "--no-fund"], { cwd: tool, stdio: "inherit" });
}

const work = mkdtempSync(path.join(os.tmpdir(), "mammo-diff-"));
chmodSync(work, 0o755);
let from = fromIndex >= 0 ? args[fromIndex + 1]! : path.join(work, "from.prisma");
if (fromIndex < 0) {
  try {
    writeFileSync(from, execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { cwd: repoRoot }));
  } catch {
    from = "--empty";
  }
}

// The WebAssembly engine opens a database connection (it changes nothing): a throw-away cluster.
const server = await startEmbeddedPostgres({
  dataDir: path.join(work, "pg"),
  port: await findFreePort(),
  database: "diff",
  password: randomBytes(18).toString("base64url"), // a throw-away cluster
  isEphemeral: true,
});
try {
  const sql = execFileSync(
    "node",
    [path.join(tool, "diff.mjs"), from, path.join(repoRoot, "prisma/schema.prisma"), server.url],
    {
      encoding: "utf8",
    },
  );
  if (!sql.trim() || /^-- This is an empty migration/m.test(sql)) {
    console.log("schema.prisma has no changes against the old datamodel: no migration written");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(repoRoot, "prisma/migrations", `${stamp}_${name}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`wrote ${path.relative(repoRoot, dir)}/migration.sql`);
  }
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
