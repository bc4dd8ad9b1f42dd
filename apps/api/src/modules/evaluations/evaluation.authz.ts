import { defineAuthz, globalIdOf, idOf } from "../../../test/authz/authz.ts";
import { ensureStudyWorld } from "../../../test/study-authz-fixtures.ts";
import { MODEL_VIEWERS } from "../models/model-version.authz.ts";

export default defineAuthz({
  setup: ensureStudyWorld,
  entries: [
    {
      field: "Query.evaluations",
      document:
        "query ($modelVersionId: ID) { evaluations(first: 10, modelVersionId: $modelVersionId) { edges { node { id split } } } }",
      variables: idOf("ModelVersion", "modelVersionId", "modelVersionId"),
      allowed: MODEL_VIEWERS,
    },
    {
      field: "Query.evaluation",
      document: "query ($id: ID!) { evaluation(id: $id) { id status metrics } }",
      variables: idOf("Evaluation", "evaluationId"),
      allowed: MODEL_VIEWERS,
    },
    {
      field: "Query.node",
      name: "Evaluation",
      document: "query ($id: ID!) { node(id: $id) { id ... on Evaluation { split } } }",
      variables: idOf("Evaluation", "evaluationId"),
      allowed: MODEL_VIEWERS,
    },
    {
      field: "Mutation.requestEvaluation",
      document: "mutation ($input: RequestEvaluationInput!) { requestEvaluation(input: $input) { id } }",
      variables: (site) => ({
        input: {
          modelVersionId: globalIdOf("ModelVersion", site.ids.modelVersionId!),
          datasetVersionId: globalIdOf("DatasetVersion", site.ids.datasetVersionId!),
          split: "VALIDATION",
        },
      }),
      allowed: ["ML_ENGINEER"],
    },
  ],
});
