import { describe, expect, it } from "vitest";
import { expectPrinted } from "../../test/expect-printed.ts";
import { mcnemarExact, mcnemarPaired } from "./mcnemar.ts";

describe("exact McNemar test", () => {
  it("matches Fagerland, Lydersen & Laake (BMC Med Res Methodol 2013;13:91), airway hyper-responsiveness example", () => {
    // Bentur et al. data, discordant pairs 1 and 7: exact conditional p = 0.070, mid-p = 0.039.
    const r = mcnemarExact(1, 7);
    expectPrinted(r.pValue, "0.070");
    expectPrinted(r.midP, "0.039");
    expect(r.pValue).toBe(18 / 256); // 2·P(X ≤ 1), X ~ Bin(8, 1/2), exactly
  });

  it("matches Altman et al., Statistics with Confidence (2000), table 6.2: discordant 5 and 0", () => {
    expect(mcnemarExact(5, 0).pValue).toBe(0.0625);
    expect(mcnemarExact(0, 5).pValue).toBe(0.0625);
  });

  it("counts paired correctness into the four cells", () => {
    const r = mcnemarPaired([
      { caseId: "a", firstCorrect: true, secondCorrect: false },
      { caseId: "b", firstCorrect: false, secondCorrect: true },
      { caseId: "c", firstCorrect: true, secondCorrect: true },
      { caseId: "d", firstCorrect: false, secondCorrect: false },
      { caseId: "e", firstCorrect: true, secondCorrect: false },
    ]);
    expect([r.onlyFirstCorrect, r.onlySecondCorrect, r.bothCorrect, r.bothWrong]).toEqual([2, 1, 1, 1]);
    expect(r.pValue).toBe(1);
    expect(mcnemarExact(0, 0).pValue).toBe(1);
  });

  it("refuses a case counted twice", () => {
    const c = { caseId: "a", firstCorrect: true, secondCorrect: false };
    expect(() => mcnemarPaired([c, c])).toThrow(/appears twice/);
  });
});
