import { describe, expect, it } from "vitest";
import { breastTruth, breastsNamed, caseTruth, currentLabels, findingTruth, type Truth } from "./case-truth.ts";

// The rule in memory, on hand-worked examples (the consistency test checks the database's kept
// columns against these functions on random histories).

const label = (id: string, subtype: "SOLID" | "SCIRRHOUS", extra: { retracted?: boolean; replaces?: string } = {}) => ({
  id,
  subtype,
  retractedAt: extra.retracted ? new Date() : null,
  replacesId: extra.replaces ?? null,
});
const finding = (laterality: "R" | "L" | null, status: Truth["status"], subtype: Truth["subtype"] = null) => ({
  laterality,
  status,
  subtype,
});

describe("a finding's truth from its labels", () => {
  it("ignores retracted labels and labels replaced by a correction", () => {
    const labels = [
      label("a", "SOLID"),
      label("b", "SCIRRHOUS", { replaces: "a" }),
      label("c", "SOLID", { retracted: true }),
    ];
    expect(currentLabels(labels).map((l) => l.id)).toEqual(["b"]);
    expect(findingTruth(labels, null)).toEqual({ status: "LABELLED", subtype: "SCIRRHOUS", method: null });
  });

  it("is UNLABELLED without current labels and CONFLICT when they disagree", () => {
    expect(findingTruth([label("a", "SOLID", { retracted: true })], null).status).toBe("UNLABELLED");
    expect(findingTruth([label("a", "SOLID"), label("b", "SCIRRHOUS")], null)).toEqual({
      status: "CONFLICT",
      subtype: null,
      method: null,
    });
  });

  it("takes the consensus over the labels", () => {
    expect(
      findingTruth([label("a", "SOLID"), label("b", "SCIRRHOUS")], { subtype: "SOLID", method: "ADJUDICATED" }),
    ).toEqual({ status: "ADJUDICATED", subtype: "SOLID", method: "ADJUDICATED" });
  });
});

describe("a breast's and a case's truth from the findings", () => {
  it("two breasts that differ are no conflict: each keeps its own truth, the case the most severe", () => {
    const findings = [finding("L", "LABELLED", "BENIGN"), finding("R", "LABELLED", "SOLID")];
    expect(breastTruth(findings, "L")).toEqual({ status: "LABELLED", subtype: "BENIGN" });
    expect(breastTruth(findings, "R")).toEqual({ status: "LABELLED", subtype: "SOLID" });
    const breasts = [breastTruth(findings, "L"), breastTruth(findings, "R")];
    expect(caseTruth(findings, breasts)).toEqual({ status: "LABELLED", subtype: "SOLID", hasMalignantFinding: true });
  });

  it("within one breast: malignant over benign; two malignant subtypes are MIXED; NORMAL with a lesion is CONFLICT", () => {
    expect(breastTruth([finding("R", "LABELLED", "BENIGN"), finding("R", "ADJUDICATED", "SOLID")], "R")).toEqual({
      status: "LABELLED",
      subtype: "SOLID",
    });
    expect(breastTruth([finding("R", "LABELLED", "SCIRRHOUS"), finding("R", "LABELLED", "SOLID")], "R")).toEqual({
      status: "MIXED",
      subtype: null,
    });
    expect(breastTruth([finding("R", "LABELLED", "NORMAL"), finding("R", "LABELLED", "BENIGN")], "R").status).toBe(
      "CONFLICT",
    );
    expect(breastTruth([finding("R", "ADJUDICATED", "NORMAL")], "R")).toEqual({
      status: "ADJUDICATED",
      subtype: "NORMAL",
    });
  });

  it("a case-level finding labelled NORMAL states both breasts normal; other case-level findings name no breast", () => {
    const normalCase = [finding(null, "LABELLED", "NORMAL")];
    expect(breastsNamed(normalCase)).toEqual(["L", "R"]);
    expect(breastTruth(normalCase, "L")).toEqual({ status: "LABELLED", subtype: "NORMAL" });
    const unplaced = [finding(null, "LABELLED", "SOLID")];
    expect(breastsNamed(unplaced)).toEqual([]);
    expect(caseTruth(unplaced, [])).toEqual({ status: "LABELLED", subtype: "SOLID", hasMalignantFinding: true });
  });

  it("a case is CONFLICT when a finding or a breast is, UNLABELLED without labels, ADJUDICATED when every labelled finding is", () => {
    expect(caseTruth([finding("R", "CONFLICT"), finding("L", "LABELLED", "BENIGN")], []).status).toBe("CONFLICT");
    expect(caseTruth([finding("R", "UNLABELLED")], []).status).toBe("UNLABELLED");
    expect(
      caseTruth(
        [finding("R", "ADJUDICATED", "SOLID"), finding("L", "ADJUDICATED", "NORMAL"), finding("L", "UNLABELLED")],
        [],
      ),
    ).toEqual({ status: "ADJUDICATED", subtype: "SOLID", hasMalignantFinding: true });
    expect(caseTruth([finding("R", "LABELLED", "BENIGN")], [{ status: "CONFLICT", subtype: null }]).status).toBe(
      "CONFLICT",
    );
  });
});
