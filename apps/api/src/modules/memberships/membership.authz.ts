import { defineAuthz, globalIdOf } from "../../../test/authz/authz.ts";
import { createUser } from "../../../test/factories.ts";

export default defineAuthz({
  async setup(world) {
    for (const site of [world.own, world.other]) {
      const member = await createUser(world.api.db, [{ siteId: site.siteId, role: "READER" }]);
      site.ids.membershipId = (await world.api.db.membership.findFirstOrThrow({ where: { userId: member.id } })).id;
    }
  },
  entries: [
    {
      field: "Query.node",
      name: "Membership",
      document: "query ($id: ID!) { node(id: $id) { id ... on Membership { role } } }",
      variables: (site) => ({ id: globalIdOf("Membership", site.ids.membershipId!) }),
      allowed: ["ADMIN", "COORDINATOR"],
    },
    {
      field: "Mutation.addMembership",
      document: "mutation ($input: AddMembershipInput!) { addMembership(input: $input) { id role } }",
      variables: async (site, world) => {
        const user = await createUser(world.api.db, []);
        return { input: { siteId: globalIdOf("Site", site.siteId), email: user.email, role: "READER" } };
      },
      allowed: ["ADMIN"],
    },
    {
      field: "Mutation.removeMembership",
      document: "mutation ($id: ID!) { removeMembership(id: $id) { id } }",
      variables: async (site, world) => {
        const user = await createUser(world.api.db, [{ siteId: site.siteId, role: "ANNOTATOR" }]);
        const membership = await world.api.db.membership.findFirstOrThrow({ where: { userId: user.id } });
        return { id: globalIdOf("Membership", membership.id) };
      },
      allowed: ["ADMIN"],
    },
  ],
});
