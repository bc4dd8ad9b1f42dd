import type { ArmKind, Db, StudyUnit, Subtype } from "@mammo/db";
import {
  buildMrmcDataset,
  obuchowskiRockette,
  scoresFromAnswer,
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
import { siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { getManagedStudy } from "../studies/study-access.ts";
import { MODALITIES, MODALITY, statisticsWithAi } from "./report-statistics.ts";
import { loadStudyReportData, type ReportCase, type ReportRead, type StudyReportData } from "./study-report-data.ts";
import { loadScoredModelVersions, modelVersionsOnStudy, type ModelVersionOnStudy } from "./study-model-versions.ts";

export { MODALITY } from "./report-statistics.ts";

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
  /** Per reader and phase: reads, confidences given, reading times (server-measured). */
  effort: ReaderEffort[];
  notes: string[];
  /** "Model versions on this study": the study's own model and every later version scored on its cases. */
  modelVersions?: ModelVersionOnStudy[];
};

export type ReaderEffort = {
  readerLabel: string;
  phase: ArmKind;
  reads: number;
  confidencesGiven: number;
  /** Reads with a measured reading time, and the median and total of those times. */
  timedReads: number;
  medianReadingMs: number | null;
  totalReadingMs: number;
};

/** Reads, confidences given and reading times per reader and phase, in reader order. */
export function readerEffort(reads: readonly ReportRead[]): ReaderEffort[] {
  const groups = new Map<string, ReportRead[]>();
  for (const read of reads) {
    const key = `${read.readerLabel}\u0000${read.phase}`;
    groups.set(key, [...(groups.get(key) ?? []), read]);
  }
  return [...groups.values()]
    .map((group) => {
      const times = group.flatMap((r) => (r.readingTimeMs === null ? [] : [r.readingTimeMs])).sort((a, b) => a - b);
      const middle = times.length / 2;
      return {
        readerLabel: group[0]!.readerLabel,
        phase: group[0]!.phase,
        reads: group.length,
        confidencesGiven: group.filter((r) => r.confidence !== null).length,
        timedReads: times.length,
        medianReadingMs: times.length
          ? times.length % 2
            ? times[Math.floor(middle)]!
            : (times[middle - 1]! + times[middle]!) / 2
          : null,
        totalReadingMs: times.reduce((sum, t) => sum + t, 0),
      };
    })
    .sort((a, b) => a.readerLabel.localeCompare(b.readerLabel) || a.phase.localeCompare(b.phase));
}

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
 * The model versions scored on a closed study (its own model and later ones run on its cases),
 * for its coordinators and the ML engineers of its site: accuracy, AI vs readers and the paired
 * tests between versions. The reads stay as they were; no reader is named.
 */
export async function getStudyModelVersions(db: Db, viewer: Viewer, studyId: string): Promise<ModelVersionOnStudy[]> {
  const id = parseInput(z.uuid(), studyId);
  const study = await db.readerStudy.findFirst({
    where: { id, siteId: { in: siteIdsWithRole(viewer, "COORDINATOR", "ML_ENGINEER") } },
  });
  if (!study) throw notFound("reader study");
  if (study.status !== "CLOSED")
    throw new AppError("CONFLICT", "model versions are scored on a study once it is closed (its reads are final then)");
  return (await recentReport(db, study)).modelVersions ?? [];
}

/**
 * A report's figures (bootstraps, MRMC) take a while, and a page asks for one report in several
 * requests (the query limits cap the fields per request): the computed report is kept for a few
 * seconds. Only after the access check above; the figures depend on the study alone, not on who
 * asks.
 */
const REPORT_REUSE_MS = 15_000;
const recentReports = new Map<string, { at: number; report: Promise<StudyReport> }>();

async function recentReport(db: Db, study: StudyReport["study"]): Promise<StudyReport> {
  const now = Date.now();
  for (const [key, entry] of recentReports) if (now - entry.at > REPORT_REUSE_MS) recentReports.delete(key);
  // A model version scored on the study since is a new report (the study's own figures stay as they are).
  const runs = await db.inferenceRun.findMany({
    where: { studyId: study.id, target: "STUDY", status: "SUCCEEDED" },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const key = [study.id, ...runs.map((r) => r.id)].join("/");
  const known = recentReports.get(key);
  if (known) return known.report;
  const report = loadStudyReportData(db, study).then(async (data) => {
    const computed = computeStudyReport(study, data);
    const [studyModel, others] = await Promise.all([
      study.modelVersionId
        ? db.modelVersion.findUnique({
            where: { id: study.modelVersionId },
            select: { id: true, name: true, version: true },
          })
        : null,
      loadScoredModelVersions(
        db,
        study,
        data.cases.map((c) => ({ key: c.studyCaseId, caseId: c.caseId, laterality: c.laterality })),
      ),
    ]);
    return { ...computed, modelVersions: modelVersionsOnStudy(computed, studyModel, others) };
  });
  recentReports.set(key, { at: now, report });
  report.catch(() => recentReports.delete(key));
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
  const { statistics, notes: statisticsNotes } = statisticsWithAi(study, classes, included, reads, (c) => c.ai);
  notes.push(...statisticsNotes);

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
  return { study, data, included, excluded, statistics, mrmc, effort: readerEffort(reads), notes };
}

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
