import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiToken, newApiTokenSecret } from "../../auth/api-token.ts";
import { verifyPassword } from "../../auth/password.ts";
import { createCase, createSite, createUser, globalId } from "../../../test/factories.ts";
import { errorCode, startTestApi, type TestApi } from "../../../test/harness.ts";

const MEMBERS = /* GraphQL */ `
  query Members($siteId: ID!, $role: Role, $after: String) {
    siteMembers(siteId: $siteId, role: $role, first: 2, after: $after) {
      edges {
        node {
          id
          email
          memberships {
            role
            site {
              code
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
const CREATE_USER = /* GraphQL */ `
  mutation Create($input: CreateUserInput!) {
    createUser(input: $input) {
      id
      email
      name
      hasPassword
      memberships {
        role
      }
    }
  }
`;
const ADD = /* GraphQL */ `
  mutation Add($input: AddMembershipInput!) {
    addMembership(input: $input) {
      id
      role
      site {
        code
      }
    }
  }
`;
const REMOVE = /* GraphQL */ `
  mutation Remove($id: ID!) {
    removeMembership(id: $id) {
      id
    }
  }
`;
const DISABLE = /* GraphQL */ `
  mutation Disable($id: ID!) {
    disableUser(id: $id) {
      id
      disabledAt
    }
  }
`;
const ENABLE = /* GraphQL */ `
  mutation Enable($id: ID!) {
    enableUser(id: $id) {
      id
      disabledAt
    }
  }
`;
const ME = /* GraphQL */ `
  query {
    me {
      id
      memberships {
        id
        role
      }
    }
  }
`;
const CASES = /* GraphQL */ `
  query {
    cases(first: 5) {
      edges {
        node {
          id
        }
      }
    }
  }
