import type { Db } from "@mammo/db";
import type { BlobStore } from "@mammo/storage";
import type { TrainerConfig } from "./config/trainer-config.ts";
import type { ImageLoader } from "./data/image-loader.ts";
import type { BackendInfo } from "./ml/ml-core.ts";

/** What every job handler works with. */
export type TrainerServices = {
  db: Db;
  blobs: BlobStore;
  loadInput: ImageLoader;
  config: TrainerConfig;
  backend: BackendInfo;
  codeRevision: string;
};
