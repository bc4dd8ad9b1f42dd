import { describe, expect, it } from "vitest";
import { caseTruth, currentLabels } from "./case-truth.ts";

const label = (id: string, subtype: "SOLID" | "SCIRRHOUS", extra: { retracted?: boolean; replaces?: string } = {}) => ({
  id,
  subtype,
  retractedAt: extra.retracted ? new Date() : null,
  replacesId: extra.replaces ?? null,
});

describe("a case's truth from its labels", () => {
  it("ignores retracted labels and labels replaced by a correction", () => {
    const labels = [
      label("a", "SOLID"),
      label("b", "SCIRRHOUS", { replaces: "a" }),
      label("c", "SOLID", { retracted: true }),
    ];
    expect(currentLabels(labels).map((l) => l.id)).toEqual(["b"]);
    expect(caseTruth(labels, null)).toEqual({ status: "LABELLED", subtype: "SCIRRHOUS", method: null });
  });

  it("is UNLABELLED without current labels and CONFLICT when they disagree", () => {
    expect(caseTruth([label("a", "SOLID", { retracted: true })], null).status).toBe("UNLABELLED");
    expect(caseTruth([label("a", "SOLID"), label("b", "SCIRRHOUS")], null)).toEqual({
      status: "CONFLICT",
      subtype: null,
      method: null,
    });
  });

  it("takes the consensus over the labels", () => {
    expect(
      caseTruth([label("a", "SOLID"), label("b", "SCIRRHOUS")], { subtype: "SOLID", method: "ADJUDICATED" }),
    ).toEqual({
      status: "ADJUDICATED",
      subtype: "SOLID",
      method: "ADJUDICATED",
    });
  });
});
