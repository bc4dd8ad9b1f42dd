import { isDicomwebError } from "@mammo/dicomweb";
import { AppError } from "../../errors/app-error.ts";

/** A PACS failure as the API's error: the PACS's words (unreachable, refused credentials...) kept. */
export function appErrorFromPacs(error: unknown, field?: string): unknown {
  if (!isDicomwebError(error)) return error;
  switch (error.code) {
    case "INVALID_CONFIG":
      return new AppError("VALIDATION", error.message, { field, cause: error });
    case "NOT_FOUND":
      return new AppError("NOT_FOUND", error.message, { cause: error });
    case "UNREACHABLE":
    case "UNAUTHORIZED":
    case "BAD_RESPONSE":
    case "REJECTED":
      return new AppError("UPSTREAM", error.message, { cause: error });
  }
}

/** Runs a call to the PACS, turning its errors into AppErrors. */
export async function callPacs<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw appErrorFromPacs(error);
  }
}
