import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { apiUrl } from "./config";
import { safeCallbackPath } from "./safe-callback";
import { sessionToken } from "./session-token";

type OidcProfile = { sub: string; email?: string; name?: string };
type ApiUser = { id: string; email: string; name: string; sessionId: string };
/** A refused single sign-on, carried from `profile` to the `signIn` callback, which turns it away. */
type RefusedSso = { id: string; refusal: string };

/**
 * Hospital single sign-on (OpenID Connect), configured by environment variables; null when
 * OIDC_ISSUER is unset. next-auth runs the code flow (PKCE + state) and checks the ID token;
 * the API then verifies that token again against the issuer's keys, reads UserInfo with the
 * access token where the ID token has no email, and maps it to a user row (`signInWithOidc`: by
 * linked subject, else by verified email on first sign-in; never creates accounts). A refusal
 * comes back to the sign-in page with its reason (`?error=SSO_...`).
 */
export function oidcProviderFromEnv(
  env: Record<string, string | undefined> = process.env,
): OAuthConfig<OidcProfile> | null {
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const clientId = env.OIDC_CLIENT_ID?.trim();
  const clientSecret = env.OIDC_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret)
    throw new Error(
      `invalid configuration: ${clientId ? "OIDC_CLIENT_SECRET" : "OIDC_CLIENT_ID"}: single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET`,
    );
  return {
    id: "oidc",
    name: env.OIDC_NAME?.trim() || "Single sign-on",
    type: "oauth",
    wellKnown: `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    authorization: { params: { scope: env.OIDC_SCOPE?.trim() || "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    async profile(_profile, tokens) {
      if (!tokens.id_token) return { id: "refused", refusal: "SSO_INVALID_TOKEN" } satisfies RefusedSso;
      const response = await fetch(`${apiUrl()}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query:
            "mutation SignIn($idToken: String!, $accessToken: String) { signInWithOidc(idToken: $idToken, accessToken: $accessToken) { id email name sessionId } }",
          variables: { idToken: tokens.id_token, accessToken: tokens.access_token ?? null },
        }),
      });
      const body = (await response.json()) as {
        data?: { signInWithOidc: ApiUser } | null;
        errors?: { message: string; extensions?: { reason?: string } }[];
      };
      const user = body.data?.signInWithOidc;
      if (user) return user;
      const refusal = body.errors?.[0]?.extensions?.reason ?? "SSO_REFUSED";
      console.error(`[web] single sign-on refused (${refusal}): ${body.errors?.[0]?.message ?? response.status}`);
      return { id: "refused", refusal } satisfies RefusedSso;
    },
  };
}

const oidcProvider = oidcProviderFromEnv();

/**
 * Sessions are JWTs (next-auth encrypts them with NEXTAUTH_SECRET); the API decrypts the same
 * token with the same secret. Credentials are checked by the API's `login` mutation, which
 * also rate-limits failures and starts a server-side session whose id the token carries (sid):
 * signing out ends that session in the API, so a copy of the cookie stops working too.
 */
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        const forwardedFor = (req.headers?.["x-forwarded-for"] as string | undefined) ?? "";
        const response = await fetch(`${apiUrl()}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
          body: JSON.stringify({
            query:
              "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { id email name sessionId } }",
            variables: { email: credentials.email, password: credentials.password },
          }),
        });
        const body = (await response.json()) as {
          data?: { login: ApiUser };
          errors?: { message: string; extensions?: { code?: string } }[];
        };
        const error = body.errors?.[0];
        if (error?.extensions?.code === "RATE_LIMITED") throw new Error(error.message);
        return body.data?.login ?? null;
      },
    }),
    ...(oidcProvider ? [oidcProvider] : []),
  ],
  events: {
    async signOut() {
      await endApiSession();
    },
  },
  callbacks: {
    // After sign-in and sign-out, only this app's own pages (finding 2: no open redirect).
    redirect({ url, baseUrl }) {
      return `${new URL(baseUrl).origin}${safeCallbackPath(url, baseUrl)}`;
    },
    // A refused single sign-on goes back to the sign-in page, which says why.
    signIn({ user }) {
      return "refusal" in user ? `/sign-in?error=${encodeURIComponent((user as RefusedSso).refusal)}` : true;
    },
    // The API's server-side session id travels in the token (sid); the API checks it per request.
    // After single sign-on, the ID token too: signing out hands it to the provider's logout.
    jwt({ token, user, account }) {
      if (user && "sessionId" in user) token.sid = (user as ApiUser).sessionId;
      if (account?.provider === "oidc" && account.id_token) token.idToken = account.id_token;
      return token;
    },
    session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
};

/** Ends the request's session in the API (called on sign-out, with the cookie being cleared). */
async function endApiSession(): Promise<void> {
  const token = await sessionToken();
  if (!token) return;
  const response = await fetch(`${apiUrl()}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "mutation { signOut }" }),
  });
  const body = (await response.json()) as { data?: { signOut: boolean } | null; errors?: { message: string }[] };
  // An already ended session answers UNAUTHENTICATED: nothing left to end.
  if (!body.data?.signOut && body.errors?.[0]?.message !== "sign in first")
    console.error(
      `[web] sign-out: the API did not end the session (${response.status}: ${JSON.stringify(body.errors)})`,
    );
}
