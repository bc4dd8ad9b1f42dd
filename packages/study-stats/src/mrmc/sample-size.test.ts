import { beforeAll, describe, expect, it } from "vitest";
import { expectPrinted } from "../../test/expect-printed.ts";
import { vanDykeRecords } from "../../test/fixtures/van-dyke.ts";
import { buildMrmcDataset } from "./mrmc-dataset.ts";
import { obuchowskiRockette, type OrVarianceComponents } from "./or-analysis.ts";
import { casesForPower, mrmcPower } from "./sample-size.ts";

// Reference: RJafroc on dataset02 (Van Dyke) with the observed effect size, printed in
// Chakraborty's RJafroc book, chapter "ROC-DBMH sample size using RJafroc"
// (dpc10ster/RJafrocBook): SsPowerGivenJK(J = 6, K = 112) -> power 0.5555789, ncp 4.8, ddf 23.1;
// SsSampleSizeKGivenJ(J = 10): RRRC K = 163 (power 0.8015625), RRRC at 90% K = 236 (0.9003501),
// FRRC K = 133 (0.8011167), RRFC K = 53 (0.8049666).
let pilot: OrVarianceComponents;
let effectSize: number;
beforeAll(() => {
  const or = obuchowskiRockette(buildMrmcDataset(vanDykeRecords()));
  pilot = or.varianceComponents;
  effectSize = or.randomReadersRandomCases.differences[0]!.difference;
});

describe("MRMC power and sample size from pilot OR components", () => {
  it("gives RJafroc's power for 6 readers and 112 cases", () => {
    const p = mrmcPower(pilot, { readers: 6, cases: 112, effectSize });
    expectPrinted(p.power, "0.5555789");
    expectPrinted(p.ncp, "4.8");
    expectPrinted(p.ddf, "23.1");
  });

  it.each([
    ["RRRC", 0.8, 163, "0.8015625"],
    ["RRRC", 0.9, 236, "0.9003501"],
    ["FRRC", 0.8, 133, "0.8011167"],
    ["RRFC", 0.8, 53, "0.8049666"],
  ] as const)("gives RJafroc's case count for 10 readers, %s at power %s", (analysis, power, cases, printed) => {
    const r = casesForPower(pilot, { readers: 10, effectSize, power, analysis })!;
    expect(r.cases).toBe(cases);
    expectPrinted(r.power, printed);
    expect(mrmcPower(pilot, { readers: 10, cases: cases - 1, effectSize, analysis }).power).toBeLessThan(power);
  });

  it("returns null when no case count up to the limit reaches the power", () => {
    expect(casesForPower(pilot, { readers: 3, effectSize: 0.001, maxCases: 500 })).toBeNull();
  });

  it("explains an impossible plan", () => {
    expect(() => mrmcPower(pilot, { readers: 1, cases: 100, effectSize })).toThrow(/at least 2 readers/);
  });
});
