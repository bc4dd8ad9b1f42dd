import { createTestDatabase, type TestDatabase } from "@mammo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IS_LEASE_FREE_SQL, leaseKey, openLeaseHolder, type LeaseHolder } from "./job-lease.ts";
import { releaseLease } from "./worker-loop.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const isFree = async (unit: string) =>
  (await database.db.$queryRawUnsafe<{ free: boolean }[]>(IS_LEASE_FREE_SQL, leaseKey(unit)))[0]!.free;

describe("releaseLease", () => {
  it("gives the unit back after a job", async () => {
    const lease = await openLeaseHolder(database.url, () => {});
    const lines: string[] = [];
    expect(await lease.tryAcquire("train/run-a/0")).toBe(true);
    expect(await isFree("train/run-a/0")).toBe(false);
    await releaseLease(lease, "train/run-a/0", (line) => lines.push(line));
    expect(await isFree("train/run-a/0")).toBe(true);
    expect(lease.isHealthy()).toBe(true);
    expect(lines).toEqual([]);
    await lease.close();
  });

  it("says so and drops the lock with its connection when the unlock fails, so no other worker is kept from the unit", async () => {
    const lease = await openLeaseHolder(database.url, () => {});
    expect(await lease.tryAcquire("train/run-b/0")).toBe(true);
    // The real lock on a real connection; only the unlock fails, as when the connection breaks in
    // the middle of it (a moment a test cannot time).
    const failingUnlock: LeaseHolder = {
      ...lease,
      release: () => Promise.reject(new Error("Connection terminated unexpectedly")),
    };
    const lines: string[] = [];
    await releaseLease(failingUnlock, "train/run-b/0", (line) => lines.push(line));
    expect(lines).toEqual([
      "train/run-b/0: could not release its lease (Connection terminated unexpectedly); closing the lease connection to drop it",
    ]);
    expect(await isFree("train/run-b/0")).toBe(true);
    expect(lease.isHealthy()).toBe(false); // the worker's loop opens a new lease connection before its next job
  });
});
