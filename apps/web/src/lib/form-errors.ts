import "server-only";
import { GraphQLRequestError } from "./graphql";

export type Refusal = { error: string; field: string | null; isSignedOut: boolean };

/** A refused API call as a form shows it (the field it is about; an ended session said plainly). */
export function refusalOf(error: unknown): Refusal {
  if (!(error instanceof GraphQLRequestError)) throw error;
  if (error.code === "UNAUTHENTICATED")
    return {
      error: "Your session has ended. What you typed is kept here: sign in again, then save again.",
      field: null,
      isSignedOut: true,
    };
  return { error: error.message, field: error.field?.split(".")[0] ?? null, isSignedOut: false };
}
