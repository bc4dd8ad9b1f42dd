import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-callback";

const APP = "http://localhost:3000";

describe("finding 2: the page after sign-in is always on the app's own origin", () => {
  it("finding 2: open redirect: backslash, tab and protocol-relative forms of another host go home", () => {
    // As the browser's query reaches the page: %5C is a backslash, %09 a tab.
    for (const evil of [
      "/\\evil.example/x",
      "/\t/evil.example/x",
      "//evil.example/x",
      "/\\/evil.example",
      "https://evil.example/x",
      "javascript:alert(1)",
      "http://localhost:3001/cases",
      "\\\\evil.example",
    ])
      expect(safeCallbackPath(evil, APP), JSON.stringify(evil)).toBe("/");
  });

  it("keeps the app's own pages, relative or absolute, with their query and fragment", () => {
    expect(safeCallbackPath("/cases?subtype=SOLID#top", APP)).toBe("/cases?subtype=SOLID#top");
    expect(safeCallbackPath("http://localhost:3000/reading/abc", APP)).toBe("/reading/abc");
    expect(safeCallbackPath("studies", APP)).toBe("/studies");
    expect(safeCallbackPath(undefined, APP)).toBe("/");
  });
});
