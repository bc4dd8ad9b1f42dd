import type { Db } from "@mammo/db";
import { z } from "zod";
import type { OidcVerifier } from "../../auth/oidc.ts";
import { AppError } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { startSession } from "./session.service.ts";

/**
 * Maps a single-sign-on identity to a user row (the web app's server calls this with the ID
 * token next-auth received, then starts a session for the returned user):
 * 1. a user whose `oidcSubject` is "<issuer>|<sub>" of the token: that user;
 * 2. otherwise, when the token carries an email the provider marks verified, the not yet linked
 *    user with that email: linked now (audited), that user;
 * 3. otherwise refused. Accounts are never created here: admins create users and give roles.
 * A disabled account is refused in every case.
 */
export async function signInWithOidc(
  db: Db,
  verifier: OidcVerifier | null,
  idToken: string,
  audit: { requestId?: string } = {},
) {
  if (!verifier) throw new AppError("FORBIDDEN", "single sign-on is not configured on this server");
  const token = parseInput(z.string().min(1, "required").max(16_384), idToken);
  const identity = await verifier.verifyIdToken(token);
  return db.$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { oidcSubject: identity.subjectKey } });
    if (!user && identity.email && identity.isEmailVerified) {
      const byEmail = await tx.user.findUnique({ where: { email: identity.email } });
      if (byEmail?.oidcSubject)
        throw new AppError("UNAUTHENTICATED", "this account is linked to another single sign-on identity");
      if (byEmail && !byEmail.disabledAt) {
        user = await tx.user.update({ where: { id: byEmail.id }, data: { oidcSubject: identity.subjectKey } });
        await recordAudit(tx, {
          actorId: user.id,
          siteId: null,
          action: "user.linkSingleSignOn",
          entityType: "User",
          entityId: user.id,
          before: { oidcSubject: null },
          after: { oidcSubject: identity.subjectKey },
          requestId: audit.requestId,
        });
      }
    }
    if (!user) {
      throw new AppError(
        "UNAUTHENTICATED",
        identity.email
          ? `no account for ${identity.email}: ask an admin of your site to create it`
          : "no account is linked to this single sign-on identity",
      );
    }
    if (user.disabledAt) throw new AppError("UNAUTHENTICATED", "this account is disabled");
    return { user, session: await startSession(tx, user.id, "oidc") };
  });
}
