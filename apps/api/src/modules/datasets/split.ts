import { createHash } from "node:crypto";

// The split by patient and the digest, in memory: the same rule as dataset-selection.ts computes
// in SQL (a test freezes a small set both ways and compares the digests).

export type SplitFractions = { train: number; validation: number; test: number };
export type SplitName = "TRAIN" | "VALIDATION" | "TEST";

export type SplitCandidate = {
  imageId: string;
  unitId: string;
  patientId: string;
  subtype: string;
  contentSha256: string;
};
export type SplitItem = SplitCandidate & { split: SplitName; fold: number | null };

const md5 = (text: string) => createHash("md5").update(text).digest("hex");
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Splits by patient, stratified by class: every image of one woman lands in the same split, and
 * each class is spread over the splits in the given proportions. A patient takes the majority
 * class of her items (ties to the first class name); within a class, patients are ordered by
 * md5("<seed>:<class>:<patient id>") and the first round(n * test) go to TEST, the next
 * round(n * validation) to VALIDATION, the rest to TRAIN; TRAIN and VALIDATION patients get the
 * cross-validation fold (index - TEST count) mod folds. Deterministic for a given seed.
 */
export function splitByPatient(
  candidates: readonly SplitCandidate[],
  options: { seed: number; fractions: SplitFractions; folds: number },
): SplitItem[] {
  const counts = new Map<string, Map<string, number>>();
  for (const c of candidates) {
    const perClass = counts.get(c.patientId) ?? new Map<string, number>();
    perClass.set(c.subtype, (perClass.get(c.subtype) ?? 0) + 1);
    counts.set(c.patientId, perClass);
  }
  const patientsByClass = new Map<string, string[]>();
  for (const [patientId, perClass] of counts) {
    const cls = [...perClass].sort((a, b) => b[1] - a[1] || byCodeUnit(a[0], b[0]))[0]![0];
    const patients = patientsByClass.get(cls);
    if (patients) patients.push(patientId);
    else patientsByClass.set(cls, [patientId]);
  }
  const { train, validation, test } = options.fractions;
  const total = train + validation + test;
  const assignment = new Map<string, { split: SplitName; fold: number | null }>();
  for (const [cls, patients] of patientsByClass) {
    const key = new Map(patients.map((p) => [p, md5(`${options.seed}:${cls}:${p}`)]));
    const order = [...patients].sort((a, b) => byCodeUnit(key.get(a)!, key.get(b)!) || byCodeUnit(a, b));
    const nTest = Math.floor((order.length * test) / total + 0.5);
    const nValidation = Math.floor((order.length * validation) / total + 0.5);
    order.forEach((patientId, index) => {
      const split: SplitName = index < nTest ? "TEST" : index < nTest + nValidation ? "VALIDATION" : "TRAIN";
      assignment.set(patientId, { split, fold: split === "TEST" ? null : (index - nTest) % options.folds });
    });
  }
  return candidates.map((c) => ({ ...c, ...assignment.get(c.patientId)! }));
}

/** sha256 over the sorted items: what was frozen (image content, image, unit, truth, split, fold). */
export function datasetDigest(items: readonly SplitItem[]): string {
  const lines = items
    .map((i) => [i.contentSha256, i.imageId, i.unitId, i.subtype, i.split, i.fold ?? ""].join("\t"))
    .sort(byCodeUnit);
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}
