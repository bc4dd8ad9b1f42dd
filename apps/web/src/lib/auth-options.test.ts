import { describe, expect, it } from "vitest";
import { oidcProviderFromEnv } from "./auth-options";

describe("the OpenID Connect provider from the environment", () => {
  it("is off without OIDC_ISSUER", () => {
    expect(oidcProviderFromEnv({})).toBeNull();
  });

  it("uses the issuer's discovery document, the code flow with PKCE and state, and the ID token", () => {
    const provider = oidcProviderFromEnv({
      OIDC_ISSUER: "https://sso.hospital.example/realms/radiology/",
      OIDC_CLIENT_ID: "mammo",
      OIDC_CLIENT_SECRET: "s3cret",
      OIDC_NAME: "Hospital SSO",
    });
    expect(provider).toMatchObject({
      id: "oidc",
      name: "Hospital SSO",
      type: "oauth",
      wellKnown: "https://sso.hospital.example/realms/radiology/.well-known/openid-configuration",
      clientId: "mammo",
      clientSecret: "s3cret",
      idToken: true,
      checks: ["pkce", "state"],
      authorization: { params: { scope: "openid email profile" } },
    });
  });

  it("names the missing variable when half configured", () => {
    expect(() => oidcProviderFromEnv({ OIDC_ISSUER: "https://sso.example" })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => oidcProviderFromEnv({ OIDC_ISSUER: "https://sso.example", OIDC_CLIENT_ID: "x" })).toThrow(
      /OIDC_CLIENT_SECRET/,
    );
  });
});
