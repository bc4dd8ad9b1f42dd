import { Prisma } from "@mammo/db";
import { GraphQLError } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { AppError } from "./app-error.ts";
import { formatGraphQLError } from "./to-graphql-error.ts";

const format = (original: Error) => {
  const error = new GraphQLError(original.message, { path: ["field"], originalError: original });
  return formatGraphQLError(
    {
      message: original.message,
      path: ["field"],
      extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at secret.ts:1"] },
    },
    error,
  );
};

describe("the one error mapper", () => {
  it("keeps a domain error's message, code and field", () => {
    expect(format(new AppError("VALIDATION", "subtype: invalid", { field: "subtype" }))).toEqual({
      message: "subtype: invalid",
      path: ["field"],
      extensions: { code: "BAD_USER_INPUT", field: "subtype" },
    });
  });

  it("turns anything unexpected into a bare internal error: no message, no stack", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const formatted = format(new Error("connection to db-secret-host:5432 refused"));
    expect(formatted).toEqual({
      message: "internal error",
      path: ["field"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });

  it("maps a lost uniqueness race and a write to an immutable row to CONFLICT", () => {
    const unique = new Prisma.PrismaClientKnownRequestError("dup", { code: "P2002", clientVersion: "7" });
    expect(format(unique).extensions).toEqual({ code: "CONFLICT" });
    const immutable = new Prisma.PrismaClientKnownRequestError("x", {
      code: "P2003",
      clientVersion: "7",
      meta: { driverAdapterError: { cause: { originalCode: "23001", kind: "RestrictViolation" } } },
    });
    expect(format(immutable)).toMatchObject({ message: "this record is immutable", extensions: { code: "CONFLICT" } });
  });
});
