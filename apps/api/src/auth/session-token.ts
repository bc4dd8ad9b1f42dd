import { decode } from "next-auth/jwt";

/**
 * The web app signs users in with next-auth (JWT sessions). It forwards the session token
 * (an encrypted JWT) as a bearer token; the API decrypts it with the shared NEXTAUTH_SECRET.
 * Returns the user id, or null when the token is invalid or expired.
 */
export async function userIdFromSessionToken(token: string, secret: string): Promise<string | null> {
  try {
    const payload = await decode({ token, secret });
    if (!payload || typeof payload.sub !== "string") return null;
    if (typeof payload.exp === "number" && payload.exp * 1000 < Date.now()) return null;
    return payload.sub;
  } catch {
    return null;
  }
}
