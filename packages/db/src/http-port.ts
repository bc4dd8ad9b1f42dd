import { DatabaseSetupError } from "./errors.ts";

/**
 * Refuses a port that fetch will not connect to (the Fetch standard's "bad ports", e.g. 4190, 6000):
 * the platform's own processes reach the API with fetch, and browsers block the same list, so such a
 * port would leave the start waiting for an answer that cannot come. Asks Node's own fetch rather
 * than keeping a copy of the list.
 */
export async function assertHttpPortUsable(port: number, what: string): Promise<void> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000), redirect: "manual" });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message === "bad port")
      throw new DatabaseSetupError(
        "PORT_REFUSED_BY_FETCH",
        `port ${port} (${what}) is one that browsers and fetch refuse to connect to: choose another port`,
      );
  }
}
