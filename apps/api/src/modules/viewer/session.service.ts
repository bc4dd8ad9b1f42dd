import type { Db, Tx } from "@mammo/db";
import { z } from "zod";
import { hashPassword, passwordSchema, verifyPassword } from "../../auth/password.ts";
import type { Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAccountAudit } from "../audit/audit.service.ts";

/** A web session ends this long after sign-in at the latest, however active it is. */
export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;
/** Minting an API token needs a session signed in this recently (a stolen old cookie cannot). */
export const FRESH_SESSION_MS = 15 * 60 * 1000;

export type SessionMethod = "password" | "oidc";

/** A new server-side session for a user who just proved who they are; its id goes into the session token. */
export function startSession(db: Db | Tx, userId: string, method: SessionMethod) {
  return db.session.create({ data: { userId, method, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_MS) } });
}

/** Revokes a user's live sessions (all, or all but one): refused from their next request on. */
export async function revokeSessionsOfUser(tx: Tx, userId: string, options: { except?: string } = {}) {
  const { count } = await tx.session.updateMany({
    where: { userId, revokedAt: null, ...(options.except ? { id: { not: options.except } } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}

/** Sign-out: the session of this request ends on the server, whatever copies of its token exist. */
export async function endSession(db: Db, viewer: Viewer): Promise<boolean> {
  if (!viewer.session) throw forbidden("signing out ends a web session; revoke an API token with revokeApiToken");
  await db.session.updateMany({ where: { id: viewer.session.id, revokedAt: null }, data: { revokedAt: new Date() } });
  return true;
}

/** Refuses unless the request's web session was signed in within FRESH_SESSION_MS. */
export function assertFreshSession(viewer: Viewer, what: string): void {
  if (!viewer.session) throw forbidden(`${what} needs a signed-in web session, not an API token`);
  if (Date.now() - viewer.session.createdAt.getTime() > FRESH_SESSION_MS)
    throw forbidden(
      `${what} needs a recent sign-in: sign out and in again (within ${FRESH_SESSION_MS / 60_000} minutes)`,
    );
}

const changePasswordInput = z.object({
  currentPassword: z.string().min(1, "required").max(512),
  newPassword: passwordSchema,
});

/**
 * Changes the viewer's own password (from a web session, with the current password) and signs
 * out every other session of the account.
 */
export async function changePassword(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof changePasswordInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(changePasswordInput, input);
  if (!viewer.session) throw forbidden("the password is changed from a signed-in web session, not with an API token");
  const user = await db.user.findUniqueOrThrow({ where: { id: viewer.userId } });
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, args.currentPassword)))
    throw new AppError("VALIDATION", "currentPassword: not the current password", { field: "currentPassword" });
  const passwordHash = await hashPassword(args.newPassword);
  const currentSessionId = viewer.session.id;
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const revoked = await revokeSessionsOfUser(tx, user.id, { except: currentSessionId });
    await recordAccountAudit(tx, user.id, {
      actorId: user.id,
      action: "user.changePassword",
      entityType: "User",
      entityId: user.id,
      after: { otherSessionsRevoked: revoked },
      requestId: audit.requestId,
    });
    return revoked;
  });
}
