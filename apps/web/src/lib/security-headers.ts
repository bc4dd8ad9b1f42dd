// The web app's security headers (finding 10). Pages get a Content-Security-Policy with a fresh
// nonce per request (Next.js puts it on its own scripts): only this origin's scripts run, no
// other page may frame ours, forms post only here. Styles allow inline `style` attributes, which
// React components use (no script runs from a style attribute).

/** Headers every response carries, pages or not (set in next.config.ts). */
export const STATIC_SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** The CSP of a page rendered with `nonce`. */
export function pageContentSecurityPolicy(nonce: string, isDevelopment: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The CSP of anything else the web server answers (auth endpoints, the file proxy). */
export const NON_PAGE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * HSTS when the app is served over https: its public URL (NEXTAUTH_URL) is https, or the
 * reverse proxy in front says the browser's request was (browsers ignore HSTS over plain http).
 */
export function strictTransportSecurity(publicUrl: string | undefined, forwardedProto: string | null): string | null {
  const isHttps = publicUrl?.startsWith("https://") || forwardedProto?.split(",")[0]?.trim() === "https";
  return isHttps ? "max-age=31536000; includeSubDomains" : null;
}
