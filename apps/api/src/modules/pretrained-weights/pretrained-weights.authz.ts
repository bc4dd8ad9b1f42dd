import { defineAuthz, globalIdOf } from "../../../test/authz/authz.ts";
import { ensureStudyWorld } from "../../../test/study-authz-fixtures.ts";

// Registered weights: listed to the ML engineers of their site (uploads: POST /pretrained-weights,
// its own integration test).
export default defineAuthz({
  setup: ensureStudyWorld,
  entries: [
    {
      field: "Query.pretrainedWeights",
      document: "query ($siteId: ID) { pretrainedWeights(siteId: $siteId) { id sha256 source licence } }",
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: ["ML_ENGINEER"],
    },
  ],
});
