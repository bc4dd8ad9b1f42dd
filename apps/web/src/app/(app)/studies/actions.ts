"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import type { FormState } from "@/lib/form-state";

const studyPath = (id: string) => `/studies/${encodeURIComponent(id)}`;

async function attempt(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    if (error instanceof GraphQLRequestError) return error.message;
    throw error;
  }
}

export async function createStudyAction(_previous: FormState, form: FormData): Promise<FormState> {
  let id = "";
  const arms = form.getAll("arms").map(String);
  const seed = String(form.get("seed") ?? "").trim();
  const error = await attempt(async () => {
    const result = await graphql<{ createReaderStudy: { id: string } }>(
      `
        mutation Create($input: CreateReaderStudyInput!) {
          createReaderStudy(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          name: String(form.get("name") ?? "").trim(),
          description: String(form.get("description") ?? "").trim() || null,
          siteId: form.get("siteId"),
          unit: form.get("unit") || null,
          modelVersionId: form.get("modelVersionId") || null,
          seed: seed ? Number(seed) : null,
          arms: arms.length
            ? arms.map((kind) => ({ kind, name: kind === "AIDED" ? "AI-aided (sequential)" : "Unaided" }))
            : null,
          questions: [
            {
              kind: "SUBTYPE",
              prompt:
                form.get("unit") === "FINDING" ? "Pathological subtype of the marked lesion" : "Pathological subtype",
              options: form.getAll("options").map(String),
              isRequired: true,
            },
            { kind: "CONFIDENCE", prompt: "Confidence (0-100)", isRequired: true },
            ...(form.get("roi") === "on"
              ? [{ kind: "ROI", prompt: "Mark the lesion (optional)", isRequired: false }]
              : []),
          ],
        },
      },
    );
    id = result.createReaderStudy.id;
  });
  if (error) return { error, message: null };
  redirect(studyPath(id));
}

export async function addCasesAction(_previous: FormState, form: FormData): Promise<FormState> {
  const studyId = String(form.get("studyId"));
  const caseIds = form.getAll("caseIds").map(String);
  if (caseIds.length === 0) return { error: "Tick at least one case.", message: null };
  const error = await attempt(() =>
    graphql(
      `
        mutation Add($input: StudyCasesInput!) {
          addStudyCases(input: $input) {
            id
          }
        }
      `,
      { input: { studyId, caseIds } },
    ),
  );
  if (error) return { error, message: null };
  revalidatePath(studyPath(studyId));
  return { error: null, message: `${caseIds.length} case${caseIds.length === 1 ? "" : "s"} added.` };
}

export async function addReaderAction(_previous: FormState, form: FormData): Promise<FormState> {
  const studyId = String(form.get("studyId"));
  const email = String(form.get("email") ?? "").trim();
  const error = await attempt(() =>
    graphql(
      `
        mutation AddReader($input: AddStudyReaderInput!) {
          addStudyReader(input: $input) {
            id
          }
        }
      `,
      { input: { studyId, email, arm: form.get("arm") } },
    ),
  );
  if (error) return { error, message: null };
  revalidatePath(studyPath(studyId));
  return { error: null, message: `${email} added.` };
}

export async function removeReaderAction(studyId: string, studyReaderId: string): Promise<FormState> {
  const error = await attempt(() =>
    graphql(
      `
        mutation RemoveReader($id: ID!) {
          removeStudyReader(studyReaderId: $id) {
            id
          }
        }
      `,
      { id: studyReaderId },
    ),
  );
  if (!error) revalidatePath(studyPath(studyId));
  return { error, message: null };
}

export async function removeCaseAction(studyId: string, caseId: string): Promise<FormState> {
  const error = await attempt(() =>
    graphql(
      `
        mutation Remove($input: StudyCasesInput!) {
          removeStudyCases(input: $input) {
            id
          }
        }
      `,
      { input: { studyId, caseIds: [caseId] } },
    ),
  );
  if (!error) revalidatePath(studyPath(studyId));
  return { error, message: null };
}

export async function changeStudyStatusAction(studyId: string, to: "OPEN" | "CLOSED"): Promise<FormState> {
  const mutation =
    to === "OPEN"
      ? `mutation Open($id: ID!) { openReaderStudy(id: $id) { id } }`
      : `mutation Close($id: ID!) { closeReaderStudy(id: $id) { id } }`;
  const error = await attempt(() => graphql(mutation, { id: studyId }));
  if (!error) revalidatePath(studyPath(studyId));
  return { error, message: null };
}

export async function runStudyInferenceAction(studyId: string, modelVersionId: string): Promise<FormState> {
  const error = await attempt(() =>
    graphql(
      `
        mutation Infer($input: RequestInferenceInput!) {
          requestInference(input: $input) {
            id
          }
        }
      `,
      { input: { modelVersionId, target: "STUDY", studyId } },
    ),
  );
  if (!error) revalidatePath(studyPath(studyId));
  return { error, message: error ? null : "The AI's predictions and heatmaps are queued." };
}
