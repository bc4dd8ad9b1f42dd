import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, createUser } from "../../../test/factories.ts";
import { errorCode, startTestApi, type TestApi } from "../../../test/harness.ts";

const SIGN_IN = /* GraphQL */ `
  mutation SignIn($idToken: String!) {
    signInWithOidc(idToken: $idToken) {
      id
      email
    }
  }
`;
const CLIENT_ID = "mammo-web";

/** A real OpenID provider's two public endpoints (discovery and keys), on a local port. */
async function startFakeIssuer() {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
  let issuer = "";
  const server: Server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/.well-known/openid-configuration")
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    else if (req.url === "/jwks") res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, privateKey, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

type Claims = { sub: string; email?: string; email_verified?: boolean; name?: string };

describe("single sign-on: an OpenID Connect identity is mapped to a user", () => {
  let api: TestApi;
  let idp: Awaited<ReturnType<typeof startFakeIssuer>>;
  let siteId: string;

  beforeAll(async () => {
    idp = await startFakeIssuer();
    api = await startTestApi({ oidc: { issuer: idp.issuer, clientId: CLIENT_ID } });
    siteId = (await createSite(api.db)).id;
  });
  afterAll(async () => {
    await api.stop();
    await idp.stop();
  });

  const token = (
    claims: Claims,
    options: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string } = {},
  ) =>
    new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "key-1" })
      .setIssuer(options.issuer ?? idp.issuer)
      .setAudience(options.audience ?? CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "5m")
      .sign(options.key ?? idp.privateKey);
  const signIn = async (idToken: string) =>
    api.graphql<{ signInWithOidc: { id: string; email: string } }>(SIGN_IN, { idToken });
  const newUser = () => createUser(api.db, [{ siteId, role: "READER" }]);

  it("links the account an admin created, by the provider's verified email, on first sign-in; later by subject alone", async () => {
    const user = await newUser();
    const first = await signIn(await token({ sub: "abc-1", email: user.email.toUpperCase(), email_verified: true }));
    expect(first.data?.signInWithOidc).toEqual({ id: user.id, email: user.email });
    const stored = await api.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.oidcSubject).toBe(`${idp.issuer}|abc-1`);
    expect(await api.db.auditEvent.count({ where: { action: "user.linkSingleSignOn", entityId: user.id } })).toBe(1);
    // The email at the provider may change; the subject keeps pointing at the same account.
    const later = await signIn(await token({ sub: "abc-1", email: "renamed@elsewhere.example", email_verified: true }));
    expect(later.data?.signInWithOidc.id).toBe(user.id);
    // The web app then starts a next-auth session for that user id, which the API accepts.
    const me = await api.graphql<{ me: { id: string } }>("{ me { id } }", {}, { token: await api.sessionFor(user.id) });
    expect(me.data?.me.id).toBe(user.id);
  });

  it("does not link by an unverified email, and never creates accounts", async () => {
    const user = await newUser();
    const unverified = await signIn(await token({ sub: "abc-2", email: user.email, email_verified: false }));
    expect(errorCode(unverified)).toBe("UNAUTHENTICATED");
    expect((await api.db.user.findUniqueOrThrow({ where: { id: user.id } })).oidcSubject).toBeNull();
    const stranger = await signIn(await token({ sub: "abc-3", email: "stranger@test.example", email_verified: true }));
    expect(stranger.errors?.[0]?.message).toMatch(/no account for stranger@test.example/);
    expect(await api.db.user.count({ where: { email: "stranger@test.example" } })).toBe(0);
  });

  it("refuses an account already linked to another identity, and a disabled account", async () => {
    const linked = await newUser();
    await api.db.user.update({ where: { id: linked.id }, data: { oidcSubject: `${idp.issuer}|someone-else` } });
    expect(errorCode(await signIn(await token({ sub: "abc-4", email: linked.email, email_verified: true })))).toBe(
      "UNAUTHENTICATED",
    );
    const disabled = await newUser();
    await api.db.user.update({
      where: { id: disabled.id },
      data: { oidcSubject: `${idp.issuer}|abc-5`, disabledAt: new Date() },
    });
    const refused = await signIn(await token({ sub: "abc-5" }));
    expect(refused.errors?.[0]).toMatchObject({
      message: "this account is disabled",
      extensions: { code: "UNAUTHENTICATED" },
    });
  });

  it("refuses tokens with a foreign signature, issuer or audience, expired ones, and garbage", async () => {
    const user = await newUser();
    await api.db.user.update({ where: { id: user.id }, data: { oidcSubject: `${idp.issuer}|abc-6` } });
    const { privateKey: foreignKey } = await generateKeyPair("RS256");
    const claims = { sub: "abc-6" };
    for (const bad of [
      await token(claims, { key: foreignKey }),
      await token(claims, { issuer: "https://evil.example" }),
      await token(claims, { audience: "another-client" }),
      await token(claims, { expiresIn: "-1m" }),
      "not-a-jwt",
    ]) {
      const result = await signIn(bad);
      expect(result.errors?.[0]?.extensions?.code, bad.slice(0, 20)).toBe("UNAUTHENTICATED");
    }
    expect((await signIn(await token(claims))).data?.signInWithOidc.id).toBe(user.id);
  });
});
