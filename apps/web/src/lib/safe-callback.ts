/**
 * Where to go after signing in: `callbackUrl` resolved against the app's own origin and taken
 * only when the origin stays the same; then as a path of this app. A prefix check is not enough:
 * browsers read `/\evil.example` and `/<tab>/evil.example` as the host evil.example.
 */
export function safeCallbackPath(callbackUrl: string | undefined | null, appOrigin: string): string {
  if (!callbackUrl) return "/";
  const origin = new URL(appOrigin).origin;
  let url: URL;
  try {
    url = new URL(callbackUrl, origin);
  } catch {
    return "/";
  }
  if (url.origin !== origin) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The web app's public origin (NEXTAUTH_URL), where sign-in may send the browser back to. */
export const appOrigin = () => process.env.NEXTAUTH_URL ?? `http://localhost:${process.env.WEB_PORT ?? 3000}`;
