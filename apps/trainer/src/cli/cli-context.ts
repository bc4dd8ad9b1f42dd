import { hostname } from "node:os";
import { repoRoot, resolveDatabase, type ResolvedDatabase } from "@mammo/db";
import { parseBackend, parseUnreadablePolicy, trainerConfigFromEnv } from "../config/trainer-config.ts";
import { createTrainerServices } from "../create-services.ts";
import type { TrainerServices } from "../services.ts";

export class CliError extends Error {}

export type CommonFlags = { backend?: string; "unreadable-images"?: string };

/** Database and services for a CLI command; `--backend` and `--unreadable-images` override the environment. */
export async function openCli(
  flags: CommonFlags,
  log: (line: string) => void,
): Promise<{ services: TrainerServices; database: ResolvedDatabase; workerId: string; close: () => Promise<void> }> {
  const env = trainerConfigFromEnv();
  const config = {
    ...env,
    backend: flags.backend !== undefined ? parseBackend(flags.backend, "--backend") : env.backend,
    unreadableImages:
      flags["unreadable-images"] !== undefined
        ? parseUnreadablePolicy(flags["unreadable-images"], "--unreadable-images")
        : env.unreadableImages,
    workerId: `cli:${hostname()}:${process.pid}`,
  };
  const database = await resolveDatabase({ rootDir: repoRoot, log });
  const services = await createTrainerServices(database.url, config, { log });
  return {
    services,
    database,
    workerId: config.workerId,
    close: async () => {
      await services.db.$disconnect();
      await database.stop();
    },
  };
}

export function parseJsonFlag(value: string | undefined, flag: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`${flag} must be a JSON object, e.g. '{"epochs": 10}' (${(error as Error).message})`);
  }
}
