import { defineAuthz, globalIdOf, idOf } from "../../../test/authz/authz.ts";
import { ensureStudyWorld } from "../../../test/study-authz-fixtures.ts";

// Training runs: the ML engineers of the dataset's site.
export default defineAuthz({
  setup: ensureStudyWorld,
  entries: [
    {
      field: "Query.trainingRuns",
      document: "query ($siteId: ID) { trainingRuns(first: 10, siteId: $siteId) { edges { node { id status } } } }",
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: ["ML_ENGINEER"],
    },
    {
      field: "Query.trainingRun",
      document: "query ($id: ID!) { trainingRun(id: $id) { id metricSeries { name } } }",
      variables: idOf("TrainingRun", "trainingRunId"),
      allowed: ["ML_ENGINEER"],
    },
    {
      field: "Query.node",
      name: "TrainingRun",
      document: "query ($id: ID!) { node(id: $id) { id ... on TrainingRun { status preset } } }",
      variables: idOf("TrainingRun", "trainingRunId"),
      allowed: ["ML_ENGINEER"],
    },
    {
      field: "Mutation.requestTrainingRun",
      document: "mutation ($input: RequestTrainingRunInput!) { requestTrainingRun(input: $input) { id } }",
      variables: (site) => ({
        input: {
          datasetVersionId: globalIdOf("DatasetVersion", site.ids.datasetVersionId!),
          preset: "quick",
          params: { epochs: 1 },
        },
      }),
      allowed: ["ML_ENGINEER"],
    },
    {
      field: "Mutation.cancelTrainingRun",
      document: "mutation ($id: ID!) { cancelTrainingRun(id: $id) { id status } }",
      variables: async (site, world) => {
        const run = await world.api.db.trainingRun.create({
          data: {
            siteId: site.siteId,
            datasetVersionId: site.ids.datasetVersionId!,
            preset: "quick",
            params: {},
            seed: 1,
            requestedById: site.users.ML_ENGINEER,
          },
        });
        return { id: globalIdOf("TrainingRun", run.id) };
      },
      allowed: ["ML_ENGINEER"],
    },
  ],
});
