import { decode } from "next-auth/jwt";

/** Decrypted tokens kept, newest last; beyond this the oldest goes. */
const CACHE_LIMIT = 10_000;
type Decoded = { secret: string; userId: string; expiresAtMs: number };
const decoded = new Map<string, Decoded>();

/**
 * The web app signs users in with next-auth (JWT sessions). It forwards the session token
 * (an encrypted JWT) as a bearer token; the API decrypts it with the shared NEXTAUTH_SECRET.
 * Returns the user id, or null when the token is invalid or expired.
 *
 * Decrypting derives the key with HKDF on every call (a good part of a request's CPU under
 * load), so a token that decrypted is remembered until it expires: its content cannot change,
 * and whether the user may still act is read from the database on every request anyway.
 */
export async function userIdFromSessionToken(token: string, secret: string): Promise<string | null> {
  const known = decoded.get(token);
  if (known?.secret === secret) {
    if (known.expiresAtMs > Date.now()) return known.userId;
    decoded.delete(token);
    return null;
  }
  try {
    const payload = await decode({ token, secret });
    if (!payload || typeof payload.sub !== "string") return null;
    // next-auth always sets exp; a token without one is remembered for a minute only.
    const expiresAtMs = typeof payload.exp === "number" ? payload.exp * 1000 : Date.now() + 60_000;
    if (expiresAtMs <= Date.now()) return null;
    if (decoded.size >= CACHE_LIMIT) decoded.delete(decoded.keys().next().value!);
    decoded.set(token, { secret, userId: payload.sub, expiresAtMs });
    return payload.sub;
  } catch {
    return null;
  }
}
