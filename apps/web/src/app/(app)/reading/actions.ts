"use server";

import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { READING_TASK_FIELDS, type ReadingTask } from "@/lib/reading";

export type SubmitInput = {
  studyId: string;
  caseCode: string;
  phase: "UNAIDED" | "AIDED";
  answer: string;
  confidence: number | null;
  roi: { imageId: string; shape: string; geometry: unknown } | null;
  timeSpentMs: number;
};

/** Submits the current step's read (locked from then on) and returns the next step (null: done). */
export async function submitReadAction(
  input: SubmitInput,
): Promise<{ ok: true; next: ReadingTask | null } | { ok: false; error: string }> {
  try {
    const result = await graphql<{ submitRead: { next: ReadingTask | null } }>(
      `mutation Submit($input: SubmitReadInput!) { submitRead(input: $input) { read { id } next { ${READING_TASK_FIELDS} } } }`,
      { input },
    );
    return { ok: true, next: result.submitRead.next };
  } catch (error) {
    if (error instanceof GraphQLRequestError) return { ok: false, error: error.message };
    throw error;
  }
}
