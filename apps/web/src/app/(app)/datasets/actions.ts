"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { FormState } from "@/lib/form-state";
import { graphql, GraphQLRequestError } from "@/lib/graphql";

const list = (form: FormData, name: string) => form.getAll(name).map(String).filter(Boolean);

export async function createDatasetAction(_previous: FormState, form: FormData): Promise<FormState> {
  let id: string;
  try {
    const views = list(form, "views");
    const lateralities = list(form, "lateralities");
    const result = await graphql<{ createDataset: { id: string } }>(
      `
        mutation Create($input: CreateDatasetInput!) {
          createDataset(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          name: String(form.get("name") ?? "").trim(),
          description: String(form.get("description") ?? "").trim() || null,
          siteId: form.get("siteId"),
          filter: {
            unit: form.get("unit") || null,
            siteIds: list(form, "siteIds"),
            subtypes: list(form, "subtypes"),
            views: views.length ? views : null,
            lateralities: lateralities.length ? lateralities : null,
            requireConsensus: form.get("requireConsensus") === "on",
          },
        },
      },
    );
    id = result.createDataset.id;
  } catch (error) {
    if (error instanceof GraphQLRequestError) return { error: error.message, message: null };
    throw error;
  }
  redirect(`/datasets/${encodeURIComponent(id)}`);
}

export async function freezeDatasetAction(_previous: FormState, form: FormData): Promise<FormState> {
  const datasetId = String(form.get("datasetId"));
  let versionId: string;
  try {
    const num = (k: string) => (String(form.get(k) ?? "").trim() === "" ? null : Number(form.get(k)));
    const fractions =
      num("train") !== null ? { train: num("train"), validation: num("validation"), test: num("test") } : null;
    const result = await graphql<{ freezeDatasetVersion: { id: string } }>(
      `
        mutation Freeze($input: FreezeDatasetInput!) {
          freezeDatasetVersion(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          datasetId,
          note: String(form.get("note") ?? "").trim() || null,
          options: { seed: num("seed"), folds: num("folds"), fractions },
        },
      },
    );
    versionId = result.freezeDatasetVersion.id;
  } catch (error) {
    if (error instanceof GraphQLRequestError) return { error: error.message, message: null };
    throw error;
  }
  revalidatePath(`/datasets/${encodeURIComponent(datasetId)}`);
  redirect(`/datasets/versions/${encodeURIComponent(versionId)}`);
}
