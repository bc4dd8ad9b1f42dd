import { hostname } from "node:os";
import { repoRoot, resolveDatabase, type Db, type ResolvedDatabase, type Role } from "@mammo/db";
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

/** The user a command acts as (`--as EMAIL`), who must hold `role` at `siteId`. */
export async function actingUser(
  db: Db,
  email: string | undefined,
  siteId: string,
  role: Role,
): Promise<{ id: string; email: string }> {
  if (!email) throw new CliError("--as EMAIL is required: the user the request is recorded for");
  const user = await db.user.findUnique({ where: { email: email.toLowerCase() }, include: { memberships: true } });
  if (!user || user.disabledAt) throw new CliError(`--as: no active user ${email}`);
  if (!user.memberships.some((m) => m.siteId === siteId && m.role === role)) {
    const site = await db.site.findUnique({ where: { id: siteId } });
    throw new CliError(`--as: ${email} is not ${role} at site ${site?.code ?? siteId}`);
  }
  return { id: user.id, email: user.email };
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
