import { describe, expect, it } from "vitest";
import { DatabaseSetupError } from "./errors.ts";
import { assertHttpPortUsable } from "./http-port.ts";

// The Fetch standard's port blocking list (https://fetch.spec.whatwg.org/#port-blocking) names
// 4190 (sieve) and 6000 (X11); 4180 and 3100 are not on it.
describe("assertHttpPortUsable", () => {
  it.each([4190, 6000])("refuses port %i, which fetch and browsers will not connect to, naming it", async (port) => {
    const error = await assertHttpPortUsable(port, "API").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseSetupError);
    expect((error as DatabaseSetupError).code).toBe("PORT_REFUSED_BY_FETCH");
    expect((error as Error).message).toBe(
      `port ${port} (API) is one that browsers and fetch refuse to connect to: choose another port`,
    );
  });

  it.each([4180, 3100])("accepts port %i", async (port) => {
    await expect(assertHttpPortUsable(port, "web app")).resolves.toBeUndefined();
  });
});
