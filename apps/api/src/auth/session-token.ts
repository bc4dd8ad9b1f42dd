import { decode } from "next-auth/jwt";

/** Decrypted tokens kept, newest last; beyond this the oldest goes. */
const CACHE_LIMIT = 10_000;
export type SessionClaims = { userId: string; sessionId: string };
type Decoded = SessionClaims & { secret: string; expiresAtMs: number };
const decoded = new Map<string, Decoded>();

/**
 * The web app signs users in with next-auth (JWT sessions). It forwards the session token
 * (an encrypted JWT) as a bearer token; the API decrypts it with the shared NEXTAUTH_SECRET.
 * Returns the user id and the server-side session id (`sid`), or null when the token is invalid,
 * expired, or carries no session id.
 *
 * Decrypting derives the key with HKDF on every call (a good part of a request's CPU under
 * load), so a token that decrypted is remembered until it expires: its content cannot change.
 * Whether its session is still valid (not signed out or revoked) and the user may still act is
 * read from the database on every request (authenticate.ts), so revocation needs no cache flush.
 */
export async function sessionFromToken(token: string, secret: string): Promise<SessionClaims | null> {
  const known = decoded.get(token);
  if (known?.secret === secret) {
    if (known.expiresAtMs > Date.now()) return { userId: known.userId, sessionId: known.sessionId };
    decoded.delete(token);
    return null;
  }
  try {
    const payload = await decode({ token, secret });
    if (!payload || typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
    // next-auth always sets exp; a token without one is remembered for a minute only.
    const expiresAtMs = typeof payload.exp === "number" ? payload.exp * 1000 : Date.now() + 60_000;
    if (expiresAtMs <= Date.now()) return null;
    if (decoded.size >= CACHE_LIMIT) decoded.delete(decoded.keys().next().value!);
    const claims = { userId: payload.sub, sessionId: payload.sid };
    decoded.set(token, { ...claims, secret, expiresAtMs });
    return claims;
  } catch {
    return null;
  }
}
