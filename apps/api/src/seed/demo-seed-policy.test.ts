import { describe, expect, it } from "vitest";
import { isDemoSeedWanted } from "./demo-seed-policy.ts";

describe("finding 9: demo accounts are seeded into the embedded database only, unless asked for", () => {
  it("finding 9: a DATABASE_URL gets no demo data without --demo or DEMO_SEED=1", () => {
    expect(isDemoSeedWanted({ isEmbedded: false, hasDemoFlag: false })).toBe(false);
    expect(isDemoSeedWanted({ isEmbedded: false, hasDemoFlag: false, demoSeedEnv: "" })).toBe(false);
    expect(isDemoSeedWanted({ isEmbedded: false, hasDemoFlag: true })).toBe(true);
    expect(isDemoSeedWanted({ isEmbedded: false, hasDemoFlag: false, demoSeedEnv: "1" })).toBe(true);
  });

  it("the embedded database gets it by default; DEMO_SEED=0 refuses it there too", () => {
    expect(isDemoSeedWanted({ isEmbedded: true, hasDemoFlag: false })).toBe(true);
    expect(isDemoSeedWanted({ isEmbedded: true, hasDemoFlag: false, demoSeedEnv: "0" })).toBe(false);
  });
});
