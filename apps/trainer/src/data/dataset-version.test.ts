import { describe, expect, it } from "vitest";
import { resolveTrainingParams } from "../ml/ml-core.ts";
import { assertTrainable, foldParts, type DatasetExample, type LoadedDatasetVersion } from "./dataset-version.ts";

const image = (id: string) => ({
  id,
  caseId: id,
  laterality: "R" as const,
  view: "CC",
  widthPx: 64,
  heightPx: 64,
  contentSha256: id,
  storageKey: id,
  status: "ACTIVE" as const,
  quarantineReason: null,
  accessionKey: id,
});

/** Two images (CC, MLO) per patient; patients p0..p(n-1) alternate classes. */
function dataset(options: {
  patients: number;
  test: number;
  foldCount: number;
  frozenFolds?: boolean;
}): LoadedDatasetVersion {
  const classNames = ["SOLID", "SCIRRHOUS"];
  const examples: DatasetExample[] = [];
  for (let p = 0; p < options.patients + options.test; p++) {
    const isTest = p >= options.patients;
    for (const view of ["CC", "MLO"]) {
      examples.push({
        imageId: `p${p}-${view}`,
        caseId: `c${p}`,
        unitIds: [`c${p}-R`],
        patientId: `p${p}`,
        subtype: classNames[p % 2]!,
        label: p % 2,
        split: isTest ? "TEST" : "TRAIN",
        fold: isTest || options.frozenFolds === false ? null : Math.floor(p / 2) % options.foldCount,
        image: image(`p${p}-${view}`),
      });
    }
  }
  return {
    id: "dv",
    version: 1,
    digest: "d",
    foldCount: options.foldCount,
    unit: "BREAST",
    classNames,
    datasetName: "ds",
    siteId: "s",
    examples,
  };
}

const params = (folds: number) => resolveTrainingParams("quick", { folds });

describe("fold parts of a run", () => {
  it("uses the dataset version's frozen folds when it has as many as the run asks for", () => {
    const parts = foldParts(dataset({ patients: 8, test: 2, foldCount: 2 }), params(2));
    expect(parts.map((p) => p.validation.map((e) => e.fold))).toEqual([Array(8).fill(0), Array(8).fill(1)]);
  });

  it("otherwise draws folds by patient: no patient is in both parts of a fold", () => {
    const parts = foldParts(dataset({ patients: 12, test: 2, foldCount: 2 }), params(3));
    expect(parts).toHaveLength(3);
    for (const part of parts) {
      const train = new Set(part.train.map((e) => e.patientId));
      expect(part.validation.some((e) => train.has(e.patientId))).toBe(false);
      expect(part.train.length + part.validation.length).toBe(24);
    }
  });

  it("refuses a fold that has no example of a class to train on, and too few patients", () => {
    // Frozen folds by class: fold 1 validates on every SOLID patient, so its training part has none.
    const skewed = dataset({ patients: 4, test: 2, foldCount: 2 });
    for (const e of skewed.examples) if (e.split === "TRAIN") e.fold = e.label;
    expect(() => foldParts(skewed, params(2))).toThrow(
      "fold 1 of 2 has no SOLID image to train on: there are too few such patients for 2-fold cross-validation",
    );
    expect(() => assertTrainable(dataset({ patients: 2, test: 2, foldCount: 4 }), params(4))).toThrow(
      '4-fold cross-validation needs at least 4 patients in the development data (TRAIN and VALIDATION splits) of dataset version 1 of "ds", it has 2: use fewer folds',
    );
  });
});
