// Dev-only helper: prints the SQL that turns datamodel FROM into datamodel TO, using Prisma
// 6.19's WebAssembly schema engine (Prisma 7's CLI needs a native engine it cannot download
// here). Usage: node diff.mjs <from.prisma|--empty> <to.prisma> <databaseUrl>
// The engine opens (but does not change) the database given, so a running PostgreSQL is needed.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const [from, to, databaseUrl] = process.argv.slice(2);
if (!from || !to || !databaseUrl) {
  console.error("usage: node diff.mjs <from.prisma|--empty> <to.prisma> <databaseUrl>");
  process.exit(2);
}
const work = path.join(here, "work");
mkdirSync(work, { recursive: true });

// Prisma 6 wants the url inside the datasource block, and no Prisma 7-only generator options.
function toPrisma6(schemaText) {
  return schemaText
    .replace(/generator\s+client\s*\{[^}]*\}/, "")
    .replace(/provider\s*=\s*"postgresql"/, `provider = "postgresql"\n  url = "${databaseUrl}"`);
}
const toPath = path.join(work, "to.prisma");
writeFileSync(toPath, toPrisma6(readFileSync(to, "utf8")));
let fromArgs = ["--from-empty"];
if (from !== "--empty") {
  const fromPath = path.join(work, "from.prisma");
  writeFileSync(fromPath, toPrisma6(readFileSync(from, "utf8")));
  fromArgs = ["--from-schema-datamodel", fromPath];
}
writeFileSync(
  path.join(work, "prisma.config.ts"),
  `import { PrismaPg } from "@prisma/adapter-pg";
export default {
  experimental: { adapter: true },
  engine: "js",
  schema: "to.prisma",
  adapter: async () => new PrismaPg({ connectionString: ${JSON.stringify(databaseUrl)} }),
};
`,
);
const out = execFileSync(
  path.join(here, "node_modules/.bin/prisma"),
  ["migrate", "diff", ...fromArgs, "--to-schema-datamodel", toPath, "--script"],
  {
    cwd: work,
    env: { ...process.env, PRISMA_QUERY_ENGINE_LIBRARY: "/bin/true", PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  },
);
process.stdout.write(out.replace(/^Loaded Prisma config.*\n/m, ""));
