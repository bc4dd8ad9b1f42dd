import type { Tx } from "@mammo/db";

/**
 * Serialises transactions that name the same key: each key's PostgreSQL advisory lock is held
 * until the transaction ends. Keys are taken in sorted order, so two transactions never wait on
 * each other in a cycle. For count-check-insert rules (limits, caps) that must hold under
 * concurrent requests.
 */
export async function lockKeys(tx: Tx, keys: readonly string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort())
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key);
}
