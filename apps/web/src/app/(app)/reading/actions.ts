"use server";

import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { READING_TASK_FIELDS, isSameStep, type ReadingTask } from "@/lib/reading";

export type SubmitInput = {
  studyId: string;
  caseCode: string;
  phase: "UNAIDED" | "AIDED";
  answer: string;
  confidence: number | null;
  roi: { imageId: string; shape: string; geometry: unknown } | null;
  timeSpentMs: number;
};

export type SubmitResult =
  | { ok: true; next: ReadingTask | null }
  /** The step was not the reader's current one any more (another tab, Back): here is the current. */
  | { ok: false; kind: "stale"; current: ReadingTask | null }
  /** The session ended: the answer is kept in the browser until the reader signs in again. */
  | { ok: false; kind: "signed-out" }
  | { ok: false; kind: "refused"; error: string; field: string | null };

const NEXT_QUERY = `query Current($studyId: ID!) { myNextCase(studyId: $studyId) { ${READING_TASK_FIELDS} } }`;

/** The reader's current step in a study (null: all read). */
export async function currentStepAction(
  studyId: string,
): Promise<{ ok: true; current: ReadingTask | null } | { ok: false; kind: "signed-out" }> {
  try {
    return {
      ok: true,
      current: (await graphql<{ myNextCase: ReadingTask | null }>(NEXT_QUERY, { studyId })).myNextCase,
    };
  } catch (error) {
    if (error instanceof GraphQLRequestError && error.code === "UNAUTHENTICATED")
      return { ok: false, kind: "signed-out" };
    throw error;
  }
}

/** Submits the current step's read (locked from then on) and returns the next step (null: done). */
export async function submitReadAction(input: SubmitInput): Promise<SubmitResult> {
  try {
    const result = await graphql<{ submitRead: { next: ReadingTask | null } }>(
      `mutation Submit($input: SubmitReadInput!) { submitRead(input: $input) { read { id } next { ${READING_TASK_FIELDS} } } }`,
      { input },
    );
    return { ok: true, next: result.submitRead.next };
  } catch (error) {
    if (!(error instanceof GraphQLRequestError)) throw error;
    if (error.code === "UNAUTHENTICATED") return { ok: false, kind: "signed-out" };
    if (error.code === "CONFLICT") {
      const current = await currentStepAction(input.studyId);
      if (current.ok && !isSameStep(current.current, input))
        return { ok: false, kind: "stale", current: current.current };
    }
    return { ok: false, kind: "refused", error: error.message, field: error.field ?? null };
  }
}

export type CorrectInput = { readId: string; reason: string; answer: string; confidence: number | null };

/** A correction of one of the reader's reads: a new version with the reason (the old one is kept). */
export async function correctReadAction(
  input: CorrectInput,
): Promise<{ ok: true } | { ok: false; error: string; field: string | null }> {
  try {
    await graphql(
      `
        mutation Correct($input: CorrectReadInput!) {
          correctRead(input: $input) {
            read {
              id
            }
          }
        }
      `,
      {
        input: { ...input, timeSpentMs: 0 },
      },
    );
    return { ok: true };
  } catch (error) {
    if (!(error instanceof GraphQLRequestError)) throw error;
    return {
      ok: false,
      error: error.code === "UNAUTHENTICATED" ? "Your session has ended: sign in again." : error.message,
      field: error.field ?? null,
    };
  }
}
