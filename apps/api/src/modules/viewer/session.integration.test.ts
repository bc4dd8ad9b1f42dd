import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../auth/password.ts";
import { createSite, createUser, globalId } from "../../../test/factories.ts";
import { errorCode, startTestApi, TEST_SESSION_SECRET, type TestApi } from "../../../test/harness.ts";
import { FRESH_SESSION_MS } from "./session.service.ts";

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { id sessionId } }`;
const ME = "{ me { id } }";
const SIGN_OUT = "mutation { signOut }";
const CHANGE = `mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;
const MINT = `mutation { createApiToken(input: { name: "from the web", expiresInDays: 365 }) { secret } }`;
const PASSWORD = "the first password";

describe("finding 3: web sessions are revocable on the server, checked on every request", () => {
  let api: TestApi;
  let siteId: string;

  beforeAll(async () => {
    api = await startTestApi();
    siteId = (await createSite(api.db)).id;
  });
  afterAll(async () => {
    await api.stop();
  });

  const newUser = async (role: "READER" | "ADMIN" = "READER") =>
    createUser(api.db, [{ siteId, role }], { passwordHash: await hashPassword(PASSWORD) });
  /** Signs in as the web app does: the API's login, then a next-auth token carrying the session id. */
  const signIn = async (email: string, password = PASSWORD) => {
    const result = await api.graphql<{ login: { id: string; sessionId: string } }>(LOGIN, { email, password });
    const { id, sessionId } = result.data!.login;
    return encode({ token: { sub: id, sid: sessionId }, secret: TEST_SESSION_SECRET, maxAge: 8 * 3600 });
  };
  const me = async (token: string) => (await api.graphql<{ me: { id: string } | null }>(ME, {}, { token })).data?.me;

  it("finding 3: after sign-out the old session token answers nothing and cannot mint an API token", async () => {
    const user = await newUser();
    const token = await signIn(user.email);
    expect(await me(token)).toEqual({ id: user.id });
    expect((await api.graphql<{ signOut: boolean }>(SIGN_OUT, {}, { token })).data?.signOut).toBe(true);
    expect(await me(token)).toBeNull();
    expect(errorCode(await api.graphql(MINT, {}, { token }))).toBe("UNAUTHENTICATED");
    // Another session of the same user is unaffected.
    expect(await me(await signIn(user.email))).toEqual({ id: user.id });
  });

  it("a session token without a server-side session (sid) is not signed in", async () => {
    const user = await newUser();
    const bare = await encode({ token: { sub: user.id }, secret: TEST_SESSION_SECRET, maxAge: 3600 });
    expect(await me(bare)).toBeNull();
    const forged = await encode({
      token: { sub: user.id, sid: "00000000-0000-4000-8000-000000000000" },
      secret: TEST_SESSION_SECRET,
      maxAge: 3600,
    });
    expect(await me(forged)).toBeNull();
  });

  it("a password change signs out every other session of the account, keeping this one", async () => {
    const user = await newUser();
    const [here, elsewhere] = [await signIn(user.email), await signIn(user.email)];
    const wrong = await api.graphql(CHANGE, { c: "not it", n: "a brand new password" }, { token: here });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "currentPassword" });
    const changed = await api.graphql<{ changePassword: number }>(
      CHANGE,
      { c: PASSWORD, n: "a brand new password" },
      { token: here },
    );
    expect(changed.data?.changePassword).toBe(1);
    expect(await me(elsewhere)).toBeNull();
    expect(await me(here)).toEqual({ id: user.id });
    expect(await me(await signIn(user.email, "a brand new password"))).toEqual({ id: user.id });
  });

  it("disabling an account revokes its sessions for good; enabling it again does not bring them back", async () => {
    const user = await newUser();
    const admin = await newUser("ADMIN");
    const token = await signIn(user.email);
    await api.as(admin.id, "mutation ($id: ID!) { disableUser(id: $id) { id } }", { id: globalId("User", user.id) });
    expect(await me(token)).toBeNull();
    await api.as(admin.id, "mutation ($id: ID!) { enableUser(id: $id) { id } }", { id: globalId("User", user.id) });
    expect(await me(token)).toBeNull();
    expect(await api.db.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
  });

  it(`minting an API token needs a sign-in within the last ${FRESH_SESSION_MS / 60_000} minutes`, async () => {
    const user = await newUser();
    const stale = await api.sessionFor(user.id, { signedInAt: new Date(Date.now() - FRESH_SESSION_MS - 60_000) });
    const refused = await api.graphql(MINT, {}, { token: stale });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" } });
    expect(refused.errors?.[0]?.message).toMatch(/recent sign-in/);
    expect((await api.graphql(MINT, {}, { token: await signIn(user.email) })).errors).toBeUndefined();
  });
});
