import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiToken } from "../../auth/api-token.ts";
import { createSite, createUser } from "../../../test/factories.ts";
import { errorCode, startTestApi, type TestApi } from "../../../test/harness.ts";

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      secret
      token {
        id
        name
        tokenPrefix
        expiresAt
        isActive
      }
    }
  }
`;
const LIST = /* GraphQL */ `
  query {
    myApiTokens {
      id
      name
      isActive
      revokedAt
      lastUsedAt
    }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation Revoke($id: ID!) {
    revokeApiToken(id: $id) {
      id
      revokedAt
      isActive
    }
  }
`;
const ME = /* GraphQL */ `
  query {
    me {
      id
      isApiToken
      memberships {
        role
      }
    }
  }
`;

type Created = {
  createApiToken: {
    secret: string;
    token: { id: string; name: string; tokenPrefix: string; expiresAt: string; isActive: boolean };
  };
};

describe("personal API tokens", () => {
  let api: TestApi;
  let userId: string;

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    userId = (await createUser(api.db, [{ siteId: site.id, role: "ML_ENGINEER" }])).id;
  });
  afterAll(async () => {
    await api.stop();
  });

  const create = async (input: Record<string, unknown> = { name: "trainer on gpu-1" }) =>
    (await api.as<Created>(userId, CREATE, { input })).createApiToken;
  const asToken = (secret: string, query: string, variables: Record<string, unknown> = {}) =>
    api.graphql(query, variables, { token: secret });

  it("shows the secret once and stores only its hash; the token authenticates as its user", async () => {
    const { secret, token } = await create();
    expect(secret).toMatch(/^mmp_[A-Za-z0-9_-]{40,}$/);
    expect(token).toMatchObject({ name: "trainer on gpu-1", isActive: true, tokenPrefix: secret.slice(0, 10) });
    const days = (new Date(token.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const stored = await api.db.apiToken.findFirstOrThrow({ where: { userId, name: "trainer on gpu-1" } });
    expect(stored.tokenHash).toBe(hashApiToken(secret));
    expect(JSON.stringify(stored)).not.toContain(secret);
    const audit = await api.db.auditEvent.findFirstOrThrow({
      where: { action: "apiToken.create", entityId: stored.id },
    });
    expect(JSON.stringify([audit.before, audit.after])).not.toContain(secret);

    const me = await asToken(secret, ME);
    expect(me.data).toMatchObject({ me: { id: userId, isApiToken: true, memberships: [{ role: "ML_ENGINEER" }] } });
    const listed = (await api.as<{ myApiTokens: { id: string; lastUsedAt: string | null }[] }>(userId, LIST))
      .myApiTokens;
    expect(listed.find((t) => t.id === token.id)?.lastUsedAt).not.toBeNull();
  });

  it("a revoked token stops working on the next request", async () => {
    const { secret, token } = await create({ name: "to revoke" });
    expect((await asToken(secret, ME)).data?.me).not.toBeNull();
    const revoked = await api.as<{ revokeApiToken: { isActive: boolean } }>(userId, REVOKE, { id: token.id });
    expect(revoked.revokeApiToken.isActive).toBe(false);
    expect((await asToken(secret, ME)).data?.me).toBeNull();
    expect(errorCode(await asToken(secret, LIST))).toBe("UNAUTHENTICATED");
  });

  it("an expired token is refused", async () => {
    const { secret, token } = await create({ name: "short", expiresInDays: 1 });
    const id = Buffer.from(token.id, "base64").toString().split(":")[1]!;
    await api.db.apiToken.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(errorCode(await asToken(secret, LIST))).toBe("UNAUTHENTICATED");
    const listed = (await api.as<{ myApiTokens: { id: string; isActive: boolean }[] }>(userId, LIST)).myApiTokens;
    expect(listed.find((t) => t.id === token.id)?.isActive).toBe(false);
  });

  it("a token cannot mint tokens, and only its owner sees or revokes it", async () => {
    const { secret, token } = await create({ name: "no minting" });
    expect(errorCode(await asToken(secret, CREATE, { input: { name: "child" } }))).toBe("FORBIDDEN");
    const stranger = (await createUser(api.db, [])).id;
    expect(errorCode(await api.tryAs(stranger, REVOKE, { id: token.id }))).toBe("NOT_FOUND");
    expect((await api.as<{ myApiTokens: unknown[] }>(stranger, LIST)).myApiTokens).toEqual([]);
    expect((await asToken(secret, ME)).data?.me).not.toBeNull();
  });

  it("validates the expiry and names the field", async () => {
    const tooLong = await api.tryAs(userId, CREATE, { input: { name: "x", expiresInDays: 400 } });
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "expiresInDays" });
    const noName = await api.tryAs(userId, CREATE, { input: { name: "  " } });
    expect(noName.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "name" });
  });

  it("a made-up or malformed bearer is simply not signed in", async () => {
    expect((await asToken("mmp_not-a-real-token", ME)).data?.me).toBeNull();
    expect((await api.graphql(ME, {}, { headers: { authorization: "Bearer" } })).data?.me).toBeNull();
    expect(
      (await api.graphql(ME, {}, { token: "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.x.y.z.w" })).data?.me,
    ).toBeNull();
  });
});
