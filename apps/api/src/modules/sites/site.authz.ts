import { defineAuthz, globalIdOf, type Actor } from "../../../test/authz/authz.ts";

const MEMBERS: Actor[] = ["ADMIN", "COORDINATOR", "READER", "ANNOTATOR", "ML_ENGINEER"];

export default defineAuthz({
  entries: [
    {
      field: "Query.mySites",
      document: "query { mySites { id code name } }",
      variables: () => ({}),
      allowed: MEMBERS,
      rows: (data, site) => data.mySites.filter((s: { code: string }) => s.code === site.siteCode),
    },
    {
      field: "Query.node",
      name: "Site",
      document: "query ($id: ID!) { node(id: $id) { id ... on Site { code name } } }",
      variables: (site) => ({ id: globalIdOf("Site", site.siteId) }),
      allowed: MEMBERS,
    },
    {
      field: "Mutation.updateSite",
      document: "mutation ($input: UpdateSiteInput!) { updateSite(input: $input) { id name } }",
      variables: (site, _world, actor) => ({
        input: { siteId: globalIdOf("Site", site.siteId), name: `Site renamed by ${actor}` },
      }),
      allowed: ["ADMIN"],
    },
  ],
});
