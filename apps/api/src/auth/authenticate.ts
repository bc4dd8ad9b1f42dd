import type { Db } from "@mammo/db";
import { hashApiToken, isApiToken } from "./api-token.ts";
import { sessionFromToken } from "./session-token.ts";
import type { Viewer } from "./viewer.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const withMemberships = { memberships: { select: { siteId: true, role: true } } } as const;

/**
 * Resolves the bearer credential of a request to a Viewer. Everything is read from the database
 * on each request, so a disabled user, a revoked token, a signed-out or revoked session or a
 * removed membership stops working at once.
 */
export async function authenticate(db: Db, authorization: string | undefined, secret: string): Promise<Viewer | null> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match) return null;
  const bearer = match[1]!;
  return isApiToken(bearer) ? viewerOfApiToken(db, bearer) : viewerOfSession(db, bearer, secret);
}

async function viewerOfApiToken(db: Db, bearer: string): Promise<Viewer | null> {
  const token = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(bearer) },
    include: { user: { include: withMemberships } },
  });
  if (!token || token.revokedAt || token.expiresAt <= new Date() || token.user.disabledAt) return null;
  // At most one bookkeeping write per token and minute. A failed one is logged and the request
  // goes on: "last used" is information for the owner, not a security decision.
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } }).catch((error: unknown) => {
      console.error(`[api] could not record the last use of API token ${token.id}`, error);
    });
  }
  const { user } = token;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    memberships: user.memberships,
    via: "token",
    session: null,
  };
}

async function viewerOfSession(db: Db, bearer: string, secret: string): Promise<Viewer | null> {
  const claims = await sessionFromToken(bearer, secret);
  if (!claims || !UUID.test(claims.sessionId)) return null;
  const session = await db.session.findUnique({
    where: { id: claims.sessionId },
    include: { user: { include: withMemberships } },
  });
  if (!session || session.userId !== claims.userId || session.revokedAt || session.expiresAt <= new Date()) return null;
  const { user } = session;
  if (user.disabledAt) return null;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    memberships: user.memberships,
    via: "session",
    session: { id: session.id, createdAt: session.createdAt },
  };
}
