import { PothosValidationError } from "@pothos/core";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { AppError, type AppErrorCode } from "./app-error.ts";
import { appErrorFromAccess } from "./access-error.ts";
import { appErrorFromDatabase } from "./database-error.ts";

function assertUnreachable(value: never): never {
  throw new Error(`unhandled error code ${String(value)}`);
}

/** The error code a client sees for each domain error code (exhaustive). */
export function graphqlCodeOf(code: AppErrorCode): string {
  switch (code) {
    case "UNAUTHENTICATED":
      return "UNAUTHENTICATED";
    case "FORBIDDEN":
      return "FORBIDDEN";
    case "NOT_FOUND":
      return "NOT_FOUND";
    case "VALIDATION":
      return "BAD_USER_INPUT";
    case "CONFLICT":
      return "CONFLICT";
    case "RATE_LIMITED":
      return "RATE_LIMITED";
    case "PAYLOAD_TOO_LARGE":
      return "PAYLOAD_TOO_LARGE";
    case "UNSUPPORTED_MEDIA":
      return "UNSUPPORTED_MEDIA";
    case "QUERY_TOO_COMPLEX":
      return "QUERY_TOO_COMPLEX";
    case "UPSTREAM":
      return "BAD_GATEWAY";
    case "INTERNAL":
      return "INTERNAL_SERVER_ERROR";
    default:
      return assertUnreachable(code);
  }
}

/**
 * Apollo's formatError: domain errors keep their message and code; anything else becomes a
 * generic internal error. Stack traces never reach clients.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const thrown = error instanceof GraphQLError ? error.originalError : error;
  // Pothos rejects malformed arguments (e.g. "Invalid global ID") before any resolver runs.
  const original =
    thrown instanceof PothosValidationError
      ? new AppError("VALIDATION", thrown.message)
      : (appErrorFromAccess(thrown) ?? appErrorFromDatabase(thrown) ?? thrown);
  if (original instanceof AppError) {
    return {
      message: original.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: {
        code: graphqlCodeOf(original.code),
        ...(original.field ? { field: original.field } : {}),
        ...(original.reason ? { reason: original.reason } : {}),
      },
    };
  }
  const code = formatted.extensions?.code;
  // Errors GraphQL itself raises (parse, validation, limits) are about the request: keep them.
  if (!original || (typeof code === "string" && code !== "INTERNAL_SERVER_ERROR")) {
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: code ?? "BAD_REQUEST" },
    };
  }
  console.error("[api] unexpected error", original);
  return { message: "internal error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}
