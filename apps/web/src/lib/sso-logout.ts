import "server-only";
import { oidcProviderFromEnv } from "./auth-options";
import { appOrigin } from "./safe-callback";

let endSessionEndpoint: Promise<string | null> | undefined;

/** The provider's `end_session_endpoint` from its discovery document (null when it publishes none). */
function providerEndSession(wellKnown: string): Promise<string | null> {
  endSessionEndpoint ??= fetch(wellKnown, { signal: AbortSignal.timeout(5000) })
    .then(async (response) => {
      const document = (await response.json()) as { end_session_endpoint?: unknown };
      return typeof document.end_session_endpoint === "string" ? document.end_session_endpoint : null;
    })
    .catch((error: unknown) => {
      endSessionEndpoint = undefined; // ask again at the next sign-out
      console.error("[web] the single sign-on provider's discovery document could not be read", error);
      return null;
    });
  return endSessionEndpoint;
}

/**
 * Where the browser goes after signing out: for a session that came from single sign-on, the
 * provider's end-session endpoint (OpenID Connect RP-Initiated Logout), so that on a shared
 * workstation the next "Sign in with ..." asks who is there instead of signing the last person
 * straight back in; it returns to the sign-in page. Otherwise the sign-in page itself.
 */
export async function signOutDestination(idToken: string | null): Promise<string> {
  const provider = oidcProviderFromEnv();
  const endSession = provider?.wellKnown && idToken ? await providerEndSession(provider.wellKnown) : null;
  if (!provider || !idToken || !endSession) return "/sign-in";
  const url = new URL(endSession);
  url.searchParams.set("id_token_hint", idToken);
  url.searchParams.set("post_logout_redirect_uri", `${new URL(appOrigin()).origin}/sign-in`);
  url.searchParams.set("client_id", provider.clientId!);
  return url.toString();
}
