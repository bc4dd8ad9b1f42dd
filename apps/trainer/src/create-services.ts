import { createPrismaClient, repoRoot } from "@mammo/db";
import { createBlobStoreFromEnv, type BlobStore } from "@mammo/storage";
import type { TrainerConfig } from "./config/trainer-config.ts";
import { createImageLoader } from "./data/image-loader.ts";
import { setupBackend } from "./ml/ml-core.ts";
import type { TrainerServices } from "./services.ts";
import { codeRevision } from "./shared/code-revision.ts";

/** The services of a worker or CLI process: database, blob store, TensorFlow.js backend, code revision. */
export async function createTrainerServices(
  databaseUrl: string,
  config: TrainerConfig,
  options: { blobs?: BlobStore; log?: (line: string) => void } = {},
): Promise<TrainerServices> {
  const backend = await setupBackend(config.backend ?? undefined, options.log);
  const blobs = options.blobs ?? createBlobStoreFromEnv(repoRoot);
  return {
    db: createPrismaClient(databaseUrl, { maxConnections: 4 }),
    blobs,
    loadInput: createImageLoader(blobs),
    config,
    backend,
    codeRevision: await codeRevision(),
  };
}
