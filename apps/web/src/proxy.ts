import { NextResponse, type NextRequest } from "next/server";
import {
  NON_PAGE_CONTENT_SECURITY_POLICY,
  pageContentSecurityPolicy,
  strictTransportSecurity,
} from "@/lib/security-headers";

/** Per-request security headers: a nonce CSP for pages, a closed one for the rest, HSTS over https. */
export function proxy(request: NextRequest) {
  const isPage = !request.nextUrl.pathname.startsWith("/api/");
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = isPage
    ? pageContentSecurityPolicy(nonce, process.env.NODE_ENV === "development")
    : NON_PAGE_CONTENT_SECURITY_POLICY;
  const requestHeaders = new Headers(request.headers);
  if (isPage) {
    // Next.js reads the nonce from the request's CSP and puts it on the scripts it renders.
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("content-security-policy", csp);
  }
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  const hsts = strictTransportSecurity(process.env.NEXTAUTH_URL, request.headers.get("x-forwarded-proto"));
  if (hsts) response.headers.set("strict-transport-security", hsts);
  return response;
}

export const config = {
  // Not Next's own static files (hashed, no HTML): they keep the static headers of next.config.ts.
  // Not the weights upload either: Next.js buffers the body of every request its proxy sees and cuts
  // it at 10 MB (experimental.proxyClientMaxBodySize), and a weights file is 59 MB or more. That
  // route streams the body on to the API; its headers come from next.config.ts.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|api/pretrained-weights).*)"],
};
