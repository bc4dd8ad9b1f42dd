import { defineAuthz, globalIdOf, type SiteFixture } from "../../../test/authz/authz.ts";
import { createUser } from "../../../test/factories.ts";
import type { TestApi } from "../../../test/harness.ts";

const freshMember = (api: TestApi, site: SiteFixture, disabledAt: Date | null = null) =>
  createUser(api.db, [{ siteId: site.siteId, role: "READER" }]).then((u) =>
    disabledAt ? api.db.user.update({ where: { id: u.id }, data: { disabledAt } }) : u,
  );

export default defineAuthz({
  async setup(world) {
    for (const site of [world.own, world.other]) site.ids.memberUserId = (await freshMember(world.api, site)).id;
  },
  entries: [
    {
      field: "Query.siteMembers",
      document:
        "query ($siteId: ID!) { siteMembers(siteId: $siteId, first: 50) { edges { node { id email memberships { role } } } } }",
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: ["ADMIN", "COORDINATOR"],
    },
    {
      field: "Query.node",
      name: "User",
      document: "query ($id: ID!) { node(id: $id) { id ... on User { email } } }",
      variables: (site) => ({ id: globalIdOf("User", site.ids.memberUserId!) }),
      allowed: ["ADMIN", "COORDINATOR"],
    },
    {
      field: "Mutation.createUser",
      document: "mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }",
      variables: (site, _world, actor) => ({
        input: {
          siteId: globalIdOf("Site", site.siteId),
          email: `new-${site.key}-${actor}-${Date.now()}@test.example`.toLowerCase(),
          name: "New",
          roles: ["READER"],
        },
      }),
      allowed: ["ADMIN"],
    },
    {
      field: "Mutation.disableUser",
      document: "mutation ($id: ID!) { disableUser(id: $id) { id disabledAt } }",
      variables: async (site, world) => ({ id: globalIdOf("User", (await freshMember(world.api, site)).id) }),
      allowed: ["ADMIN"],
    },
    {
      field: "Mutation.unlinkSingleSignOn",
      document: "mutation ($id: ID!) { unlinkSingleSignOn(id: $id) { id isSingleSignOnLinked } }",
      variables: async (site, world) => {
        const user = await freshMember(world.api, site);
        await world.api.db.user.update({
          where: { id: user.id },
          data: { oidcSubject: `https://idp.example|${user.id}` },
        });
        return { id: globalIdOf("User", user.id) };
      },
      allowed: ["ADMIN"],
    },
    {
      field: "Mutation.enableUser",
      document: "mutation ($id: ID!) { enableUser(id: $id) { id disabledAt } }",
      variables: async (site, world) => ({
        id: globalIdOf("User", (await freshMember(world.api, site, new Date())).id),
      }),
      allowed: ["ADMIN"],
    },
  ],
});
