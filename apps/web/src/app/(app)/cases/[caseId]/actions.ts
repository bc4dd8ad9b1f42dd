"use server";

import { revalidatePath } from "next/cache";
import { graphql, GraphQLRequestError } from "@/lib/graphql";

export type LabelFormState = { error: string | null; savedAt: number | null };

const ADD_LABEL = /* GraphQL */ `
  mutation AddLabel($input: AddPathologyLabelInput!) {
    addPathologyLabel(input: $input) { id }
  }
`;

export async function addPathologyLabelAction(_previous: LabelFormState, form: FormData): Promise<LabelFormState> {
  const caseId = String(form.get("caseId") ?? "");
  const specimenDate = String(form.get("specimenDate") ?? "");
  const note = String(form.get("note") ?? "").trim();
  try {
    await graphql(ADD_LABEL, {
      input: {
        caseId,
        subtype: form.get("subtype"),
        source: form.get("source"),
        specimenDate: specimenDate || null,
        note: note || null,
      },
    });
  } catch (error) {
    if (error instanceof GraphQLRequestError) return { error: error.message, savedAt: null };
    throw error;
  }
  revalidatePath(`/cases/${encodeURIComponent(caseId)}`);
  return { error: null, savedAt: Date.now() };
}
