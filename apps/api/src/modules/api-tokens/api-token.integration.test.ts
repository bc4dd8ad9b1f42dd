import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiToken } from "../../auth/api-token.ts";
import { MAX_ACTIVE_TOKENS } from "./api-token.service.ts";
import { createSite, createUser, globalId } from "../../../test/factories.ts";
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

  it(`finding 12: 30 parallel creations stop at the cap of ${MAX_ACTIVE_TOKENS} active tokens`, async () => {
    const owner = (await createUser(api.db, [])).id;
    const session = await api.sessionFor(owner);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api.graphql(CREATE, { input: { name: `parallel-${i}` } }, { token: session }),
      ),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(MAX_ACTIVE_TOKENS);
    expect(results.filter((r) => errorCode(r) === "CONFLICT")).toHaveLength(30 - MAX_ACTIVE_TOKENS);
    expect(await api.db.apiToken.count({ where: { userId: owner, revokedAt: null } })).toBe(MAX_ACTIVE_TOKENS);
  });

  it("finding 12: token events are in the log of every site of the owner; the sites' admins list and revoke the tokens", async () => {
    const [north, south, elsewhere] = [await createSite(api.db), await createSite(api.db), await createSite(api.db)];
    const owner = (
      await createUser(api.db, [
        { siteId: north.id, role: "ML_ENGINEER" },
        { siteId: south.id, role: "READER" },
      ])
    ).id;
    const northAdmin = (await createUser(api.db, [{ siteId: north.id, role: "ADMIN" }])).id;
    const southAdmin = (await createUser(api.db, [{ siteId: south.id, role: "ADMIN" }])).id;
    const strangerAdmin = (await createUser(api.db, [{ siteId: elsewhere.id, role: "ADMIN" }])).id;
    const { secret, token } = (await api.as<Created>(owner, CREATE, { input: { name: "owned" } })).createApiToken;

    const LOG = `query ($s: ID!) { auditEvents(siteId: $s, first: 20) { edges { node { action entityId } } } }`;
    const SITE_TOKENS = `query ($s: ID!) { siteApiTokens(siteId: $s) { id name owner { name } } }`;
    const siteId = (id: string) => globalId("Site", id);
    for (const [admin, site] of [
      [northAdmin, north],
      [southAdmin, south],
    ] as const) {
      const log = await api.as<{ auditEvents: { edges: { node: { action: string; entityId: string } }[] } }>(
        admin,
        LOG,
        { s: siteId(site.id) },
      );
      expect(log.auditEvents.edges.map((e) => e.node)).toContainEqual({
        action: "apiToken.create",
        entityId: token.id,
      });
      const listed = await api.as<{ siteApiTokens: { id: string }[] }>(admin, SITE_TOKENS, { s: siteId(site.id) });
      expect(listed.siteApiTokens.map((t) => t.id)).toEqual([token.id]);
    }
    // An admin of a site the owner does not belong to sees and stops nothing.
    expect(
      (await api.as<{ siteApiTokens: unknown[] }>(strangerAdmin, SITE_TOKENS, { s: siteId(north.id) })).siteApiTokens,
    ).toEqual([]);
    expect(errorCode(await api.tryAs(strangerAdmin, REVOKE, { id: token.id }))).toBe("NOT_FOUND");
    // The south admin revokes it: refused from the next request, logged at both sites.
    expect(
      (await api.as<{ revokeApiToken: { isActive: boolean } }>(southAdmin, REVOKE, { id: token.id })).revokeApiToken
        .isActive,
    ).toBe(false);
    expect((await asToken(secret, ME)).data?.me).toBeNull();
    const northLog = await api.as<{ auditEvents: { edges: { node: { action: string } }[] } }>(northAdmin, LOG, {
      s: siteId(north.id),
    });
    expect(northLog.auditEvents.edges.map((e) => e.node.action)).toContain("apiToken.revoke");
  });

  it("a made-up or malformed bearer is simply not signed in", async () => {
    expect((await asToken("mmp_not-a-real-token", ME)).data?.me).toBeNull();
    expect((await api.graphql(ME, {}, { headers: { authorization: "Bearer" } })).data?.me).toBeNull();
    expect(
      (await api.graphql(ME, {}, { token: "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.x.y.z.w" })).data?.me,
    ).toBeNull();
  });
});
