import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot, resolveDatabase, createPrismaClient, type Db } from "@mammo/db";
import { createBlobStoreFromEnv } from "@mammo/storage";
import { readTarFiles, referenceExportFiles } from "../ml/ml-core.ts";
import { readEnsembleArtifact } from "../registry/ensemble-artifact.ts";
import { authorizeExportCommand } from "./cli-access.ts";
import { CliError } from "./cli-context.ts";
import { renderModelCard, type ModelCardInput } from "./model-card.ts";

/** Everything a model card says about a model version, from the database. */
export async function modelCardInput(db: Db, modelVersionId: string): Promise<ModelCardInput> {
  const model = await db.modelVersion.findUnique({
    where: { id: modelVersionId },
    include: { datasetVersion: { include: { dataset: true } }, aliases: true, pretrainedWeights: true },
  });
  if (!model) throw new CliError(`--model-version: no model version ${modelVersionId}`);
  const counts = await db.datasetItem.groupBy({
    by: ["split", "subtype"],
    where: { datasetVersionId: model.datasetVersionId },
    _count: true,
  });
  const siteIds = await db.datasetItem.findMany({
    where: { datasetVersionId: model.datasetVersionId },
    distinct: ["siteId"],
    select: { siteId: true },
  });
  const sites = await db.site.findMany({ where: { id: { in: siteIds.map((s) => s.siteId) } }, select: { code: true } });
  return {
    name: model.name,
    version: model.version,
    createdAt: model.createdAt,
    classNames: model.classNames,
    inputSizePx: model.inputSizePx,
    preset: model.preset,
    params: model.params as Record<string, unknown>,
    seed: model.seed,
    backend: model.backend,
    codeRevision: model.codeRevision,
    trainingStartedAt: model.trainingStartedAt,
    trainingFinishedAt: model.trainingFinishedAt,
    dataset: {
      name: model.datasetVersion.dataset.name,
      version: model.datasetVersion.version,
      digest: model.datasetDigest,
      sites: sites.map((s) => s.code).sort(),
      counts: counts.map((c) => ({ split: c.split, subtype: c.subtype, images: c._count })),
    },
    metrics: model.metrics as ModelCardInput["metrics"],
    aliases: model.aliases.map((a) => a.alias).sort(),
    pretrainedWeights: model.pretrainedWeights,
  };
}

/**
 * `export`: a model version's artifact as stored (model.tar), each fold model as a TF.js layers
 * directory (fold-<k>/model.json + weights.bin, loadable with tf.loadLayersModel), the
 * preprocessing as data (preprocessing.json) with its implementation (model-input.ts) and a
 * reference script (predict.ts: the ensemble's probabilities for an image, without the platform),
 * the metrics as JSON and a model card (model-card.md).
 */
export async function exportModelVersion(
  db: Db,
  blobs: ReturnType<typeof createBlobStoreFromEnv>,
  modelVersionId: string,
  outDir: string,
): Promise<string[]> {
  const card = await modelCardInput(db, modelVersionId);
  const model = await db.modelVersion.findUniqueOrThrow({ where: { id: modelVersionId } });
  const bytes = await blobs.get(model.artifactKey);
  const { manifest, files } = readEnsembleArtifact(bytes);
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const write = async (name: string, data: Uint8Array | string) => {
    const file = path.join(outDir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, data);
    written.push(file);
  };
  await write("model.tar", bytes);
  for (const m of manifest.models) {
    for (const [name, data] of readTarFiles(files.get(m.file)!.slice(), m.file))
      await write(path.join(`fold-${m.fold}`, name), data);
  }
  await write("ensemble.json", JSON.stringify(manifest, null, 2));
  for (const [name, text] of await referenceExportFiles(manifest.preprocessing)) await write(name, text);
  await write("metrics.json", JSON.stringify(model.metrics, null, 2));
  await write("model-card.md", renderModelCard(card));
  return written;
}

export async function exportCommand(flags: Record<string, string | undefined>): Promise<number> {
  if (!flags.out) throw new CliError("--out DIR is required");
  const database = await resolveDatabase({ rootDir: repoRoot });
  const db = createPrismaClient(database.url, { maxConnections: 2 });
  try {
    const model = await authorizeExportCommand(db, flags);
    const written = await exportModelVersion(db, createBlobStoreFromEnv(repoRoot), model.id, path.resolve(flags.out));
    for (const file of written) console.log(`[trainer] wrote ${path.relative(process.cwd(), file)}`);
    return 0;
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}
