import type { Db, Tx, User } from "@mammo/db";
import { z } from "zod";
import { ssoRefused, type OidcIdentity, type OidcVerifier } from "../../auth/oidc.ts";
import { AppError } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAccountAudit, recordAudit } from "../audit/audit.service.ts";
import { startSession } from "./session.service.ts";

type Audit = { requestId?: string };

/**
 * Maps a single-sign-on identity to a user row and starts a session (the web app's server calls
 * this with the ID token and access token next-auth received, then puts the session in its token):
 * 1. a user whose `oidcSubject` is "<issuer>|<sub>" of the token: that user;
 * 2. otherwise, when the provider vouches for the email (`email_verified`, from the ID token or
 *    UserInfo; or an issuer the operator trusts, OIDC_TRUST_EMAIL), the not yet linked user with
 *    that email: linked now (audited at the user's sites), that user;
 * 3. otherwise refused, saying why (unknown account, unverified email, disabled, linked to
 *    another identity); each refusal is audited. Accounts are never created here.
 */
export async function signInWithOidc(
  db: Db,
  verifier: OidcVerifier | null,
  input: { idToken: string; accessToken?: string | null },
  audit: Audit = {},
) {
  if (!verifier) throw new AppError("FORBIDDEN", "single sign-on is not configured on this server");
  const args = parseInput(
    z.object({ idToken: z.string().min(1, "required").max(16_384), accessToken: z.string().max(16_384).nullish() }),
    input,
  );
  const identity = await verifier.identify(args.idToken, args.accessToken ?? undefined);
  const outcome = await db.$transaction(async (tx) => {
    const user = await findOrLink(tx, identity, audit);
    if ("refusal" in user) return user;
    return { user, session: await startSession(tx, user.id, "oidc") };
  });
  if ("refusal" in outcome) {
    // Recorded apart from the refused sign-in (whose transaction wrote nothing), at the sites of
    // the account it concerned, or without a site when it matched no account.
    await db.$transaction((tx) => auditRefusal(tx, identity, outcome, audit));
    throw outcome.refusal;
  }
  return outcome;
}

type Refused = { refusal: AppError; userId: string | null };

async function findOrLink(tx: Tx, identity: OidcIdentity, audit: Audit): Promise<User | Refused> {
  const linked = await tx.user.findUnique({ where: { oidcSubject: identity.subjectKey } });
  if (linked) return linked.disabledAt ? disabled(linked.id) : linked;
  if (!identity.email)
    return {
      refusal: ssoRefused(
        "SSO_UNKNOWN_ACCOUNT",
        "no account is linked to this single sign-on identity, and the provider sent no email to find one by",
      ),
      userId: null,
    };
  const byEmail = await tx.user.findUnique({ where: { email: identity.email } });
  if (!byEmail)
    return {
      refusal: ssoRefused(
        "SSO_UNKNOWN_ACCOUNT",
        `no account for ${identity.email}: ask an admin of your site to create it`,
      ),
      userId: null,
    };
  if (!identity.isEmailVerified)
    return {
      refusal: ssoRefused(
        "SSO_EMAIL_UNVERIFIED",
        `the single sign-on provider has not verified the email ${identity.email}, so it cannot be linked to the account`,
      ),
      userId: byEmail.id,
    };
  if (byEmail.disabledAt) return disabled(byEmail.id);
  if (byEmail.oidcSubject)
    return {
      refusal: ssoRefused("SSO_LINKED_ELSEWHERE", "this account is linked to another single sign-on identity"),
      userId: byEmail.id,
    };
  const user = await tx.user.update({ where: { id: byEmail.id }, data: { oidcSubject: identity.subjectKey } });
  await recordAccountAudit(tx, user.id, {
    actorId: user.id,
    action: "user.linkSingleSignOn",
    entityType: "User",
    entityId: user.id,
    before: { oidcSubject: null },
    after: { oidcSubject: identity.subjectKey },
    requestId: audit.requestId,
  });
  return user;
}

const disabled = (userId: string): Refused => ({
  refusal: ssoRefused("SSO_ACCOUNT_DISABLED", "this account is disabled"),
  userId,
});

async function auditRefusal(tx: Tx, identity: OidcIdentity, refused: Refused, audit: Audit) {
  const entry = {
    actorId: null,
    action: "user.singleSignOnRefused",
    entityType: refused.userId ? "User" : "SingleSignOnIdentity",
    entityId: refused.userId ?? identity.subjectKey,
    after: { reason: refused.refusal.reason, subject: identity.subjectKey, email: identity.email },
    requestId: audit.requestId,
  };
  if (refused.userId) await recordAccountAudit(tx, refused.userId, entry);
  else await recordAudit(tx, { ...entry, siteId: null });
}
