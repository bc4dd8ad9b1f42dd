import { randomBytes } from "node:crypto";
import { defineAuthz, globalIdOf, idOf } from "../../../test/authz/authz.ts";
import { ensureStudyWorld } from "../../../test/study-authz-fixtures.ts";

// Model versions: seen by ML engineers and coordinators of their site; aliases moved by its ML engineers.
export const MODEL_VIEWERS = ["ML_ENGINEER", "COORDINATOR"] as const;

export default defineAuthz({
  setup: ensureStudyWorld,
  entries: [
    {
      field: "Query.modelVersions",
      document:
        "query ($siteId: ID) { modelVersions(first: 10, siteId: $siteId) { edges { node { id lineage { datasetDigest } } } } }",
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: MODEL_VIEWERS,
    },
    {
      field: "Query.modelVersion",
      document: "query ($id: ID!) { modelVersion(id: $id) { id metrics aliases { alias } } }",
      variables: idOf("ModelVersion", "modelVersionId"),
      allowed: MODEL_VIEWERS,
    },
    {
      field: "Query.node",
      name: "ModelVersion",
      document: "query ($id: ID!) { node(id: $id) { id ... on ModelVersion { name version } } }",
      variables: idOf("ModelVersion", "modelVersionId"),
      allowed: MODEL_VIEWERS,
    },
    {
      field: "Query.modelAliases",
      document: "query ($siteId: ID) { modelAliases(siteId: $siteId) { alias modelVersionId } }",
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: MODEL_VIEWERS,
    },
    {
      field: "Mutation.setModelAlias",
      document: "mutation ($id: ID!, $alias: String!) { setModelAlias(modelVersionId: $id, alias: $alias) { id } }",
      variables: (site) => ({ id: globalIdOf("ModelVersion", site.ids.modelVersionId!), alias: "staging" }),
      allowed: ["ML_ENGINEER"],
    },
    {
      field: "Mutation.removeModelAlias",
      document:
        "mutation ($siteId: ID!, $modelName: String!, $alias: String!) { removeModelAlias(siteId: $siteId, modelName: $modelName, alias: $alias) { id } }",
      variables: async (site, world) => {
        const alias = `tmp-${randomBytes(3).toString("hex")}`;
        await world.api.db.modelAlias.create({
          data: {
            siteId: site.siteId,
            modelName: site.ids.modelName!,
            alias,
            modelVersionId: site.ids.modelVersionId!,
            updatedById: site.users.ML_ENGINEER,
          },
        });
        return { siteId: globalIdOf("Site", site.siteId), modelName: site.ids.modelName!, alias };
      },
      allowed: ["ML_ENGINEER"],
    },
  ],
});
