import type { Db } from "@mammo/db";
import type { BlobStore } from "@mammo/storage";
import { isDatabaseEmpty, seedDemo } from "./demo-seed.ts";

export type DemoSeedRequest = {
  /** The embedded PostgreSQL of `npm start` (a local, throw-away installation). */
  isEmbedded: boolean;
  /** `--demo` on the command line. */
  hasDemoFlag: boolean;
  /** DEMO_SEED: "1" asks for the demo data, "0" refuses it even on the embedded database. */
  demoSeedEnv?: string;
};

/**
 * Whether an empty database gets the demo data (accounts with the published password
 * `demo-password`, one of them ADMIN): by default only the embedded database; a DATABASE_URL
 * only when asked for explicitly (`--demo` or DEMO_SEED=1), so a production database is never
 * given known credentials by starting the platform on it.
 */
export function isDemoSeedWanted(request: DemoSeedRequest): boolean {
  if (request.hasDemoFlag || request.demoSeedEnv === "1") return true;
  if (request.demoSeedEnv === "0") return false;
  return request.isEmbedded;
}

/** Seeds the demo data into an empty database when `isDemoSeedWanted`; says what it did. Returns whether it seeded. */
export async function seedDemoIfWanted(
  db: Db,
  blobs: BlobStore,
  request: DemoSeedRequest,
  log: (line: string) => void,
): Promise<boolean> {
  if (!(await isDatabaseEmpty(db))) return false;
  if (!isDemoSeedWanted(request)) {
    log(
      request.isEmbedded
        ? "empty database: no demo data (DEMO_SEED=0)"
        : "empty database at DATABASE_URL: no demo data seeded (its accounts have a published password); to seed it anyway: --demo or DEMO_SEED=1",
    );
    return false;
  }
  log("empty database: seeding demo data");
  await seedDemo(db, blobs, log);
  return true;
}
