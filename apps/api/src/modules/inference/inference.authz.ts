import { defineAuthz, globalIdOf, idOf } from "../../../test/authz/authz.ts";
import { ensureStudyWorld } from "../../../test/study-authz-fixtures.ts";
import { MODEL_VIEWERS } from "../models/model-version.authz.ts";

export default defineAuthz({
  setup: ensureStudyWorld,
  entries: [
    {
      field: "Query.inferenceRuns",
      document: "query ($siteId: ID) { inferenceRuns(first: 10, siteId: $siteId) { edges { node { id status } } } }",
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: MODEL_VIEWERS,
    },
    {
      field: "Query.inferenceRun",
      document:
        "query ($id: ID!) { inferenceRun(id: $id) { id predictions(first: 5) { edges { node { predictedClass saliencyMaps { url } } } } } }",
      variables: idOf("InferenceRun", "inferenceRunId"),
      allowed: MODEL_VIEWERS,
    },
    {
      field: "Query.node",
      name: "InferenceRun",
      document: "query ($id: ID!) { node(id: $id) { id ... on InferenceRun { status target } } }",
      variables: idOf("InferenceRun", "inferenceRunId"),
      allowed: MODEL_VIEWERS,
    },
    {
      // Predictions need both the case (case browser) and the model: ML engineers and coordinators.
      field: "Query.imagePredictions",
      document:
        "query ($imageId: ID!) { imagePredictions(imageId: $imageId) { predictedClass probabilities { probability } } }",
      variables: idOf("Image", "imageId", "imageId"),
      allowed: MODEL_VIEWERS,
    },
    {
      field: "Mutation.requestInference",
      document: "mutation ($input: RequestInferenceInput!) { requestInference(input: $input) { id } }",
      variables: (site) => ({
        input: {
          modelVersionId: globalIdOf("ModelVersion", site.ids.modelVersionId!),
          target: "IMAGES",
          imageIds: [globalIdOf("Image", site.ids.imageId!)],
        },
      }),
      allowed: ["ML_ENGINEER"],
    },
    {
      field: "Mutation.requestConcordance",
      document: "mutation ($id: ID!) { requestConcordance(inferenceRunId: $id) { id } }",
      variables: idOf("InferenceRun", "inferenceRunId"),
      allowed: MODEL_VIEWERS,
    },
  ],
});
