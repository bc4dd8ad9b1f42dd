import type { Db } from "@mammo/db";
import { z } from "zod";
import { dummyPasswordHash, verifyPassword } from "../../auth/password.ts";
import { AppError } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";

const WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

const loginInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(512),
});

/**
 * Checks credentials for the web app's sign-in (next-auth calls this). Failed attempts are
 * limited per account and per client address within a 15-minute window.
 */
export async function login(db: Db, input: { email: string; password: string }, clientIp: string) {
  const { email, password } = parseInput(loginInput, input);
  const since = new Date(Date.now() - WINDOW_MS);
  const [byAccount, byAddress] = await Promise.all([
    db.loginAttempt.count({ where: { email, isSuccess: false, at: { gte: since } } }),
    db.loginAttempt.count({ where: { ipAddress: clientIp, isSuccess: false, at: { gte: since } } }),
  ]);
  if (byAccount >= MAX_FAILURES_PER_ACCOUNT || byAddress >= MAX_FAILURES_PER_ADDRESS) {
    throw new AppError("RATE_LIMITED", "too many failed sign-in attempts; try again in 15 minutes");
  }
  const user = await db.user.findUnique({ where: { email } });
  const isValid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(await dummyPasswordHash(), password), false);
  const isSuccess = Boolean(user && isValid && !user.disabledAt);
  await db.loginAttempt.create({ data: { email, ipAddress: clientIp, isSuccess } });
  if (!isSuccess || !user) throw new AppError("UNAUTHENTICATED", "wrong email or password");
  return user;
}
