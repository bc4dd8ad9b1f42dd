import type { Db } from "@mammo/db";
import { z } from "zod";
import { dummyPasswordHash, verifyPassword } from "../../auth/password.ts";
import { AppError } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { lockKeys } from "../../lib/advisory-lock.ts";
import { startSession } from "./session.service.ts";

const WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

const loginInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(512),
});

/**
 * Checks credentials for the web app's sign-in (next-auth calls this). Failed attempts are
 * limited per account and per client address within a 15-minute window. The limit holds under
 * parallel requests: an attempt is first reserved (recorded as a failure) under locks on the
 * account and the address, so no more attempts than the limits allow ever reach the password
 * check; a right password then marks its attempt a success and starts a server-side session.
 */
export async function login(db: Db, input: { email: string; password: string }, clientIp: string) {
  const { email, password } = parseInput(loginInput, input);
  const attemptId = await reserveAttempt(db, email, clientIp);
  const user = await db.user.findUnique({ where: { email } });
  const isValid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(await dummyPasswordHash(), password), false);
  if (!user || !isValid || user.disabledAt) throw new AppError("UNAUTHENTICATED", "wrong email or password");
  return db.$transaction(async (tx) => {
    await tx.loginAttempt.update({ where: { id: attemptId }, data: { isSuccess: true } });
    return { user, session: await startSession(tx, user.id, "password") };
  });
}

const BURST_WAIT = { maxWait: 60_000, timeout: 60_000 };

async function reserveAttempt(db: Db, email: string, clientIp: string): Promise<bigint> {
  return db.$transaction(async (tx) => {
    await lockKeys(tx, [`login/account/${email}`, `login/address/${clientIp}`]);
    const since = new Date(Date.now() - WINDOW_MS);
    const [byAccount, byAddress] = await Promise.all([
      tx.loginAttempt.count({ where: { email, isSuccess: false, at: { gte: since } } }),
      tx.loginAttempt.count({ where: { ipAddress: clientIp, isSuccess: false, at: { gte: since } } }),
    ]);
    if (byAccount >= MAX_FAILURES_PER_ACCOUNT || byAddress >= MAX_FAILURES_PER_ADDRESS) {
      throw new AppError("RATE_LIMITED", "too many failed sign-in attempts; try again in 15 minutes");
    }
    return (await tx.loginAttempt.create({ data: { email, ipAddress: clientIp, isSuccess: false } })).id;
    // A burst of attempts for one account queues on the lock: each waits its turn (refused, not failed).
  }, BURST_WAIT);
}
