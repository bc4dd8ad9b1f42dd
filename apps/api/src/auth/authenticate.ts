import type { Db } from "@mammo/db";
import { hashApiToken, isApiToken } from "./api-token.ts";
import { userIdFromSessionToken } from "./session-token.ts";
import type { Viewer } from "./viewer.ts";

/**
 * Resolves the bearer credential of a request to a Viewer. Everything is read from the database
 * on each request, so a disabled user, a revoked token or a removed membership stops working at
 * once.
 */
export async function authenticate(db: Db, authorization: string | undefined, secret: string): Promise<Viewer | null> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match) return null;
  const bearer = match[1]!;
  let userId: string | null;
  let via: Viewer["via"];
  if (isApiToken(bearer)) {
    const token = await db.apiToken.findUnique({ where: { tokenHash: hashApiToken(bearer) } });
    if (!token || token.revokedAt || token.expiresAt <= new Date()) return null;
    userId = token.userId;
    via = "token";
    // At most one bookkeeping write per token and minute; a failed one must not fail the request.
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
      await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
    }
  } else {
    userId = await userIdFromSessionToken(bearer, secret);
    via = "session";
  }
  if (!userId) return null;
  const user = await db.user.findUnique({
    where: { id: userId },
    include: { memberships: { select: { siteId: true, role: true } } },
  });
  if (!user || user.disabledAt) return null;
  return { userId: user.id, email: user.email, name: user.name, memberships: user.memberships, via };
}
