import type { ArmKind, Db, StudyUnit, Subtype } from "@mammo/db";
import {
  buildMrmcDataset,
  obuchowskiRockette,
  scoresFromAnswer,
  studyStatistics,
  StudyStatsError,
  toAnswersCsv,
  toImrmc,
  toRjafrocCsv,
  type MrmcDataset,
  type MrmcExport,
  type OrAnalysisResult,
  type StudyStatistics,
} from "@mammo/study-stats";
import { z } from "zod";
import type { Viewer } from "../../auth/viewer.ts";
import { AppError } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { getManagedStudy } from "../studies/study-access.ts";
import { loadStudyReportData, type ReportCase, type ReportRead, type StudyReportData } from "./study-report-data.ts";

/** The arm names the statistics and the exports use for the two reading phases. */
export const MODALITY: Record<ArmKind, string> = { UNAIDED: "unaided", AIDED: "aided" };
const MODALITIES = [MODALITY.UNAIDED, MODALITY.AIDED];

export type StudyReport = {
  study: {
    id: string;
    name: string;
    unit: StudyUnit;
    seed: number;
    closedAt: Date | null;
    modelVersionId: string | null;
  };
  data: StudyReportData;
  /** Cases with a truth among the study's classes: the ones the figures are computed on. */
  included: ReportCase[];
  excluded: { code: string; reason: string }[];
  /** Every figure of @mammo/study-stats' studyStatistics; null when no case could be scored. */
  statistics: StudyStatistics | null;
  /**
   * Reader-averaged AUC, unaided vs aided (Obuchowski-Rockette), per class. From studyStatistics
   * when every reader read both phases; otherwise on the readers who did (the AIDED arm) and the
   * cases they all read in both phases.
   */
  mrmc: { className: string; readers: string[]; analysis: OrAnalysisResult }[] | null;
  notes: string[];
};

/**
 * The report of a CLOSED study, for the coordinators of its site. While the study is open they
 * see progress counts only (studies module), so the report refuses until it is closed.
 */
export async function getStudyReport(db: Db, viewer: Viewer, studyId: string): Promise<StudyReport> {
  const id = parseInput(z.uuid(), studyId);
  const study = await getManagedStudy(db, viewer, id);
  if (study.status !== "CLOSED")
    throw new AppError(
      "CONFLICT",
      "the report is available once the study is closed (while it is open only progress is shown)",
    );
  return recentReport(db, study);
}

/**
 * A report's figures (bootstraps, MRMC) take a while, and a page asks for one report in several
 * requests (the query limits cap the fields per request): the computed report is kept for a few
 * seconds. Only after the access check above; the figures depend on the study alone, not on who
 * asks.
 */
const REPORT_REUSE_MS = 15_000;
const recentReports = new Map<string, { at: number; report: Promise<StudyReport> }>();

function recentReport(db: Db, study: StudyReport["study"]): Promise<StudyReport> {
  const now = Date.now();
  for (const [key, entry] of recentReports) if (now - entry.at > REPORT_REUSE_MS) recentReports.delete(key);
  const known = recentReports.get(study.id);
  if (known) return known.report;
  const report = loadStudyReportData(db, study).then((data) => computeStudyReport(study, data));
  recentReports.set(study.id, { at: now, report });
  report.catch(() => recentReports.delete(study.id));
  return report;
}

/** The figures of a report from its data (pure: no database). */
export function computeStudyReport(study: StudyReport["study"], data: StudyReportData): StudyReport {
  const notes: string[] = [];
  const classes = data.classes;
  const excluded: StudyReport["excluded"] = [];
  const included: ReportCase[] = [];
  for (const c of data.cases) {
    if (!c.truth)
      excluded.push({
        code: c.code,
        reason:
          c.truthStatus === "CONFLICT"
            ? "its pathology labels disagree (no consensus)"
            : c.truthStatus === "MIXED"
              ? "its breast holds findings of two classes of the same severity"
              : "it has no pathology truth",
      });
    else if (!classes.includes(c.truth))
      excluded.push({ code: c.code, reason: `its truth ${c.truth} is not among the study's answers` });
    else included.push(c);
  }
  const codes = new Set(included.map((c) => c.code));
  const reads = data.reads.filter((r) => codes.has(r.code));
  const aiUsable = (c: ReportCase) => c.ai !== null && classes.includes(c.ai.answer);
  const aiHasAllClasses = included.every((c) => !c.ai || classes.every((k) => c.ai!.probabilities[k] !== undefined));
  if (included.some((c) => c.ai && !classes.includes(c.ai.answer)))
    notes.push("AI: some answers are classes the study does not offer; those cases have no AI answer");

  let statistics: StudyStatistics | null = null;
  if (included.length > 0) {
    try {
      statistics = studyStatistics({
        classes,
        cases: included.map((c) => ({
          caseId: c.code,
          truth: c.truth!,
          site: c.siteCode,
          ...(aiUsable(c)
            ? {
                ai: {
                  answer: c.ai!.answer,
                  ...(aiHasAllClasses ? { probabilities: pick(c.ai!.probabilities, classes) } : {}),
                },
              }
            : {}),
        })),
        reads: reads.map((r) => ({
          caseId: r.code,
          readerId: r.readerLabel,
          modality: MODALITY[r.phase],
          answer: r.answer,
          ...(r.confidence === null ? {} : { confidence: r.confidence }),
        })),
        modalities: MODALITIES,
        seed: study.seed,
      });
      notes.push(...statistics.notes);
    } catch (error) {
      if (!(error instanceof StudyStatsError)) throw error;
      notes.push(`statistics: ${error.message}`);
    }
  } else {
    notes.push("no case has a pathology truth among the study's answers: nothing to score");
  }

  // studyStatistics tries every reader; with UNAIDED-arm readers (no aided reads) the design is
  // unbalanced and it yields none, so compare on the readers who read both phases.
  let mrmc: StudyReport["mrmc"] = statistics?.mrmc?.length
    ? statistics.mrmc.map((m) => ({ ...m, readers: m.analysis.readers }))
    : null;
  if (!mrmc && reads.some((r) => r.phase === "AIDED")) {
    const balanced = balancedTwoPhaseReads(reads);
    if (balanced) {
      mrmc = [];
      for (const className of classes) {
        try {
          const analysis = obuchowskiRockette(mrmcDataset(balanced, included, classes, className), {});
          mrmc.push({ className, readers: analysis.readers, analysis });
        } catch (error) {
          if (!(error instanceof StudyStatsError)) throw error;
          notes.push(`MRMC ${className} (readers of both phases): ${error.message}`);
        }
      }
    } else {
      notes.push("MRMC: no readers with confidences in both phases on common cases");
    }
  }
  return { study, data, included, excluded, statistics, mrmc, notes };
}

