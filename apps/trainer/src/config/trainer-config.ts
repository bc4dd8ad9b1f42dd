import { hostname } from "node:os";
import { QUEUES, type QueueName } from "@mammo/jobs";
import { BACKEND_NAMES, type BackendName } from "@mammo/ml-core";

/** What to do with an image that cannot be decoded (or is quarantined): stop, or leave it out and count it. */
export type UnreadableImagePolicy = "fail" | "skip";

export type TrainerConfig = {
  /** Shown in logs and stored in each finished job's output. */
  workerId: string;
  /** null = the best available (ml-core's setupBackend order). */
  backend: BackendName | null;
  /** Queues this worker takes, in the order it looks at them (short jobs first). */
  queues: QueueName[];
  pollIntervalMs: number;
  /** How often the worker looks for jobs whose worker died (see queue/job-lease.ts). */
  reapIntervalMs: number;
  /** A job must have been active this long before it can be judged abandoned. */
  leaseGraceSeconds: number;
  /** A train job gives itself back to the queue after this long (at an epoch end), to stay far below pg-boss's expiry. */
  sliceSeconds: number;
  unreadableImages: UnreadableImagePolicy;
  /** Filled into runs whose parameters ask for ImageNet weights without naming a file. */
  imagenetWeightsPath: string | null;
};

// PACS imports first: they wait on the network, not the CPU, and a user watches their progress.
const DEFAULT_QUEUES: QueueName[] = [
  QUEUES.pacsImport,
  QUEUES.concordance,
  QUEUES.infer,
  QUEUES.evaluate,
  QUEUES.train,
];

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

export function parseBackend(raw: string | undefined, source: string): BackendName | null {
  if (raw === undefined || raw === "" || raw === "auto") return null;
  if (!(BACKEND_NAMES as readonly string[]).includes(raw))
    throw new Error(`${source} must be one of auto, ${BACKEND_NAMES.join(", ")} (got ${raw})`);
  return raw as BackendName;
}

export function parseQueues(raw: string | undefined, source: string): QueueName[] {
  if (!raw) return [...DEFAULT_QUEUES];
  const names = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const known = Object.values(QUEUES) as string[];
  for (const name of names)
    if (!known.includes(name)) throw new Error(`${source}: unknown queue ${name} (known: ${known.join(", ")})`);
  return DEFAULT_QUEUES.filter((q) => names.includes(q));
}

export function parseUnreadablePolicy(raw: string | undefined, source: string): UnreadableImagePolicy {
  if (raw === undefined || raw === "" || raw === "fail") return "fail";
  if (raw === "skip") return "skip";
  throw new Error(`${source} must be "fail" or "skip" (got ${raw})`);
}

/** The worker's settings from TRAINER_* variables; a bad value stops start-up with one line naming it. */
export function trainerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TrainerConfig {
  return {
    workerId: env.TRAINER_WORKER_ID || `${hostname()}:${process.pid}`,
    backend: parseBackend(env.TRAINER_BACKEND, "TRAINER_BACKEND"),
    queues: parseQueues(env.TRAINER_QUEUES, "TRAINER_QUEUES"),
    pollIntervalMs: positiveNumber(env, "TRAINER_POLL_INTERVAL_MS", 1000),
    reapIntervalMs: positiveNumber(env, "TRAINER_REAP_INTERVAL_MS", 10_000),
    leaseGraceSeconds: positiveNumber(env, "TRAINER_LEASE_GRACE_SECONDS", 30),
    sliceSeconds: positiveNumber(env, "TRAINER_SLICE_SECONDS", 3 * 3600),
    unreadableImages: parseUnreadablePolicy(env.TRAINER_UNREADABLE_IMAGES, "TRAINER_UNREADABLE_IMAGES"),
    imagenetWeightsPath: env.IMAGENET_WEIGHTS_PATH || null,
  };
}
