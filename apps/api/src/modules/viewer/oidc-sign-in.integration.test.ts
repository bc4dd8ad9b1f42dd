import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, createUser } from "../../../test/factories.ts";
import { errorCode, startTestApi, type TestApi } from "../../../test/harness.ts";

const SIGN_IN = /* GraphQL */ `
  mutation SignIn($idToken: String!, $accessToken: String) {
    signInWithOidc(idToken: $idToken, accessToken: $accessToken) {
      id
      email
    }
  }
`;
const CLIENT_ID = "mammo-web";

/**
 * An OpenID provider's public endpoints (discovery, keys, UserInfo) on a local port. The
 * end-to-end test drives a certified provider (oidc-provider); this one lets the API's rules be
 * checked one by one, with tokens shaped by the test.
 */
async function startFakeIssuer() {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
  /** UserInfo claims by access token. */
  const userInfo = new Map<string, Record<string, unknown>>();
  let issuer = "";
  const server: Server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/.well-known/openid-configuration")
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks`, userinfo_endpoint: `${issuer}/userinfo` }));
    else if (req.url === "/jwks") res.end(JSON.stringify({ keys: [jwk] }));
    else if (req.url === "/userinfo") {
      const claims = userInfo.get(req.headers.authorization?.replace(/^Bearer /, "") ?? "");
      if (claims) res.end(JSON.stringify(claims));
      else res.writeHead(401).end('{"error":"invalid_token"}');
    } else res.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, privateKey, userInfo, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

type Claims = { sub: string; email?: string; email_verified?: boolean; name?: string };

describe("single sign-on: an OpenID Connect identity is mapped to a user", () => {
  let api: TestApi;
  let idp: Awaited<ReturnType<typeof startFakeIssuer>>;
  let siteId: string;

  beforeAll(async () => {
    idp = await startFakeIssuer();
    api = await startTestApi({ oidc: { issuer: idp.issuer, clientId: CLIENT_ID, trustsEmail: false } });
    siteId = (await createSite(api.db)).id;
  });
  afterAll(async () => {
    await api.stop();
    await idp.stop();
  });

  const token = (
    claims: Claims,
    options: {
      key?: CryptoKey;
      issuer?: string;
      audience?: string;
      expiresIn?: string | number;
      issuedAt?: number;
    } = {},
  ) =>
    new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "key-1" })
      .setIssuer(options.issuer ?? idp.issuer)
      .setAudience(options.audience ?? CLIENT_ID)
      .setIssuedAt(options.issuedAt)
      .setExpirationTime(options.expiresIn ?? "5m")
      .sign(options.key ?? idp.privateKey);
  const signIn = async (idToken: string, accessToken?: string) =>
    api.graphql<{ signInWithOidc: { id: string; email: string } }>(SIGN_IN, { idToken, accessToken });
  const reasonOf = (result: Awaited<ReturnType<typeof signIn>>) =>
    (result.errors?.[0]?.extensions as { reason?: string } | undefined)?.reason;
  let accessTokens = 0;
  /** An access token whose UserInfo answers these claims. */
  const accessTokenFor = (claims: Record<string, unknown>) => {
    const accessToken = `at-${++accessTokens}`;
    idp.userInfo.set(accessToken, claims);
    return accessToken;
  };
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
    expect(reasonOf(stranger)).toBe("SSO_UNKNOWN_ACCOUNT");
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

  it("finding 16: the email only in UserInfo (a conformant provider, code flow) links the account, read with the access token", async () => {
    const user = await newUser();
    const idToken = await token({ sub: "ui-1" }); // no email in the ID token
    const accessToken = accessTokenFor({ sub: "ui-1", email: user.email, email_verified: true });
    const result = await signIn(idToken, accessToken);
    expect(result.data?.signInWithOidc.id).toBe(user.id);
    expect((await api.db.user.findUniqueOrThrow({ where: { id: user.id } })).oidcSubject).toBe(`${idp.issuer}|ui-1`);
    // UserInfo about another subject is not believed.
    const other = await newUser();
    const mismatch = await signIn(
      await token({ sub: "ui-2" }),
      accessTokenFor({ sub: "someone-else", email: other.email, email_verified: true }),
    );
    expect(reasonOf(mismatch)).toBe("SSO_INVALID_TOKEN");
    expect(mismatch.errors?.[0]?.message).toMatch(/UserInfo is about another subject/);
  });

  it("finding 16: each refusal says why (unknown account, unverified email, disabled) and is audited", async () => {
    const stranger = await signIn(await token({ sub: "r-1", email: "nobody-here@test.example", email_verified: true }));
    expect([reasonOf(stranger), stranger.errors?.[0]?.message]).toEqual([
      "SSO_UNKNOWN_ACCOUNT",
      "no account for nobody-here@test.example: ask an admin of your site to create it",
    ]);
    const user = await newUser();
    const unverified = await signIn(await token({ sub: "r-2", email: user.email, email_verified: false }));
    expect(reasonOf(unverified)).toBe("SSO_EMAIL_UNVERIFIED");
    expect(unverified.errors?.[0]?.message).toMatch(/has not verified the email/);
    const gone = await newUser();
    await api.db.user.update({ where: { id: gone.id }, data: { disabledAt: new Date() } });
    const disabled = await signIn(await token({ sub: "r-3", email: gone.email, email_verified: true }));
    expect(reasonOf(disabled)).toBe("SSO_ACCOUNT_DISABLED");
    // Refusals are in the log: at the account's sites where there is an account, else without a site.
    const refusals = await api.db.auditEvent.findMany({ where: { action: "user.singleSignOnRefused" } });
    const bySubject = (sub: string) =>
      refusals.filter((e) => (e.after as { subject: string }).subject.endsWith(`|${sub}`));
    expect(bySubject("r-1").map((e) => e.siteId)).toEqual([null]);
    expect(bySubject("r-2").map((e) => [e.siteId, e.entityId])).toEqual([[siteId, user.id]]);
    expect(bySubject("r-3").map((e) => (e.after as { reason: string }).reason)).toEqual(["SSO_ACCOUNT_DISABLED"]);
  });

  it("finding 16: the first-sign-in link event is in the log of the account's sites; an admin can unlink the identity", async () => {
    const user = await newUser();
    await signIn(await token({ sub: "link-1", email: user.email, email_verified: true }));
    const link = await api.db.auditEvent.findFirstOrThrow({
      where: { action: "user.linkSingleSignOn", entityId: user.id },
    });
    expect(link.siteId).toBe(siteId);
    // The provider changed the subject: refused until an admin unlinks; then the email links anew.
    const changed = await token({ sub: "link-2", email: user.email, email_verified: true });
    expect(reasonOf(await signIn(changed))).toBe("SSO_LINKED_ELSEWHERE");
    const admin = await createUser(api.db, [{ siteId, role: "ADMIN" }]);
    const unlinked = await api.as<{ unlinkSingleSignOn: { isSingleSignOnLinked: boolean } }>(
      admin.id,
      "mutation ($id: ID!) { unlinkSingleSignOn(id: $id) { isSingleSignOnLinked } }",
      { id: Buffer.from(`User:${user.id}`).toString("base64") },
    );
    expect(unlinked.unlinkSingleSignOn.isSingleSignOnLinked).toBe(false);
    expect((await signIn(changed)).data?.signInWithOidc.id).toBe(user.id);
    expect((await api.db.user.findUniqueOrThrow({ where: { id: user.id } })).oidcSubject).toBe(`${idp.issuer}|link-2`);
  });

  it("finding 16: ID tokens issued in the future, long ago, or valid for years are refused", async () => {
    const user = await newUser();
    await api.db.user.update({ where: { id: user.id }, data: { oidcSubject: `${idp.issuer}|times-1` } });
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: "times-1" };
    const future = await token(claims, { issuedAt: now + 86_400, expiresIn: now + 86_400 + 300 });
    const tenYears = await token(claims, { expiresIn: now + 10 * 365 * 86_400 });
    const old = await token(claims, { issuedAt: now - 3600, expiresIn: now + 3600 });
    for (const [name, bad] of Object.entries({ future, tenYears, old })) {
      const result = await signIn(bad);
      expect(reasonOf(result), name).toBe("SSO_INVALID_TOKEN");
    }
    expect((await signIn(await token(claims))).data?.signInWithOidc.id).toBe(user.id);
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

describe("finding 16: a provider that sends no email_verified (Microsoft Entra ID) links only where the operator trusts it", () => {
  let idp: Awaited<ReturnType<typeof startFakeIssuer>>;
  const apis: TestApi[] = [];
  beforeAll(async () => {
    idp = await startFakeIssuer();
  });
  afterAll(async () => {
    for (const api of apis) await api.stop();
    await idp.stop();
  });

  it("OIDC_TRUST_EMAIL=1 counts a missing email_verified as verified; never an explicit false", async () => {
    for (const trustsEmail of [false, true]) {
      const api = await startTestApi({ oidc: { issuer: idp.issuer, clientId: CLIENT_ID, trustsEmail } });
      apis.push(api);
      const site = await createSite(api.db);
      const user = await createUser(api.db, [{ siteId: site.id, role: "READER" }]);
      const sign = async (claims: Claims) => {
        const idToken = await new SignJWT({ ...claims })
          .setProtectedHeader({ alg: "RS256", kid: "key-1" })
          .setIssuer(idp.issuer)
          .setAudience(CLIENT_ID)
          .setIssuedAt()
          .setExpirationTime("5m")
          .sign(idp.privateKey);
        return api.graphql<{ signInWithOidc: { id: string } }>(SIGN_IN, { idToken });
      };
      const explicitFalse = await sign({ sub: `e-${trustsEmail}-1`, email: user.email, email_verified: false });
      expect(explicitFalse.errors?.[0]?.extensions).toMatchObject({ reason: "SSO_EMAIL_UNVERIFIED" });
      const absent = await sign({ sub: `e-${trustsEmail}-2`, email: user.email });
      if (trustsEmail) expect(absent.data?.signInWithOidc.id).toBe(user.id);
      else expect(absent.errors?.[0]?.extensions).toMatchObject({ reason: "SSO_EMAIL_UNVERIFIED" });
    }
  });
});
