import { describe, expect, it } from "vitest";
import { expectPrinted } from "../../test/expect-printed.ts";
import { cohenKappa, cohenKappaFromTable, fleissKappa } from "./kappa.ts";

// SAS PROC FREQ AGREE printout for the 3×3 table below, quoted with its numbers in statsmodels'
// test suite (statsmodels/stats/tests/test_inter_rater.py, classes UnweightedCohens and
// TestWeightedCohens; SAS weights = Cicchetti-Allison, i.e. linear).
const sasTable = [
  [0, 4, 1],
  [0, 8, 0],
  [0, 1, 5],
];

// irr's `anxiety` data (Gamer, Lemon, Fellows & Singh, R package irr), raters 2 and 3, as
// listed in statsmodels' test_inter_rater.py; irr::kappa2 outputs quoted there.
const anxietyRater2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4];
const anxietyRater3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2];

// Fleiss (1971) psychiatric diagnoses: 30 patients, 6 raters, 5 categories (1 depression,
// 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other); irr's `diagnoses` data.
const diagnoses = [
  [4, 4, 4, 4, 4, 4],
  [2, 2, 2, 5, 5, 5],
  [2, 3, 3, 3, 3, 5],
  [5, 5, 5, 5, 5, 5],
  [2, 2, 2, 4, 4, 4],
  [1, 1, 3, 3, 3, 3],
  [3, 3, 3, 3, 5, 5],
  [1, 1, 3, 3, 3, 4],
  [1, 1, 4, 4, 4, 4],
  [5, 5, 5, 5, 5, 5],
  [1, 4, 4, 4, 4, 4],
  [1, 2, 4, 4, 4, 4],
  [2, 2, 2, 3, 3, 3],
  [1, 4, 4, 4, 4, 4],
  [2, 2, 4, 4, 4, 5],
  [3, 3, 3, 3, 3, 5],
  [1, 1, 1, 4, 5, 5],
  [1, 1, 1, 1, 1, 2],
  [2, 2, 4, 4, 4, 4],
  [1, 3, 3, 5, 5, 5],
  [5, 5, 5, 5, 5, 5],
  [2, 4, 4, 4, 4, 4],
  [2, 2, 4, 5, 5, 5],
  [1, 1, 4, 4, 4, 4],
  [1, 4, 4, 4, 4, 5],
  [2, 2, 2, 2, 2, 4],
  [1, 1, 1, 1, 5, 5],
  [2, 2, 4, 4, 4, 4],
  [1, 3, 3, 3, 3, 3],
  [5, 5, 5, 5, 5, 5],
];

describe("Cohen's kappa", () => {
  it("matches SAS's simple kappa, its ASE, interval and test", () => {
    const k = cohenKappaFromTable(sasTable);
    expectPrinted(k.kappa, "0.4842");
    expectPrinted(k.standardError, "0.1380");
    expectPrinted(k.lower, "0.2137");
    expectPrinted(k.upper, "0.7547");
    expectPrinted(k.standardErrorNull, "0.1484");
    expectPrinted(k.z, "3.2626");
    expectPrinted(k.pValue, "0.0011");
  });

  it("matches SAS's weighted (linear) kappa, its ASE, interval and test", () => {
    const k = cohenKappaFromTable(sasTable, { weighting: "linear" });
    expectPrinted(k.kappa, "0.4701");
    expectPrinted(k.standardError, "0.1457");
    expectPrinted(k.lower, "0.1845");
    expectPrinted(k.upper, "0.7558");
    expectPrinted(k.standardErrorNull, "0.1426");
    expectPrinted(k.z, "3.2971");
    expectPrinted(k.pValue, "0.0010");
  });

  it.each([
    ["unweighted", "-0.006289308", "-0.0604067", "0.9518317"],
    ["linear", "0.1459075", "1.282472", "0.1996772"],
    ["quadratic", "0.2520325", "1.437451", "0.1505898"],
  ] as const)("matches irr::kappa2 on the anxiety data, %s", (weighting, kappa, z, p) => {
    const k = cohenKappa({ a: anxietyRater2, b: anxietyRater3 }, { weighting });
    expectPrinted(k.kappa, kappa);
    expectPrinted(k.z, z);
    expectPrinted(k.pValue, p);
  });

  it("explains unequal rating lists", () => {
    expect(() => cohenKappa({ a: [1, 2], b: [1] })).toThrow(/different numbers of subjects/);
  });
});

describe("Fleiss' kappa", () => {
  it("matches irr::kappam.fleiss and Fleiss (1971) on the diagnoses data", () => {
    const f = fleissKappa(diagnoses);
    // irr::kappam.fleiss(diagnoses), quoted in statsmodels' test_inter_rater.py.
    expectPrinted(f.kappa, "0.4302445");
    expectPrinted(f.z, "17.65183");
    // Fleiss 1971, per-category kappas (printed to 3 decimals).
    expect(f.perCategory.map((c) => c.kappa!.toFixed(3))).toEqual(["0.245", "0.245", "0.520", "0.471", "0.566"]);
  });

  it("matches the Wikipedia worked example (10 subjects, 14 raters): κ = 0.210", () => {
    // Counts per subject over 5 categories; statsmodels' table1 (test_fleiss_kappa).
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const ratings = counts.map((row) => row.flatMap((n, c) => Array<number>(n).fill(c + 1)));
    expectPrinted(fleissKappa(ratings).kappa, "0.210");
  });

  it("refuses subjects rated by different numbers of raters", () => {
    expect(() =>
      fleissKappa([
        [1, 2, 3],
        [1, 2],
      ]),
    ).toThrow(/same number of raters/);
  });
});
