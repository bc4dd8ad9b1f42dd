import { defineAuthz, globalIdOf } from "../../../test/authz/authz.ts";

export default defineAuthz({
  async setup(world) {
    for (const site of [world.own, world.other]) {
      await world.api.db.auditEvent.create({
        data: {
          siteId: site.siteId,
          actorId: site.users.ADMIN,
          action: "site.update",
          entityType: "Site",
          entityId: site.siteId,
        },
      });
    }
  },
  entries: [
    {
      field: "Query.auditEvents",
      document:
        "query ($siteId: ID!) { auditEvents(siteId: $siteId, first: 5) { edges { node { id action after } } } }",
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: ["ADMIN"],
    },
  ],
});
