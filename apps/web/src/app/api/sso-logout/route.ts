import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { signOutDestination } from "@/lib/sso-logout";

/** Where to send the browser once signed out (the user menu asks just before signing out). */
export async function GET(request: NextRequest) {
  const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET });
  const url = await signOutDestination(typeof token?.idToken === "string" ? token.idToken : null);
  return Response.json({ url }, { headers: { "cache-control": "no-store" } });
}
