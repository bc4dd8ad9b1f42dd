import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../auth/password.ts";
import { createSite, createUser } from "../../../test/factories.ts";
import { errorCode, startTestApi, type TestApi } from "../../../test/harness.ts";
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from "./login.service.ts";

const LOGIN = /* GraphQL */ `
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      id
      email
    }
  }
`;
const PASSWORD = "the right password";

describe("login: failures limited per account and per client address", () => {
  let api: TestApi;
  let passwordHash: string;

  beforeAll(async () => {
    api = await startTestApi();
    passwordHash = await hashPassword(PASSWORD);
  });
  afterAll(async () => {
    await api.stop();
  });

  const newAccount = async () => {
    const site = await createSite(api.db);
    return createUser(api.db, [{ siteId: site.id, role: "READER" }], { passwordHash });
  };
  const login = (email: string, password: string, forwardedFor?: string) =>
    api.graphql<{ login: { id: string } }>(
      LOGIN,
      { email, password },
      forwardedFor ? { headers: { "x-forwarded-for": forwardedFor } } : {},
    );

  it("accepts the right password, case-insensitively by email, and refuses a wrong one without saying which part was wrong", async () => {
    const user = await newAccount();
    expect((await login(user.email.toUpperCase(), PASSWORD)).data?.login.id).toBe(user.id);
    const wrong = await login(user.email, "nope");
    expect(wrong.errors?.[0]).toMatchObject({
      message: "wrong email or password",
      extensions: { code: "UNAUTHENTICATED" },
    });
    const unknown = await login("nobody@test.example", "nope");
    expect(unknown.errors?.[0]?.message).toBe("wrong email or password");
  });

  it(`locks an account after ${MAX_FAILURES_PER_ACCOUNT} failures, even for the right password, while other accounts still sign in`, async () => {
    const victim = await newAccount();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++)
      expect(errorCode(await login(victim.email, `guess-${i}`, `198.51.100.${i + 1}`))).toBe("UNAUTHENTICATED");
    expect(errorCode(await login(victim.email, PASSWORD, "198.51.100.99"))).toBe("RATE_LIMITED");
    const other = await newAccount();
    expect((await login(other.email, PASSWORD, "198.51.100.99")).data?.login.id).toBe(other.id);
  });

  it(`limits an address after ${MAX_FAILURES_PER_ADDRESS} failures over any accounts; other addresses are unaffected`, async () => {
    const address = "203.0.113.50";
    await api.db.loginAttempt.createMany({
      data: Array.from({ length: MAX_FAILURES_PER_ADDRESS }, (_, i) => ({
        email: `sprayed-${i}@test.example`,
        ipAddress: address,
        isSuccess: false,
      })),
    });
    const user = await newAccount();
    expect(errorCode(await login(user.email, PASSWORD, address))).toBe("RATE_LIMITED");
    expect((await login(user.email, PASSWORD, "203.0.113.51")).data?.login.id).toBe(user.id);
  });

  it(`finding 1: 40 parallel wrong passwords check at most ${MAX_FAILURES_PER_ACCOUNT}; the right one after them is refused`, async () => {
    const user = await newAccount();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(user.email, `wrong-${i}`, `198.18.0.${i + 1}`)),
    );
    const codes = results.map(errorCode);
    expect(codes.filter((c) => c === "UNAUTHENTICATED")).toHaveLength(MAX_FAILURES_PER_ACCOUNT);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(40 - MAX_FAILURES_PER_ACCOUNT);
    expect(errorCode(await login(user.email, PASSWORD, "198.18.1.1"))).toBe("RATE_LIMITED");
    const failures = await api.db.loginAttempt.count({ where: { email: user.email, isSuccess: false } });
    expect(failures, "failures recorded for the account").toBe(MAX_FAILURES_PER_ACCOUNT);
  });

  it("finding 1: 39 wrong and the right password side by side: the password is checked no more than the limit allows", async () => {
    const user = await newAccount();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(user.email, i === 39 ? PASSWORD : `wrong-${i}`, "198.18.2.1")),
    );
    const checked = results.filter((r) => errorCode(r) !== "RATE_LIMITED");
    expect(checked.length).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT);
    expect(await api.db.loginAttempt.count({ where: { email: user.email } })).toBe(checked.length);
  });

  it(`finding 1: parallel failures from one address over many accounts stop at ${MAX_FAILURES_PER_ADDRESS}`, async () => {
    const address = "198.18.3.1";
    const results = await Promise.all(
      Array.from({ length: MAX_FAILURES_PER_ADDRESS + 15 }, (_, i) => login(`spray-${i}@test.example`, "x", address)),
    );
    expect(results.filter((r) => errorCode(r) === "UNAUTHENTICATED")).toHaveLength(MAX_FAILURES_PER_ADDRESS);
    expect(await api.db.loginAttempt.count({ where: { ipAddress: address, isSuccess: false } })).toBe(
      MAX_FAILURES_PER_ADDRESS,
    );
  });

  it("believes X-Forwarded-For from the trusted web server, taking the address its proxy appended, not one the browser wrote", async () => {
    const user = await newAccount();
    await login(user.email, "wrong", "203.0.113.77");
    await login(user.email, "wrong", "1.2.3.4, 203.0.113.78");
    const addresses = (
      await api.db.loginAttempt.findMany({ where: { email: user.email }, orderBy: { id: "asc" } })
    ).map((a) => a.ipAddress);
    expect(addresses).toEqual(["203.0.113.77", "203.0.113.78"]);
  });
});

describe("login: X-Forwarded-For from an untrusted peer is ignored", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ trustedProxies: [] });
  });
  afterAll(async () => {
    await api.stop();
  });

  it("counts the connection's own address, so a client cannot rotate fake addresses", async () => {
    for (const fake of ["203.0.113.1", "203.0.113.2"]) {
      await api.graphql(
        LOGIN,
        { email: "someone@test.example", password: "x" },
        { headers: { "x-forwarded-for": fake } },
      );
    }
    const addresses = new Set(
      (await api.db.loginAttempt.findMany({ where: { email: "someone@test.example" } })).map((a) => a.ipAddress),
    );
    expect([...addresses]).toHaveLength(1);
    expect([...addresses][0]).toMatch(/127\.0\.0\.1$/);
  });
});
