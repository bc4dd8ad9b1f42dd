// A real, certified OpenID Provider (the npm registry's `oidc-provider`) for the single sign-on
// e2e test, on a free port, with its in-memory storage, its built-in login and consent pages and
// RP-Initiated Logout. Any password signs in; the login name picks one of the accounts below.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { generateKeyPairSync } from "node:crypto";
import Provider, { type Account, type ClaimsParameterMember } from "oidc-provider";

export const OIDC_TEST_CLIENT = { id: "mammo-e2e", secret: "mammo-e2e-client-secret", name: "Hospital SSO" };

/**
 * The provider's people, by login name. `emailIn` says where the provider puts the email:
 * "userinfo" as a conformant provider does in the code flow (OIDC Core 5.4: scope claims come
 * from the UserInfo endpoint), or "both" (also in the ID token, as many providers do).
 */
export const OIDC_TEST_ACCOUNTS: Record<
  string,
  { email: string; isEmailVerified: boolean; emailIn: "userinfo" | "both"; name: string }
> = {
  "reader-userinfo": { email: "reader1@north.example", isEmailVerified: true, emailIn: "userinfo", name: "Reader One" },
  "reader-idtoken": { email: "reader2@south.example", isEmailVerified: true, emailIn: "both", name: "Reader Two" },
  stranger: { email: "stranger@nowhere.example", isEmailVerified: true, emailIn: "both", name: "Stranger" },
  unverified: { email: "annotator@north.example", isEmailVerified: false, emailIn: "both", name: "Unverified" },
  disabled: { email: "sso-disabled@north.example", isEmailVerified: true, emailIn: "both", name: "Disabled" },
};

export async function startOidcTestProvider(options: { port: number; webOrigin: string }) {
  // Another host name than the app's (localhost), so the provider's cookies are its own.
  const issuer = `http://127.0.0.1:${options.port}`;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "e2e-key", alg: "RS256", use: "sig" };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_TEST_CLIENT.id,
        client_secret: OIDC_TEST_CLIENT.secret,
        redirect_uris: [`${options.webOrigin}/api/auth/callback/oidc`],
        post_logout_redirect_uris: [`${options.webOrigin}/sign-in`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: ["e2e-cookie-key-0123456789abcdef"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Scope claims in the ID token as well; each account's claims() decides what it really puts there.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    findAccount: (_ctx, accountId): Account | undefined => {
      const person = OIDC_TEST_ACCOUNTS[accountId];
      if (!person) return undefined;
      return {
        accountId,
        claims: (use: string, _scope: string, _claims: { [key: string]: ClaimsParameterMember | null }) => {
          const email = { email: person.email, email_verified: person.isEmailVerified, name: person.name };
          return use === "id_token" && person.emailIn === "userinfo"
            ? { sub: accountId }
            : { sub: accountId, ...email };
        },
      };
    },
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { issuer, port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
