import { describe, expect, it } from "vitest";
import { vanDykeRecords } from "../../test/fixtures/van-dyke.ts";
import { buildMrmcDataset } from "../mrmc/mrmc-dataset.ts";
import { obuchowskiRockette } from "../mrmc/or-analysis.ts";
import { parseRjafrocCsv, toAnswersCsv, toImrmc, toRjafrocCsv } from "./mrmc-export.ts";

const dataset = buildMrmcDataset(vanDykeRecords());

describe("iMRMC export", () => {
  it("writes the header counts, BEGIN DATA and one truth row per case then one row per rating", () => {
    const { text, caseNumbers, readerNumbers } = toImrmc(dataset, "Van Dyke: test export");
    const lines = text.trimEnd().split("\n");
    expect(lines.slice(0, 7)).toEqual([
      "Van Dyke - test export",
      "NR: 5",
      "N0: 69",
      "N1: 45",
      "NM: 2",
      "",
      "BEGIN DATA:",
    ]);
    const rows = lines.slice(7).map((l) => l.split(","));
    expect(rows).toHaveLength(114 + 2 * 5 * 114);
    expect(rows.every((r) => r.length === 4)).toBe(true);
    expect(
      rows
        .slice(0, 114)
        .every(
          ([reader, , modality, score]) => reader === "-1" && modality === "0" && (score === "0" || score === "1"),
        ),
    ).toBe(true);
    expect(rows[0]).toEqual(["-1", String(caseNumbers["D01"]), "0", "1"]);
    expect(readerNumbers).toEqual({ "0": 1, "1": 2, "2": 3, "3": 4, "4": 5 });
    expect(rows[114]).toEqual(["1", String(caseNumbers["D01"]), "0", "5"]);
  });
});

describe("RJafroc / OR-DBM MRMC csv export", () => {
  it("round-trips to the same analysis", () => {
    const { text } = toRjafrocCsv(dataset);
    expect(text.split("\n")[0]).toBe("Reader,Treatment,Case,Truth,Rating");
    const back = buildMrmcDataset(
      parseRjafrocCsv(text).map((r) => ({
        caseId: String(r.caseNumber).padStart(3, "0"),
        truth: r.truth,
        readerId: r.reader,
        modality: r.treatment,
        score: r.rating,
      })),
    );
    const a = obuchowskiRockette(dataset).randomReadersRandomCases;
    const b = obuchowskiRockette(back).randomReadersRandomCases;
    expect(b.f).toBeCloseTo(a.f, 12);
    expect(b.ddf!).toBeCloseTo(a.ddf!, 10);
  });

  it("refuses names that would break the comma-separated layout", () => {
    expect(() => toRjafrocCsv({ ...dataset, readers: ["Dr. A, B", ...dataset.readers.slice(1)] })).toThrow(
      /reader "Dr. A, B"/,
    );
  });
});

describe("answers csv", () => {
  it("writes one quoted row per answer with correctness", () => {
    const csv = toAnswersCsv([
      { caseId: "c2", truth: "solid", rater: "AI", answer: "solid", site: "NORTH" },
      { caseId: "c1", truth: "solid", rater: "reader, 1", answer: "tubule", confidence: 60, modality: "unaided" },
    ]);
    expect(csv).toBe(
      "caseId,site,truth,rater,modality,answer,correct,confidence\n" +
        'c1,,solid,"reader, 1",unaided,tubule,0,60\n' +
        "c2,NORTH,solid,AI,,solid,1,\n",
    );
  });
});
