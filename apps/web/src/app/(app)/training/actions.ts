"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { FormState } from "@/lib/form-state";
import { refusalOf } from "@/lib/form-errors";
import { graphql, GraphQLRequestError } from "@/lib/graphql";

export async function startTrainingAction(_previous: FormState, form: FormData): Promise<FormState> {
  let runId: string;
  try {
    const raw = String(form.get("params") ?? "").trim();
    let params: unknown = null;
    if (raw) {
      try {
        params = JSON.parse(raw);
      } catch {
        return { error: 'Parameter overrides must be JSON, e.g. {"epochs": 10}', message: null, field: "params" };
      }
    }
    // The chosen registered weights go into the overrides, where the API records them.
    const weightsId = String(form.get("imagenetWeightsId") ?? "").trim();
    if (weightsId) {
      const overrides = (params ?? {}) as { model?: Record<string, unknown> };
      params = { ...overrides, model: { ...overrides.model, imagenetWeightsId: weightsId } };
    }
    const seed = String(form.get("seed") ?? "").trim();
    const result = await graphql<{ requestTrainingRun: { id: string } }>(
      `
        mutation Train($input: RequestTrainingRunInput!) {
          requestTrainingRun(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          datasetVersionId: form.get("datasetVersionId"),
          preset: form.get("preset"),
          seed: seed ? Number(seed) : null,
          params,
        },
      },
    );
    runId = result.requestTrainingRun.id;
  } catch (error) {
    const refusal = refusalOf(error);
    // The API names a parameter path (params.epochs): it belongs to the overrides field.
    return {
      ...refusal,
      message: null,
      field: refusal.field === "params" || refusal.field?.startsWith("params") ? "params" : refusal.field,
    };
  }
  redirect(`/training/${encodeURIComponent(runId)}`);
}

export async function cancelTrainingAction(runId: string): Promise<{ error: string | null }> {
  try {
    await graphql(
      `
        mutation Cancel($id: ID!) {
          cancelTrainingRun(id: $id) {
            id
            status
          }
        }
      `,
      { id: runId },
    );
  } catch (error) {
    if (error instanceof GraphQLRequestError) return { error: error.message };
    throw error;
  }
  revalidatePath(`/training/${encodeURIComponent(runId)}`);
  return { error: null };
}
