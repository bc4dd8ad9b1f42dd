import type { Db, Prisma } from "@mammo/db";
import { z } from "zod";
import { hashApiToken, newApiTokenSecret } from "../../auth/api-token.ts";
import { hasRole, siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { lockKeys } from "../../lib/advisory-lock.ts";
import { recordAccountAudit } from "../audit/audit.service.ts";
import { assertFreshSession } from "../viewer/session.service.ts";

// Personal API tokens for scripts and workers: the secret is shown once, only its sha256 is
// stored; each token expires, and revoking it (or disabling the user, or removing a membership)
// takes effect on the next request, because auth/authenticate.ts reads everything per request.
export const MAX_ACTIVE_TOKENS = 20;
export const MAX_TOKEN_DAYS = 365;
const DAY_MS = 86_400_000;

const createInput = z.object({
  name: z.string().trim().min(1, "required").max(100),
  expiresInDays: z
    .number()
    .int()
    .min(1, "at least 1 day")
    .max(MAX_TOKEN_DAYS, `at most ${MAX_TOKEN_DAYS} days`)
    .default(90),
});

/**
 * A new token of the viewer's own. Only from a freshly signed-in web session: a token cannot mint
 * further tokens (a leaked token must not outlive its own expiry).
 */
export async function createApiToken(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof createInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(createInput, input);
  // From a web session signed in within minutes: neither another token nor an old, possibly
  // copied session cookie can mint a long-lived credential.
  assertFreshSession(viewer, "creating an API token");
  const secret = newApiTokenSecret();
  const token = await db.$transaction(async (tx) => {
    // One creation per user at a time, so parallel requests cannot overshoot the cap.
    await lockKeys(tx, [`api-token/user/${viewer.userId}`]);
    const active = await tx.apiToken.count({
      where: { userId: viewer.userId, revokedAt: null, expiresAt: { gt: new Date() } },
    });
    if (active >= MAX_ACTIVE_TOKENS)
      throw new AppError("CONFLICT", `you have ${MAX_ACTIVE_TOKENS} active tokens; revoke one first`);
    const created = await tx.apiToken.create({
      data: {
        userId: viewer.userId,
        name: args.name,
        tokenHash: hashApiToken(secret),
        tokenPrefix: secret.slice(0, 10),
        expiresAt: new Date(Date.now() + args.expiresInDays * DAY_MS),
      },
    });
    const { tokenHash: _hash, ...shown } = created;
    await recordAccountAudit(tx, viewer.userId, {
      actorId: viewer.userId,
      action: "apiToken.create",
      entityType: "ApiToken",
      entityId: created.id,
      after: shown,
      requestId: audit.requestId,
    });
    return created;
  });
  return { token, secret };
}

/** The viewer's tokens, newest first (revoked and expired ones included, for the record). */
export function listMyApiTokens(db: Db, viewer: Viewer) {
  return db.apiToken.findMany({
    where: { userId: viewer.userId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 200,
  });
}

/**
 * Tokens the viewer may see and revoke: their own, and those of the people of the sites where
 * they are ADMIN (a token acts at every site of its owner, so any of those sites' admins may stop it).
 */
export function manageableTokensWhere(viewer: Viewer): Prisma.ApiTokenWhereInput {
  return {
    OR: [
      { userId: viewer.userId },
      { user: { memberships: { some: { siteId: { in: siteIdsWithRole(viewer, "ADMIN") } } } } },
    ],
  };
}

export async function loadVisibleApiTokens(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const tokens = await db.apiToken.findMany({
    where: { AND: [{ id: { in: [...ids] } }, manageableTokensWhere(viewer)] },
  });
  return ids.map((id) => tokens.find((t) => t.id === id) ?? null);
}

/** The tokens of a site's people, newest first (the site's admins; revoked and expired ones included). */
export function listSiteApiTokens(db: Db, viewer: Viewer, siteId: string) {
  const id = parseInput(z.uuid(), siteId);
  if (!hasRole(viewer, id, "ADMIN")) return [];
  return db.apiToken.findMany({
    where: { user: { memberships: { some: { siteId: id } } } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 500,
  });
}

/**
 * Revokes a token: the viewer's own, or one of a person of a site where the viewer is ADMIN.
 * Refused from the next request on. Revoking twice changes nothing.
 */
export async function revokeApiToken(db: Db, viewer: Viewer, tokenId: string, audit: { requestId?: string } = {}) {
  const id = parseInput(z.uuid(), tokenId);
  return db.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({ where: { AND: [{ id }, manageableTokensWhere(viewer)] } });
    if (!token) throw notFound("API token");
    if (token.revokedAt) return token;
    const revoked = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAccountAudit(tx, token.userId, {
      actorId: viewer.userId,
      action: "apiToken.revoke",
      entityType: "ApiToken",
      entityId: id,
      before: { revokedAt: null },
      after: { revokedAt: revoked.revokedAt, ownerId: token.userId },
      requestId: audit.requestId,
    });
    return revoked;
  });
}
