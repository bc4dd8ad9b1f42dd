import { describe, expect, it } from "vitest";
import { readingTimesOf } from "./study-report-data.ts";
import { readerEffort } from "./study-report.service.ts";
import type { ReportRead } from "./study-report-data.ts";

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 9, 0, seconds));

describe("reading time per reader and case", () => {
  it("runs from the case on screen (last image delivered, or the previous answer if later) to the first answer", () => {
    const reads = [
      { studyReaderId: "r", studyCaseId: "c1", phase: "UNAIDED" as const, version: 1, submittedAt: at(40) },
      // The aided step of the same case starts when the unaided answer was given.
      { studyReaderId: "r", studyCaseId: "c1", phase: "AIDED" as const, version: 1, submittedAt: at(52) },
      // c2 was prefetched at 30 s while c1 was being read: its time starts at the previous answer (52 s).
      { studyReaderId: "r", studyCaseId: "c2", phase: "UNAIDED" as const, version: 1, submittedAt: at(70) },
      { studyReaderId: "r", studyCaseId: "c2", phase: "AIDED" as const, version: 1, submittedAt: at(75) },
      // A correction does not change the reading time of the read it corrects.
      { studyReaderId: "r", studyCaseId: "c2", phase: "AIDED" as const, version: 2, submittedAt: at(90) },
      // Another reader's clock is their own; c3 was never delivered (no time).
      { studyReaderId: "s", studyCaseId: "c1", phase: "UNAIDED" as const, version: 1, submittedAt: at(45) },
      { studyReaderId: "s", studyCaseId: "c3", phase: "UNAIDED" as const, version: 1, submittedAt: at(50) },
    ];
    const deliveries = [
      { studyReaderId: "r", studyCaseId: "c1", shownAt: at(10) },
      { studyReaderId: "r", studyCaseId: "c2", shownAt: at(30) },
      { studyReaderId: "s", studyCaseId: "c1", shownAt: at(20) },
    ];
    const times = readingTimesOf(reads, deliveries);
    expect(Object.fromEntries([...times].map(([k, v]) => [k.replaceAll("\u0000", " "), v]))).toEqual({
      "r c1 UNAIDED": 30_000,
      "r c1 AIDED": 12_000,
      "r c2 UNAIDED": 18_000,
      "r c2 AIDED": 5_000,
      "s c1 UNAIDED": 25_000,
    });
  });

  it("sums up per reader and phase: reads, confidences given, median and total of the measured times", () => {
    const read = (readerLabel: string, confidence: number | null, readingTimeMs: number | null): ReportRead => ({
      readerLabel,
      code: "C",
      phase: "UNAIDED",
      answer: "SOLID",
      confidence,
      version: 1,
      timeSpentMs: 0,
      readingTimeMs,
      roi: null,
    });
    const effort = readerEffort([
      read("R02", 70, 10_000),
      read("R01", null, 4_000),
      read("R01", 30, 8_000),
      read("R01", 90, null),
      read("R01", 60, 20_000),
      read("R01", 50, 6_000),
    ]);
    expect(effort).toEqual([
      {
        readerLabel: "R01",
        phase: "UNAIDED",
        reads: 5,
        confidencesGiven: 4,
        timedReads: 4,
        medianReadingMs: 7_000, // 4, 6, 8, 20 s
        totalReadingMs: 38_000,
      },
      {
        readerLabel: "R02",
        phase: "UNAIDED",
        reads: 1,
        confidencesGiven: 1,
        timedReads: 1,
        medianReadingMs: 10_000,
        totalReadingMs: 10_000,
      },
    ]);
  });
});
