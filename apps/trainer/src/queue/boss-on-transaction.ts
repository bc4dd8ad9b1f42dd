import type { Tx } from "@mammo/db";

// pg-boss binds parameters as node-postgres does (objects as JSON); Prisma's raw queries take
// JSON as text, arrays as PostgreSQL arrays, and no `undefined`.
const toSqlValue = (value: unknown) => {
  if (value === undefined) return null;
  if (value === null || Array.isArray(value) || value instanceof Date || typeof value !== "object") return value;
  return JSON.stringify(value);
};

/**
 * pg-boss's database interface over a Prisma transaction: `boss.send(..., { db })` and
 * `boss.complete(..., { db })` then commit or roll back together with the rows the job wrote.
 */
export function bossOnTransaction(tx: Tx) {
  return {
    executeSql: async (text: string, values: unknown[] = []) => ({
      rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values.map(toSqlValue)),
    }),
  };
}
