import { describe, expect, it } from "vitest";
import { loadApiConfig } from "./config.ts";

const SECRET = { NEXTAUTH_SECRET: "a-secret-of-sixteen+" };
const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;

describe("finding 8: the API behaves as in production unless development is asked for", () => {
  it("finding 8: without NODE_ENV (as npm start ran it) introspection and suggestions are off", () => {
    expect(loadApiConfig(env({ ...SECRET })).isProduction).toBe(true);
    expect(loadApiConfig(env({ ...SECRET, NODE_ENV: "production" })).isProduction).toBe(true);
    expect(loadApiConfig(env({ ...SECRET, NODE_ENV: "test" })).isProduction).toBe(true);
  });

  it("NODE_ENV=development turns them on", () => {
    expect(loadApiConfig(env({ ...SECRET, NODE_ENV: "development" })).isProduction).toBe(false);
  });
});
