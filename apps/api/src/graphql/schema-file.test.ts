import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printedSchema, schemaFile } from "./print-schema.ts";

describe("apps/api/schema.graphql", () => {
  it("is up to date with the code (run `npm run schema:print` after changing the API)", () => {
    expect(readFileSync(schemaFile, "utf8")).toBe(printedSchema());
  });
});
