"use server";

import { revalidatePath } from "next/cache";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import type { FormState } from "@/lib/form-state";

async function run(
  modelId: string,
  mutation: string,
  variables: Record<string, unknown>,
  message: string,
): Promise<FormState> {
  try {
    await graphql(mutation, variables);
  } catch (error) {
    if (error instanceof GraphQLRequestError) return { error: error.message, message: null };
    throw error;
  }
  revalidatePath(`/models/${encodeURIComponent(modelId)}`);
  return { error: null, message };
}

export async function setAliasAction(_previous: FormState, form: FormData): Promise<FormState> {
  const modelId = String(form.get("modelVersionId"));
  const alias = String(form.get("alias") ?? "").trim();
  return run(
    modelId,
    `mutation Alias($alias: String!, $id: ID!) { setModelAlias(alias: $alias, modelVersionId: $id) { id } }`,
    { alias, id: modelId },
    `Alias "${alias}" now points here.`,
  );
}

export async function removeAliasAction(
  modelId: string,
  alias: string,
  modelName: string,
  siteId: string,
): Promise<FormState> {
  return run(
    modelId,
    `mutation Remove($alias: String!, $name: String!, $siteId: ID!) { removeModelAlias(alias: $alias, modelName: $name, siteId: $siteId) { id } }`,
    { alias, name: modelName, siteId },
    `Alias "${alias}" removed.`,
  );
}

export async function requestInferenceAction(_previous: FormState, form: FormData): Promise<FormState> {
  const modelId = String(form.get("modelVersionId"));
  const target = String(form.get("target") ?? "");
  const [kind, id] = target.split(":");
  if (!kind || !id) return { error: "Choose a reader study or a dataset version to run inference on.", message: null };
  const input =
    kind === "study"
      ? { modelVersionId: modelId, target: "STUDY", studyId: id }
      : { modelVersionId: modelId, target: "DATASET_VERSION", datasetVersionId: id };
  return run(
    modelId,
    `mutation Infer($input: RequestInferenceInput!) { requestInference(input: $input) { id } }`,
    { input },
    "Inference queued: predictions and heatmaps appear when a worker has run it.",
  );
}

export async function requestEvaluationAction(_previous: FormState, form: FormData): Promise<FormState> {
  const modelId = String(form.get("modelVersionId"));
  return run(
    modelId,
    `mutation Evaluate($input: RequestEvaluationInput!) { requestEvaluation(input: $input) { id } }`,
    {
      input: {
        modelVersionId: modelId,
        datasetVersionId: form.get("datasetVersionId"),
        split: form.get("split") || "TEST",
      },
    },
    "Evaluation queued.",
  );
}

export async function requestConcordanceAction(modelId: string, inferenceRunId: string): Promise<FormState> {
  return run(
    modelId,
    `mutation Concordance($id: ID!) { requestConcordance(inferenceRunId: $id) { id } }`,
    { id: inferenceRunId },
    "Concordance queued.",
  );
}
