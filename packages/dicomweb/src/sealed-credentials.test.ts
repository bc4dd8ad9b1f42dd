import { describe, expect, it } from "vitest";
import { openCredentials, sealCredentials } from "./sealed-credentials.ts";

const SECRET = "a-platform-secret-of-enough-length";

describe("sealed PACS credentials", () => {
  it("round-trips, hides the password, and refuses another secret or another connection", () => {
    const auth = { kind: "BASIC", username: "pacs", password: "hunter2-very-secret" } as const;
    const sealed = sealCredentials(SECRET, "conn-1", auth);
    expect(sealed).not.toContain("hunter2");
    expect(openCredentials(SECRET, "conn-1", sealed)).toEqual(auth);
    expect(() => openCredentials("another-secret-of-enough-length", "conn-1", sealed)).toThrow(
      /NEXTAUTH_SECRET changed/,
    );
    expect(() => openCredentials(SECRET, "conn-2", sealed)).toThrow(/cannot be opened/);
  });
});
