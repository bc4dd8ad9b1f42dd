import { createHash } from "node:crypto";
import pg from "pg";

/*
 * Leases: how a crashed job is taken up again at once while a long healthy one is never taken twice.
 *
 * pg-boss has no heartbeat: an active job stays active until its expiry (hours, so that a long
 * epoch is not cut off). So each worker holds, for every job it runs, a PostgreSQL session-level
 * advisory lock on the job's unit of work (e.g. "train/<run>/<fold>"), on a connection of its own.
 * The lock lives exactly as long as that connection: when the worker process dies (kill -9,
 * power loss, a network cut), PostgreSQL ends the session and the lock is gone within seconds.
 * Every worker's reaper regularly lists active jobs and tests their unit's lock: a job that has
 * been active longer than a short grace (the moment between fetching a job and taking its lock)
 * and whose lock is free has lost its worker, and is failed back to the queue, where pg-boss
 * retries it after its retry delay. A healthy job keeps its lock for as long as it runs, however
 * long, so no reaper ever touches it. Jobs are idempotent besides (unique keys, checkpoints), so
 * even a job taken up twice by a race could not publish twice.
 */

/** The advisory-lock key of a unit of work: the first 8 bytes of its sha256, as a signed 64-bit integer. */
export function leaseKey(unit: string): string {
  return createHash("sha256").update(unit).digest().readBigInt64BE(0).toString();
}

export type LeaseHolder = {
  /** Takes the unit's lock if no other session holds it. */
  tryAcquire(unit: string): Promise<boolean>;
  release(unit: string): Promise<void>;
  /** False once the connection (and with it every lock) is lost or closed. */
  isHealthy(): boolean;
  close(): Promise<void>;
};

/** A dedicated connection that holds this worker's leases. `onLost` is called if it breaks. */
export async function openLeaseHolder(databaseUrl: string, onLost: (error: Error) => void): Promise<LeaseHolder> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    keepAlive: true,
    application_name: "mammo-trainer-lease",
  });
  let healthy = true;
  let closing = false;
  const lost = (error: Error) => {
    if (!healthy || closing) return;
    healthy = false;
    onLost(error);
  };
  client.on("error", lost);
  client.on("end", () => lost(new Error("the lease connection closed")));
  await client.connect();
  return {
    async tryAcquire(unit) {
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [
        leaseKey(unit),
      ]);
      return rows[0]!.ok;
    },
    async release(unit) {
      if (healthy) await client.query("SELECT pg_advisory_unlock($1::bigint)", [leaseKey(unit)]);
    },
    isHealthy: () => healthy,
    async close() {
      closing = true;
      healthy = false; // a closed holder holds nothing: the worker's loop opens a new one
      // Ending a connection that already broke can reject; either way the session, and every
      // lock it held, is gone, which is all that closing is for.
      await client.end().catch(() => {});
    },
  };
}

/** True when no session holds the unit's lock. Takes and drops it in one statement (safe on a pooled connection). */
export const IS_LEASE_FREE_SQL =
  "SELECT CASE WHEN pg_try_advisory_lock($1::bigint) THEN pg_advisory_unlock($1::bigint) ELSE false END AS free";
