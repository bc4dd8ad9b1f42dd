import { cookies } from "next/headers";

// next-auth v4's cookie names (the secure one is used on https).
const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/** The raw session token (encrypted JWT) the API accepts as a bearer token. */
export async function sessionToken(): Promise<string | undefined> {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    const value = jar.get(name)?.value;
    if (value) return value;
  }
  return undefined;
}
