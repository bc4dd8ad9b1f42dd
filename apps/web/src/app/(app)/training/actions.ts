"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { FormState } from "@/lib/form-state";
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
        return { error: 'Parameter overrides must be JSON, e.g. {"epochs": 10}', message: null };
      }
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
    if (error instanceof GraphQLRequestError) return { error: error.message, message: null };
    throw error;
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