const pick = (probabilities: Record<string, number>, classes: readonly string[]) =>
  Object.fromEntries(classes.map((k) => [k, probabilities[k]!]));

/**
 * The reads of the readers who read in both phases, on the cases each of them read in both, when
 * all have confidences: the balanced design an unaided-vs-aided MRMC comparison needs.
 */
function balancedTwoPhaseReads(reads: readonly ReportRead[]): ReportRead[] | null {
  const twoPhase = [...new Set(reads.filter((r) => r.phase === "AIDED").map((r) => r.readerLabel))];
  if (twoPhase.length === 0) return null;
  const has = new Set(reads.map((r) => `${r.readerLabel}\u0000${r.code}\u0000${r.phase}`));
  const codes = [...new Set(reads.map((r) => r.code))].filter((code) =>
    twoPhase.every(
      (reader) => has.has(`${reader}\u0000${code}\u0000UNAIDED`) && has.has(`${reader}\u0000${code}\u0000AIDED`),
    ),
  );
  const chosen = reads.filter((r) => twoPhase.includes(r.readerLabel) && codes.includes(r.code));
  if (codes.length === 0 || chosen.some((r) => r.confidence === null)) return null;
  return chosen;
}

/** One-vs-rest ratings of a class (reader's confidence mapped to a class score by study-stats' rule). */
function mrmcDataset(
  reads: readonly ReportRead[],
  cases: readonly ReportCase[],
  classes: readonly Subtype[],
  className: string,
): MrmcDataset {
  const truthOf = new Map(cases.map((c) => [c.code, c.truth]));
  const phases = new Set(reads.map((r) => r.phase));
  return buildMrmcDataset(
    reads.map((r) => ({
      caseId: r.code,
      truth: truthOf.get(r.code) === className,
      readerId: r.readerLabel,
      modality: MODALITY[r.phase],
      score: scoresFromAnswer(r.answer, r.confidence!, classes)[className]!,
    })),
    { modalities: MODALITIES.filter((m) => phases.has(m === "aided" ? "AIDED" : "UNAIDED")) },
  );
}

export type ReportExports = {
  answersCsv: string;
  rjafrocCsv: string | null;
  imrmc: string | null;
  caseNumbers: { code: string; number: number }[];
  notes: string[];
};

/**
 * CSV exports for checking the figures in RJafroc / iMRMC: every answer (readers and the AI),
 * and the ratings of one class one-vs-rest (in both phases where readers read both, else unaided).
 */
export function reportExports(report: StudyReport, className: Subtype): ReportExports {
  const notes: string[] = [];
  const truthOf = new Map(report.included.map((c) => [c.code, c]));
  const reads = report.data.reads.filter((r) => truthOf.has(r.code));
  const answersCsv = toAnswersCsv([
    ...reads.map((r) => ({
      caseId: r.code,
      site: truthOf.get(r.code)!.siteCode,
      truth: truthOf.get(r.code)!.truth!,
      rater: r.readerLabel,
      modality: MODALITY[r.phase],
      answer: r.answer,
      ...(r.confidence === null ? {} : { confidence: r.confidence }),
    })),
    ...report.included
      .filter((c) => c.ai)
      .map((c) => ({
        caseId: c.code,
        site: c.siteCode,
        truth: c.truth!,
        rater: "AI",
        modality: "ai",
        answer: c.ai!.answer,
      })),
  ]);
  let ratings: MrmcExport | null = null;
  let imrmc: MrmcExport | null = null;
  if (!report.data.classes.includes(className)) {
    notes.push(`${className} is not one of the study's answers`);
  } else {
    const balanced =
      balancedTwoPhaseReads(reads) ??
      (reads.every((r) => r.confidence !== null) ? reads.filter((r) => r.phase === "UNAIDED") : null);
    if (!balanced || balanced.length === 0) {
      notes.push("MRMC exports need a confidence with every read");
    } else {
      try {
        const dataset = mrmcDataset(balanced, report.included, report.data.classes, className);
        ratings = toRjafrocCsv(dataset);
        imrmc = toImrmc(dataset, `Reader study ${report.study.name}, ${className} vs rest`);
      } catch (error) {
        if (!(error instanceof StudyStatsError)) throw error;
        notes.push(`MRMC exports: ${error.message}`);
      }
    }
  }
  const numbers = ratings?.caseNumbers ?? {};
  return {
    answersCsv,
    rjafrocCsv: ratings?.text ?? null,
    imrmc: imrmc?.text ?? null,
    caseNumbers: Object.entries(numbers).map(([code, number]) => ({ code, number })),
    notes,
  };
}
