import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import type { OidcConfig } from "../config.ts";
import { AppError } from "../errors/app-error.ts";

/** What the API takes from a verified ID token (and, where it lacks them, the UserInfo claims). */
export type OidcIdentity = {
  /** "<issuer>|<sub>": the key stored in User.oidcSubject. */
  subjectKey: string;
  email: string | null;
  isEmailVerified: boolean;
  name: string | null;
};

export type OidcVerifier = {
  /** Verifies the ID token; fetches UserInfo with the access token when the token lacks the email. */
  identify: (idToken: string, accessToken?: string) => Promise<OidcIdentity>;
};

/** Why a single sign-on was refused: the web app's sign-in page says so in words. */
export type SsoRefusal =
  | "SSO_INVALID_TOKEN"
  | "SSO_PROVIDER_UNREACHABLE"
  | "SSO_UNKNOWN_ACCOUNT"
  | "SSO_EMAIL_UNVERIFIED"
  | "SSO_ACCOUNT_DISABLED"
  | "SSO_LINKED_ELSEWHERE";

export const ssoRefused = (reason: SsoRefusal, message: string, cause?: unknown) =>
  new AppError("UNAUTHENTICATED", message, { reason, cause });

const discoverySchema = z.object({ issuer: z.string(), jwks_uri: z.url(), userinfo_endpoint: z.url().optional() });
const verifiedSchema = z.union([z.boolean(), z.literal("true"), z.literal("false")]).optional();
const idTokenSchema = z.object({
  sub: z.string().min(1),
  iat: z.number(),
  exp: z.number(),
  email: z.string().optional(),
  email_verified: verifiedSchema,
  name: z.string().optional(),
});
const userInfoSchema = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  email_verified: verifiedSchema,
  name: z.string().optional(),
});

// Asymmetric signatures only: a shared-secret (HS*) token could be minted by anyone holding the
// client secret, which the web app also has.
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
/** A sign-in uses a token just issued: older ones, or ones issued in the future, are refused. */
export const ID_TOKEN_MAX_AGE_S = 10 * 60;
/** ID tokens live minutes to an hour at real providers; a longer-lived one is not accepted. */
export const ID_TOKEN_MAX_LIFETIME_S = 24 * 60 * 60;
const CLOCK_TOLERANCE_S = 60;

type Discovered = { issuer: string; getKey: JWTVerifyGetKey; userInfoUrl?: string };

/**
 * Verifies ID tokens of the configured issuer against its published keys (OpenID Connect
 * Discovery: `<issuer>/.well-known/openid-configuration` -> `jwks_uri`), and reads the
 * UserInfo endpoint with the access token when the ID token carries no email (a conformant
 * provider returns `email` from UserInfo in the code flow, OIDC Core 5.4); UserInfo's `sub`
 * must be the token's. The discovery document is fetched on first use; jose caches the key set.
 */
export function createOidcVerifier(config: OidcConfig): OidcVerifier {
  let discovered: Promise<Discovered> | undefined;
  const discover = async (): Promise<Discovered> => {
    const url = `${config.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const document = discoverySchema.parse(await response.json());
    return {
      issuer: document.issuer,
      getKey: createRemoteJWKSet(new URL(document.jwks_uri)),
      userInfoUrl: document.userinfo_endpoint,
    };
  };
  const provider = () => {
    discovered ??= discover().catch((error: unknown) => {
      discovered = undefined; // try again on the next sign-in
      throw ssoRefused("SSO_PROVIDER_UNREACHABLE", "the single sign-on provider could not be reached", error);
    });
    return discovered;
  };
  return {
    async identify(idToken, accessToken) {
      const { issuer, getKey, userInfoUrl } = await provider();
      const token = await verifyIdToken(idToken, issuer, getKey, config.clientId);
      let claims: z.infer<typeof userInfoSchema> = token;
      if (!token.email && accessToken && userInfoUrl) claims = await fetchUserInfo(userInfoUrl, accessToken, token.sub);
      const verified = claims.email_verified;
      return {
        subjectKey: `${issuer}|${token.sub}`,
        email: claims.email?.trim().toLowerCase() || null,
        // Absent: verified only where the operator trusts the issuer's emails (e.g. Entra ID).
        isEmailVerified: verified === undefined ? config.trustsEmail : verified === true || verified === "true",
        name: claims.name?.trim() || token.name?.trim() || null,
      };
    },
  };
}

async function verifyIdToken(idToken: string, issuer: string, getKey: JWTVerifyGetKey, clientId: string) {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(idToken, getKey, {
      issuer,
      audience: clientId,
      algorithms: ALGORITHMS,
      requiredClaims: ["sub", "iat", "exp"],
      maxTokenAge: ID_TOKEN_MAX_AGE_S,
      clockTolerance: CLOCK_TOLERANCE_S,
    }));
  } catch (error) {
    throw ssoRefused("SSO_INVALID_TOKEN", "the single sign-on token is not valid", error);
  }
  const token = idTokenSchema.safeParse(payload);
  if (!token.success) throw ssoRefused("SSO_INVALID_TOKEN", "the single sign-on token lacks a subject or its times");
  if (token.data.exp - token.data.iat > ID_TOKEN_MAX_LIFETIME_S)
    throw ssoRefused("SSO_INVALID_TOKEN", "the single sign-on token is valid for too long (more than a day)");
  return token.data;
}

async function fetchUserInfo(url: string, accessToken: string, sub: string) {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    throw ssoRefused("SSO_PROVIDER_UNREACHABLE", "the single sign-on provider's UserInfo could not be reached", error);
  }
  const claims = response.ok ? userInfoSchema.safeParse(await response.json().catch(() => null)) : null;
  if (!claims?.success)
    throw ssoRefused("SSO_INVALID_TOKEN", `the single sign-on provider's UserInfo answered ${response.status}`);
  if (claims.data.sub !== sub)
    throw ssoRefused("SSO_INVALID_TOKEN", "the single sign-on provider's UserInfo is about another subject");
  return claims.data;
}
