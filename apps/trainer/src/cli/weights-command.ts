import { readFile } from "node:fs/promises";
import path from "node:path";
import { hasRole, loadActorByEmail } from "@mammo/access";
import { createPrismaClient, repoRoot, resolveDatabase } from "@mammo/db";
import { PretrainedWeightsError, registerPretrainedWeights } from "@mammo/pretrained-weights";
import { createBlobStoreFromEnv } from "@mammo/storage";
import { CliError } from "./cli-context.ts";

/**
 * `weights add`: registers a Keras .h5 weights file at a site (checked, stored content-addressed,
 * listed with its digest, source and licence); training runs then name it by id. `weights list`.
 * The file is read here, on the operator's machine: workers and the API only ever see the blob.
 */
export async function weightsCommand(sub: string | undefined, flags: Record<string, string | undefined>) {
  if (sub !== "add" && sub !== "list") throw new CliError("weights: add or list");
  if (!flags.site) throw new CliError("--site CODE is required");
  const database = await resolveDatabase({ rootDir: repoRoot });
  const db = createPrismaClient(database.url, { maxConnections: 2 });
  try {
    const site = await db.site.findUnique({ where: { code: flags.site } });
    if (!site) throw new CliError(`--site: no site ${flags.site}`);
    if (sub === "list") {
      const rows = await db.pretrainedWeights.findMany({ where: { siteId: site.id }, orderBy: { createdAt: "desc" } });
      for (const w of rows)
        console.log(
          `${w.id}  ${w.name}  sha256 ${w.sha256}  ${w.sizeBytes} bytes  source: ${w.source}  licence: ${w.licence}`,
        );
      if (rows.length === 0) console.log(`[trainer] no weights registered at ${site.code}`);
      return 0;
    }
    if (!flags.file) throw new CliError("--file PATH.h5 is required");
    // The API's rule (POST /pretrained-weights): ML engineers of the site.
    if (!flags.as) throw new CliError("--as EMAIL is required");
    const actor = await loadActorByEmail(db, flags.as, "--as");
    if (!hasRole(actor, site.id, "ML_ENGINEER"))
      throw new CliError(`--as: ${flags.as} is not an ML engineer at ${site.code}`);
    const user = { id: actor.userId };
    let bytes: Buffer;
    try {
      bytes = await readFile(flags.file);
    } catch (error) {
      throw new CliError(`--file: cannot read ${flags.file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    const row = await registerPretrainedWeights(db, createBlobStoreFromEnv(repoRoot), {
      siteId: site.id,
      actorId: user.id,
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      fileName: path.basename(flags.file),
      name: flags.name,
      source: flags.source ?? "",
      licence: flags.licence ?? "",
    }).catch((error: unknown) => {
      throw error instanceof PretrainedWeightsError ? new CliError(error.message) : error;
    });
    console.log(
      `[trainer] registered weights ${row.id}: "${row.name}" sha256 ${row.sha256} (${row.layers.length} layers)`,
    );
    return 0;
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}