`;

describe("users and memberships", () => {
  let api: TestApi;
  let site: { id: string; code: string };
  let otherSite: { id: string; code: string };
  let admin: string;
  let otherAdmin: string;
  let coordinator: string;
  let annotator: string;

  beforeAll(async () => {
    api = await startTestApi();
    site = await createSite(api.db);
    otherSite = await createSite(api.db);
    admin = (await createUser(api.db, [{ siteId: site.id, role: "ADMIN" }])).id;
    otherAdmin = (await createUser(api.db, [{ siteId: otherSite.id, role: "ADMIN" }])).id;
    coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
    annotator = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    await createCase(api.db, api.blobs, site.id);
  });
  afterAll(async () => {
    await api.stop();
  });

  const siteGid = () => globalId("Site", site.id);

  it("an admin creates a user at their site: password hashed with argon2, roles given, audited", async () => {
    const email = `New.Person.${Date.now()}@Test.Example`;
    const data = await api.as<{ createUser: { id: string; email: string; memberships: { role: string }[] } }>(
      admin,
      CREATE_USER,
      {
        input: {
          siteId: siteGid(),
          email,
          name: "New Person",
          password: "correct horse battery",
          roles: ["READER", "ANNOTATOR"],
        },
      },
    );
    expect(data.createUser).toMatchObject({ email: email.toLowerCase(), hasPassword: true });
    expect(data.createUser.memberships.map((m) => m.role).sort()).toEqual(["ANNOTATOR", "READER"]);
    const stored = await api.db.user.findUniqueOrThrow({ where: { email: email.toLowerCase() } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored.passwordHash!, "correct horse battery")).toBe(true);
    const audit = await api.db.auditEvent.findFirstOrThrow({ where: { action: "user.create", entityId: stored.id } });
    expect(JSON.stringify(audit.after)).not.toContain("argon2");
  });

  it("names the field of bad input: short password, bad email, duplicate email", async () => {
    const base = { siteId: siteGid(), name: "X", roles: ["READER"] };
    const short = await api.tryAs(admin, CREATE_USER, {
      input: { ...base, email: "a@test.example", password: "short" },
    });
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "password" });
    const badEmail = await api.tryAs(admin, CREATE_USER, { input: { ...base, email: "not-an-email" } });
    expect(badEmail.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "email" });
    const existing = await api.db.user.findUniqueOrThrow({ where: { id: coordinator } });
    const dup = await api.tryAs(admin, CREATE_USER, { input: { ...base, email: existing.email } });
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "email" });
  });

  it("admins of another site, and non-admins, cannot create users here", async () => {
    const input = { siteId: siteGid(), email: `x${Date.now()}@test.example`, name: "X", roles: ["ADMIN"] };
    expect(errorCode(await api.tryAs(otherAdmin, CREATE_USER, { input }))).toBe("FORBIDDEN");
    expect(errorCode(await api.tryAs(coordinator, CREATE_USER, { input }))).toBe("FORBIDDEN");
    expect(await api.db.user.count({ where: { email: input.email } })).toBe(0);
  });

  it("admins and coordinators list the site's people, paginated, showing only memberships of sites they manage", async () => {
    const both = await createUser(api.db, [
      { siteId: site.id, role: "READER" },
      { siteId: otherSite.id, role: "READER" },
    ]);
    const seen: { id: string; memberships: { site: { code: string } }[] }[] = [];
    let after: string | null = null;
    do {
      const page: {
        siteMembers: {
          edges: { node: (typeof seen)[number] }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      } = await api.as(coordinator, MEMBERS, {
        siteId: siteGid(),
        after,
      });
      seen.push(...page.siteMembers.edges.map((e) => e.node));
      after = page.siteMembers.pageInfo.hasNextPage ? page.siteMembers.pageInfo.endCursor : null;
    } while (after);
    expect(seen.length).toBe(await api.db.user.count({ where: { memberships: { some: { siteId: site.id } } } }));
    const shown = seen.find((u) => u.id === globalId("User", both.id));
    expect(shown?.memberships.map((m) => m.site.code)).toEqual([site.code]);
    const readers = await api.as<{ siteMembers: { edges: unknown[] } }>(admin, MEMBERS, {
      siteId: siteGid(),
      role: "READER",
    });
    expect(readers.siteMembers.edges.length).toBeGreaterThan(0);
    const asAnnotator = await api.as<{ siteMembers: { edges: unknown[] } }>(annotator, MEMBERS, { siteId: siteGid() });
    expect(asAnnotator.siteMembers.edges).toEqual([]);
  });

  it("a removed membership stops working on the user's next request", async () => {
    const user = await createUser(api.db, [{ siteId: site.id, role: "ML_ENGINEER" }]);
    const token = await api.sessionFor(user.id);
    expect(
      (await api.graphql<{ cases: { edges: unknown[] } }>(CASES, {}, { token })).data?.cases.edges.length,
    ).toBeGreaterThan(0);
    const membership = await api.db.membership.findFirstOrThrow({ where: { userId: user.id } });
    await api.as(admin, REMOVE, { id: globalId("Membership", membership.id) });
    expect((await api.graphql<{ cases: { edges: unknown[] } }>(CASES, {}, { token })).data?.cases.edges).toEqual([]);
    expect((await api.graphql<{ me: { memberships: unknown[] } }>(ME, {}, { token })).data?.me.memberships).toEqual([]);
  });

  it("an admin adds a user of another site by email; the role works on the next request", async () => {
    const reader = await createUser(api.db, [{ siteId: otherSite.id, role: "READER" }]);
    const token = await api.sessionFor(reader.id);
    expect((await api.graphql<{ cases: { edges: unknown[] } }>(CASES, {}, { token })).data?.cases.edges).toEqual([]);
    const added = await api.as<{ addMembership: { role: string; site: { code: string } } }>(admin, ADD, {
      input: { siteId: siteGid(), email: reader.email, role: "ANNOTATOR" },
    });
    expect(added.addMembership).toEqual(expect.objectContaining({ role: "ANNOTATOR", site: { code: site.code } }));
    expect(
      (await api.graphql<{ cases: { edges: unknown[] } }>(CASES, {}, { token })).data?.cases.edges.length,
    ).toBeGreaterThan(0);
    const again = await api.tryAs(admin, ADD, { input: { siteId: siteGid(), email: reader.email, role: "ANNOTATOR" } });
    expect(errorCode(again)).toBe("CONFLICT");
    const unknown = await api.tryAs(admin, ADD, {
      input: { siteId: siteGid(), email: "nobody@test.example", role: "READER" },
    });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "email" });
  });

  it("the last admin of a site cannot be removed, and an admin of another site cannot remove members here", async () => {
    const lonelySite = await createSite(api.db);
    const lonelyAdmin = await createUser(api.db, [{ siteId: lonelySite.id, role: "ADMIN" }]);
    const membership = await api.db.membership.findFirstOrThrow({ where: { userId: lonelyAdmin.id } });
    expect(errorCode(await api.tryAs(lonelyAdmin.id, REMOVE, { id: globalId("Membership", membership.id) }))).toBe(
      "CONFLICT",
    );
    const annotatorMembership = await api.db.membership.findFirstOrThrow({ where: { userId: annotator } });
    expect(errorCode(await api.tryAs(otherAdmin, REMOVE, { id: globalId("Membership", annotatorMembership.id) }))).toBe(
      "NOT_FOUND",
    );
    expect(
      errorCode(await api.tryAs(coordinator, REMOVE, { id: globalId("Membership", annotatorMembership.id) })),
    ).toBe("FORBIDDEN");
    expect(await api.db.membership.count({ where: { id: { in: [membership.id, annotatorMembership.id] } } })).toBe(2);
  });

  it("a disabled user is refused from the next request on (sessions and tokens); re-enabled, they work again", async () => {
    const user = await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }]);
    const token = await api.sessionFor(user.id);
    const secret = newApiTokenSecret();
    await api.db.apiToken.create({
      data: {
        userId: user.id,
        name: "script",
        tokenHash: hashApiToken(secret),
        tokenPrefix: "mmp_",
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    expect((await api.graphql<{ me: unknown }>(ME, {}, { token })).data?.me).not.toBeNull();
    expect((await api.graphql<{ me: unknown }>(ME, {}, { token: secret })).data?.me).not.toBeNull();
    const disabled = await api.as<{ disableUser: { disabledAt: string | null } }>(admin, DISABLE, {
      id: globalId("User", user.id),
    });
    expect(disabled.disableUser.disabledAt).not.toBeNull();
    expect((await api.graphql<{ me: unknown }>(ME, {}, { token })).data?.me).toBeNull();
    expect(errorCode(await api.graphql(CASES, {}, { token }))).toBe("UNAUTHENTICATED");
    expect(errorCode(await api.graphql(CASES, {}, { token: secret }))).toBe("UNAUTHENTICATED");
    await api.as(admin, ENABLE, { id: globalId("User", user.id) });
    // Disabling revoked the web sessions for good (issue 14, finding 3); the API token works again.
    expect((await api.graphql<{ me: unknown }>(ME, {}, { token })).data?.me).toBeNull();
    expect((await api.graphql<{ me: unknown }>(ME, {}, { token: secret })).data?.me).not.toBeNull();
  });

  it("disabling needs admin rights at every site of the user, and never oneself", async () => {
    const shared = await createUser(api.db, [
      { siteId: site.id, role: "READER" },
      { siteId: otherSite.id, role: "READER" },
    ]);
    expect(errorCode(await api.tryAs(admin, DISABLE, { id: globalId("User", shared.id) }))).toBe("FORBIDDEN");
    expect(errorCode(await api.tryAs(admin, DISABLE, { id: globalId("User", admin) }))).toBe("FORBIDDEN");
    expect(errorCode(await api.tryAs(otherAdmin, DISABLE, { id: globalId("User", annotator) }))).toBe("NOT_FOUND");
    expect((await api.db.user.findUniqueOrThrow({ where: { id: shared.id } })).disabledAt).toBeNull();
  });
});
