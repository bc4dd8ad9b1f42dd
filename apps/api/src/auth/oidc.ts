import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import type { OidcConfig } from "../config.ts";
import { AppError } from "../errors/app-error.ts";

/** What the API takes from a verified ID token. */
export type OidcIdentity = {
  /** "<issuer>|<sub>": the key stored in User.oidcSubject. */
  subjectKey: string;
  email: string | null;
  isEmailVerified: boolean;
  name: string | null;
};

export type OidcVerifier = { verifyIdToken: (idToken: string) => Promise<OidcIdentity> };

const discoverySchema = z.object({ issuer: z.string(), jwks_uri: z.url() });
const claimsSchema = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  email_verified: z.union([z.boolean(), z.literal("true"), z.literal("false")]).optional(),
  name: z.string().optional(),
});

// Asymmetric signatures only: a shared-secret (HS*) token could be minted by anyone holding the
// client secret, which the web app also has.
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

/**
 * Verifies ID tokens of the configured issuer against its published keys (OpenID Connect
 * Discovery: `<issuer>/.well-known/openid-configuration` -> `jwks_uri`). The discovery document
 * is fetched on first use; jose caches the key set and refetches it when a new key id appears.
 */
export function createOidcVerifier(config: OidcConfig): OidcVerifier {
  let keys: Promise<{ issuer: string; getKey: JWTVerifyGetKey }> | undefined;
  const discover = async () => {
    const url = `${config.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const document = discoverySchema.parse(await response.json());
    return { issuer: document.issuer, getKey: createRemoteJWKSet(new URL(document.jwks_uri)) };
  };
  return {
    async verifyIdToken(idToken) {
      keys ??= discover().catch((error: unknown) => {
        keys = undefined; // try again on the next sign-in
        throw new AppError("INTERNAL", "the single sign-on provider could not be reached", { cause: error });
      });
      const { issuer, getKey } = await keys;
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(idToken, getKey, { issuer, audience: config.clientId, algorithms: ALGORITHMS }));
      } catch (error) {
        throw new AppError("UNAUTHENTICATED", "the single sign-on token is not valid", { cause: error });
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw new AppError("UNAUTHENTICATED", "the single sign-on token lacks a subject");
      const { sub, email, email_verified: verified, name } = claims.data;
      return {
        subjectKey: `${issuer}|${sub}`,
        email: email?.trim().toLowerCase() || null,
        isEmailVerified: verified === true || verified === "true",
        name: name?.trim() || null,
      };
    },
  };
}
