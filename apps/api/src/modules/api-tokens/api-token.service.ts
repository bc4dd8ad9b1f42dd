import type { Db } from "@mammo/db";
import { z } from "zod";
import { hashApiToken, newApiTokenSecret } from "../../auth/api-token.ts";
import type { Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";

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
 * A new token of the viewer's own. Only from a web session: a token cannot mint further tokens
 * (a leaked token must not outlive its own expiry).
 */
export async function createApiToken(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof createInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(createInput, input);
  if (viewer.via !== "session")
    throw forbidden("API tokens are created from a signed-in web session, not with another token");
  const secret = newApiTokenSecret();
  const token = await db.$transaction(async (tx) => {
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
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: null,
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

export async function loadMyApiTokens(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const tokens = await db.apiToken.findMany({ where: { id: { in: [...ids] }, userId: viewer.userId } });
  return ids.map((id) => tokens.find((t) => t.id === id) ?? null);
}

/** Revokes one of the viewer's tokens; refused from the next request on. Revoking twice changes nothing. */
export async function revokeApiToken(db: Db, viewer: Viewer, tokenId: string, audit: { requestId?: string } = {}) {
  const id = parseInput(z.uuid(), tokenId);
  return db.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({ where: { id, userId: viewer.userId } });
    if (!token) throw notFound("API token");
    if (token.revokedAt) return token;
    const revoked = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: null,
      action: "apiToken.revoke",
      entityType: "ApiToken",
      entityId: id,
      before: { revokedAt: null },
      after: { revokedAt: revoked.revokedAt },
      requestId: audit.requestId,
    });
    return revoked;
  });
}
