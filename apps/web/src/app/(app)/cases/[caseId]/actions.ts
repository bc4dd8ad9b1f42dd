"use server";

import { revalidatePath } from "next/cache";
import type { FormState } from "@/lib/form-state";
import { graphql, GraphQLRequestError } from "@/lib/graphql";

export type ActionResult<T = null> = { ok: true; value: T } | { ok: false; error: string };

const casePath = (caseId: string) => `/cases/${encodeURIComponent(caseId)}`;

async function attempt<T>(run: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (error instanceof GraphQLRequestError) return { ok: false, error: error.message };
    throw error;
  }
}

const ADD_LABEL = /* GraphQL */ `
  mutation AddLabel($input: AddPathologyLabelInput!) {
    addPathologyLabel(input: $input) {
      id
    }
  }
`;

/** A label of a finding (findingId), or the first label of a new finding on a breast (laterality). */
export async function addPathologyLabelAction(_previous: FormState, form: FormData): Promise<FormState> {
  const caseId = String(form.get("caseId") ?? "");
  const findingId = String(form.get("findingId") ?? "");
  const specimenDate = String(form.get("specimenDate") ?? "");
  const note = String(form.get("note") ?? "").trim();
  const result = await attempt(() =>
    graphql(ADD_LABEL, {
      input: {
        ...(findingId ? { findingId } : { caseId, laterality: form.get("laterality") || null }),
        subtype: form.get("subtype"),
        source: form.get("source"),
        specimenDate: specimenDate || null,
        note: note || null,
      },
    }),
  );
  if (!result.ok) return { error: result.error, message: null };
  revalidatePath(casePath(caseId));
  return { error: null, message: "Label saved." };
}

export async function retractLabelAction(caseId: string, labelId: string, reason: string): Promise<ActionResult> {
  const result = await attempt(() =>
    graphql(
      `
        mutation Retract($input: RetractPathologyLabelInput!) {
          retractPathologyLabel(input: $input) {
            id
          }
        }
      `,
      { input: { labelId, reason } },
    ),
  );
  if (result.ok) revalidatePath(casePath(caseId));
  return result.ok ? { ok: true, value: null } : result;
}

export async function decideConsensusAction(_previous: FormState, form: FormData): Promise<FormState> {
  const caseId = String(form.get("caseId") ?? "");
  const findingId = String(form.get("findingId") ?? "");
  const rationale = String(form.get("rationale") ?? "").trim();
  const result = await attempt(() =>
    graphql(
      `
        mutation Decide($input: DecideConsensusInput!) {
          decideConsensus(input: $input) {
            id
          }
        }
      `,
      { input: { findingId, subtype: form.get("subtype"), rationale: rationale || null } },
    ),
  );
  if (!result.ok) return { error: result.error, message: null };
  revalidatePath(casePath(caseId));
  return { error: null, message: "Consensus recorded." };
}

/** Places a finding on a breast (a case-level finding from before findings existed). */
export async function placeFindingAction(_previous: FormState, form: FormData): Promise<FormState> {
  const caseId = String(form.get("caseId") ?? "");
  const result = await attempt(() =>
    graphql(
      `
        mutation Place($input: UpdateFindingInput!) {
          updateFinding(input: $input) {
            id
          }
        }
      `,
      { input: { findingId: form.get("findingId"), laterality: form.get("laterality") } },
    ),
  );
  if (!result.ok) return { error: result.error, message: null };
  revalidatePath(casePath(caseId));
  return { error: null, message: "Finding placed." };
}

// Regions are kept in the viewer's own state (no page refresh while drawing).
export type SavedAnnotation = {
  id: string;
  purpose: string;
  shape: string;
  geometry: unknown;
  note: string | null;
  author: { id: string; name: string };
};
const ANNOTATION_FIELDS = "id purpose shape geometry note author { id name }";

export async function createAnnotationAction(input: {
  imageId: string;
  purpose: string;
  shape: string;
  geometry: unknown;
  note?: string | null;
}): Promise<ActionResult<SavedAnnotation>> {
  const result = await attempt(
    async () =>
      (
        await graphql<{ createAnnotation: SavedAnnotation }>(
          `mutation Create($input: CreateAnnotationInput!) { createAnnotation(input: $input) { ${ANNOTATION_FIELDS} } }`,
          { input },
        )
      ).createAnnotation,
  );
  return result;
}

export async function updateAnnotationAction(input: {
  annotationId: string;
  purpose?: string;
  shape?: string;
  geometry?: unknown;
  note?: string | null;
}): Promise<ActionResult<SavedAnnotation>> {
  const result = await attempt(
    async () =>
      (
        await graphql<{ updateAnnotation: SavedAnnotation }>(
          `mutation Update($input: UpdateAnnotationInput!) { updateAnnotation(input: $input) { ${ANNOTATION_FIELDS} } }`,
          { input },
        )
      ).updateAnnotation,
  );
  return result;
}

export async function deleteAnnotationAction(id: string): Promise<ActionResult> {
  const result = await attempt(() =>
    graphql(
      `
        mutation Delete($id: ID!) {
          deleteAnnotation(id: $id) {
            id
          }
        }
      `,
      { id },
    ),
  );
  return result.ok ? { ok: true, value: null } : result;
}
