import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classificationSummary } from "./accuracy/classification.ts";
import { wilsonInterval } from "./accuracy/proportion.ts";
import { cohenKappa, fleissKappa } from "./agreement/kappa.ts";
import { buildMrmcDataset, type MrmcRecord } from "./mrmc/mrmc-dataset.ts";
import { obuchowskiRockette } from "./mrmc/or-analysis.ts";
import { mcnemarExact } from "./paired/mcnemar.ts";
import { aucWithDelong, delongPairedTest } from "./roc/delong.ts";

// Property tests (fast-check): the invariants any correct implementation must keep, over random
// inputs. Seeded so a failure reproduces.
const params = { seed: 20_260_101, numRuns: 150 };

/** Cases with scores and truth, at least 2 of each class. */
const scoredCases = fc
  .array(fc.record({ score: fc.integer({ min: 0, max: 20 }), positive: fc.boolean() }), { minLength: 4, maxLength: 60 })
  .filter((cs) => cs.filter((c) => c.positive).length >= 2 && cs.filter((c) => !c.positive).length >= 2);

function permutation(n: number) {
  return fc.array(fc.nat(), { minLength: n, maxLength: n }).map((keys) =>
    keys
      .map((k, i) => [k, i] as const)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([, i]) => i),
  );
}

describe("properties", () => {
  it("AUC of a perfect score is 1 and of the reversed score 0", () => {
    fc.assert(
      fc.property(scoredCases, (cs) => {
        const truth = cs.map((c) => c.positive);
        const perfect = truth.map((t, i) => (t ? 100 + i : i));
        expect(aucWithDelong(perfect, truth).auc).toBe(1);
        expect(
          aucWithDelong(
            perfect.map((s) => -s),
            truth,
          ).auc,
        ).toBe(0);
      }),
      params,
    );
  });

  it("kappa of identical raters is 1 (Cohen, any weighting; Fleiss)", () => {
    const labels = fc
      .array(fc.constantFrom("tubule", "solid", "scirrhous"), { minLength: 2, maxLength: 40 })
      .filter((l) => new Set(l).size >= 2);
    fc.assert(
      fc.property(labels, fc.constantFrom("unweighted", "linear", "quadratic" as const), (l, weighting) => {
        expect(cohenKappa({ a: l, b: l }, { weighting }).kappa).toBeCloseTo(1, 12);
        expect(fleissKappa(l.map((x) => [x, x, x])).kappa).toBeCloseTo(1, 12);
      }),
      params,
    );
  });

  it("confidence intervals contain their estimate", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([x, n]) => {
          const p = wilsonInterval(x, n);
          expect(p.lower).toBeLessThanOrEqual(p.estimate);
          expect(p.upper).toBeGreaterThanOrEqual(p.estimate);
        },
      ),
      params,
    );
    fc.assert(
      fc.property(scoredCases, (cs) => {
        const truth = cs.map((c) => c.positive);
        const e = aucWithDelong(
          cs.map((c) => c.score),
          truth,
        );
        expect(e.lower).toBeLessThanOrEqual(e.auc + 1e-12);
        expect(e.upper).toBeGreaterThanOrEqual(e.auc - 1e-12);
      }),
      params,
    );
    const pairs = fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })), {
      minLength: 5,
      maxLength: 40,
    });
    fc.assert(
      fc.property(pairs, (ps) => {
        const a = ps.map((p) => p[0]);
        const b = ps.map((p) => p[1]);
        fc.pre(new Set([...a, ...b]).size >= 2 && !(new Set(a).size === 1 && new Set(b).size === 1));
        const k = cohenKappa({ a, b }, { weighting: "linear" });
        expect(k.lower).toBeLessThanOrEqual(k.kappa + 1e-12);
        expect(k.upper).toBeGreaterThanOrEqual(k.kappa - 1e-12);
      }),
      params,
    );
  });

  it("p-values lie within 0..1", () => {
    fc.assert(
      fc.property(fc.nat(200), fc.nat(200), (b, c) => {
        const r = mcnemarExact(b, c);
        for (const p of [r.pValue, r.midP]) expect(p >= 0 && p <= 1).toBe(true);
      }),
      params,
    );
    fc.assert(
      fc.property(
        scoredCases,
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 60, maxLength: 60 }),
        (cs, other) => {
          const truth = cs.map((c) => c.positive);
          const t = delongPairedTest(
            cs.map((c) => c.score),
            other.slice(0, cs.length),
            truth,
          );
          expect(t.pValue >= 0 && t.pValue <= 1).toBe(true);
        },
      ),
      params,
    );
  });

  it("results do not depend on the order of the cases", () => {
    fc.assert(
      fc.property(
        scoredCases.chain((cs) => fc.tuple(fc.constant(cs), permutation(cs.length))),
        ([cs, order]) => {
          const truth = cs.map((c) => c.positive);
          const scores = cs.map((c) => c.score);
          const a = aucWithDelong(scores, truth);
          const b = aucWithDelong(
            order.map((i) => scores[i]!),
            order.map((i) => truth[i]!),
          );
          expect(b.auc).toBeCloseTo(a.auc, 12);
          expect(b.variance).toBeCloseTo(a.variance, 12);
          const answers = cs.map((c, i) => ({
            caseId: `c${i}`,
            truth: c.positive ? "p" : "n",
            answer: c.score > 10 ? "p" : "n",
          }));
          expect(classificationSummary(order.map((i) => answers[i]!))).toEqual(classificationSummary(answers));
        },
      ),
      params,
    );
  });

  it("the OR analysis does not depend on the order of the ratings", () => {
    const study = fc.array(
      fc.record({
        positive: fc.boolean(),
        scores: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 6, maxLength: 6 }),
      }),
      {
        minLength: 8,
        maxLength: 20,
      },
    );
    fc.assert(
      fc.property(
        study.filter((cs) => cs.filter((c) => c.positive).length >= 2 && cs.filter((c) => !c.positive).length >= 2),
        fc.integer(),
        (cs, salt) => {
          const records: MrmcRecord[] = cs.flatMap((c, k) =>
            c.scores.map((score, s) => ({
              caseId: `case${k}`,
              truth: c.positive,
              readerId: `r${s % 3}`,
              modality: s < 3 ? "unaided" : "aided",
              score,
            })),
          );
          const shuffled = records
            .map((r, i) => [((i + 1) * (salt | 1) * 2654435761) >>> 0, r] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, r]) => r);
          const a = obuchowskiRockette(buildMrmcDataset(records, { modalities: ["unaided", "aided"] }));
          const b = obuchowskiRockette(buildMrmcDataset(shuffled, { modalities: ["unaided", "aided"] }));
          expect(b.foms).toEqual(a.foms);
          expect(b.varianceComponents.varError).toBeCloseTo(a.varianceComponents.varError, 12);
          for (const p of [
            a.randomReadersRandomCases.pValue,
            a.fixedReadersRandomCases.pValue,
            a.randomReadersFixedCases.pValue,
          ]) {
            if (!Number.isNaN(p)) expect(p >= 0 && p <= 1).toBe(true);
          }
        },
      ),
      { ...params, numRuns: 40 },
    );
  });
});
