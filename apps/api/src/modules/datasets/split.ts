import { createHash } from "node:crypto";
import { seedFrom, seededRandom, shuffled } from "../../lib/seeded-random.ts";

export type SplitFractions = { train: number; validation: number; test: number };
export type SplitName = "TRAIN" | "VALIDATION" | "TEST";

export type SplitCandidate = { imageId: string; patientId: string; subtype: string; contentSha256: string };
export type SplitItem = SplitCandidate & { split: SplitName; fold: number | null };

/**
 * Splits by patient, stratified by class: every image of one woman lands in the same split, and
 * each class is spread over the splits in the given proportions. Patients are assigned by their
 * majority class. TRAIN and VALIDATION patients also get a cross-validation fold 0..folds-1
 * (round-robin within each class). Deterministic for a given seed.
 */
export function splitByPatient(
  candidates: readonly SplitCandidate[],
  options: { seed: number; fractions: SplitFractions; folds: number },
): SplitItem[] {
  const byPatient = new Map<string, SplitCandidate[]>();
  for (const c of candidates) byPatient.set(c.patientId, [...(byPatient.get(c.patientId) ?? []), c]);
  const patientClass = new Map<string, string>();
  for (const [patientId, items] of byPatient) {
    const counts = new Map<string, number>();
    for (const i of items) counts.set(i.subtype, (counts.get(i.subtype) ?? 0) + 1);
    patientClass.set(patientId, [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0]);
  }
  const patientsByClass = new Map<string, string[]>();
  for (const [patientId, cls] of patientClass)
    patientsByClass.set(cls, [...(patientsByClass.get(cls) ?? []), patientId]);

  const total = options.fractions.train + options.fractions.validation + options.fractions.test;
  const assignment = new Map<string, { split: SplitName; fold: number | null }>();
  for (const [cls, patients] of [...patientsByClass].sort((a, b) => a[0].localeCompare(b[0]))) {
    const order = shuffled([...patients].sort(), seededRandom(seedFrom(options.seed, cls)));
    const nTest = Math.round((order.length * options.fractions.test) / total);
    const nValidation = Math.round((order.length * options.fractions.validation) / total);
    order.forEach((patientId, index) => {
      const split: SplitName = index < nTest ? "TEST" : index < nTest + nValidation ? "VALIDATION" : "TRAIN";
      const fold = split === "TEST" ? null : (index - nTest) % options.folds;
      assignment.set(patientId, { split, fold });
    });
  }
  return candidates.map((c) => ({ ...c, ...assignment.get(c.patientId)! }));
}

/** sha256 over the sorted items: what was frozen (image content, truth, split, fold). */
export function datasetDigest(items: readonly SplitItem[]): string {
  const lines = items.map((i) => [i.contentSha256, i.imageId, i.subtype, i.split, i.fold ?? ""].join("\t")).sort();
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}
