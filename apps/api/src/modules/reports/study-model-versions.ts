import type { Db } from "@mammo/db";
import {
  mcnemarPaired,
  oneVsRestPairedDelong,
  StudyStatsError,
  type McNemarResult,
  type PairedDelongResult,
  type StudyStatistics,
} from "@mammo/study-stats";
import { loadUnitAiAnswers, type AiUnit } from "../inference/case-ai-answer.ts";
import type { ReportCase } from "./study-report-data.ts";
import { statisticsWithAi } from "./report-statistics.ts";
import type { StudyReport } from "./study-report.service.ts";

type Ai = NonNullable<ReportCase["ai"]>;
export type ScoredModelVersion = { id: string; name: string; version: number; answers: Map<string, Ai> };

/**
 * One model version's figures on a closed study's cases and reads ("model versions on this
 * study"): its accuracy and per-class figures, AI vs each reader and vs the reader panel, the
 * A/B/C/D regions with it as the AI, and the paired tests against the study's own model (McNemar
 * on correctness, DeLong per class on the same cases). The reads are the study's, unchanged.
 */
export type ModelVersionOnStudy = {
  modelVersionId: string;
  name: string;
  version: number;
  isStudyModel: boolean;
  /** Cases with a truth and this model's answer. */
  cases: number;
  statistics: StudyStatistics | null;
  versusStudyModel: {
    cases: number;
    /** This version first: onlyFirstCorrect = cases it got right and the study's model wrong. */
    mcnemar: McNemarResult | null;
    delong: { className: string; test: PairedDelongResult | null }[] | null;
  } | null;
  notes: string[];
};

/** The model versions scored on the study (inference runs over it that succeeded), other than its own, with their answers per study unit (keyed by study case id). */
export async function loadScoredModelVersions(
  db: Db,
  study: { id: string; modelVersionId: string | null },
  units: readonly AiUnit[],
): Promise<ScoredModelVersion[]> {
  const runs = await db.inferenceRun.findMany({
    where: {
      studyId: study.id,
      target: "STUDY",
      status: "SUCCEEDED",
      ...(study.modelVersionId ? { modelVersionId: { not: study.modelVersionId } } : {}),
    },
    select: { modelVersion: { select: { id: true, name: true, version: true } } },
    distinct: ["modelVersionId"],
  });
  const models = runs.map((r) => r.modelVersion).sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  return Promise.all(
    models.map(async (m) => {
      const answers = await loadUnitAiAnswers(db, m.id, units);
      return {
        ...m,
        answers: new Map(
          [...answers].map(([caseId, a]) => [
            caseId,
            {
              answer: a.answer,
              probabilities: Object.fromEntries(a.classNames.map((name, k) => [name, a.probabilities[k]!])),
            },
          ]),
        ),
      };
    }),
  );
}

/** The paired tests of a model version against the study's own model, on the cases both answered. */
function versusStudyModel(
  report: StudyReport,
  aiOf: (c: ReportCase) => Ai | null,
): NonNullable<ModelVersionOnStudy["versusStudyModel"]> {
  const classes = report.data.classes;
  const both = report.included.filter((c) => aiOf(c) && c.ai);
  if (both.length === 0) return { cases: 0, mcnemar: null, delong: null };
  const mcnemar = mcnemarPaired(
    both.map((c) => ({
      caseId: c.code,
      firstCorrect: aiOf(c)!.answer === c.truth,
      secondCorrect: c.ai!.answer === c.truth,
    })),
  );
  const hasScores = both.every((c) =>
    classes.every((k) => aiOf(c)!.probabilities[k] !== undefined && c.ai!.probabilities[k] !== undefined),
  );
  let delong: { className: string; test: PairedDelongResult | null }[] | null = null;
  if (hasScores) {
    const scored = (ai: (c: ReportCase) => Ai) =>
      both.map((c) => ({ caseId: c.code, truth: c.truth!, scores: ai(c).probabilities }));
    try {
      delong = oneVsRestPairedDelong(
        scored((c) => aiOf(c)!),
        scored((c) => c.ai!),
        { classes },
      );
    } catch (error) {
      if (!(error instanceof StudyStatsError)) throw error;
    }
  }
  return { cases: both.length, mcnemar, delong };
}

/**
 * The study's own model (its figures exactly as in the report) and every later model version
 * scored on its cases. The study's figures are never recomputed with another model: each version
 * gets its own statistics on the same cases and reads.
 */
export function modelVersionsOnStudy(
  report: StudyReport,
  studyModel: { id: string; name: string; version: number } | null,
  others: readonly ScoredModelVersion[],
): ModelVersionOnStudy[] {
  const codes = new Set(report.included.map((c) => c.code));
  const reads = report.data.reads.filter((r) => codes.has(r.code));
  const rows: ModelVersionOnStudy[] = [];
  if (studyModel)
    rows.push({
      modelVersionId: studyModel.id,
      name: studyModel.name,
      version: studyModel.version,
      isStudyModel: true,
      cases: report.included.filter((c) => c.ai).length,
      statistics: report.statistics,
      versusStudyModel: null,
      notes: [],
    });
  for (const other of others) {
    const aiOf = (c: ReportCase) => other.answers.get(c.studyCaseId) ?? null;
    const { statistics, notes } = statisticsWithAi(report.study, report.data.classes, report.included, reads, aiOf);
    rows.push({
      modelVersionId: other.id,
      name: other.name,
      version: other.version,
      isStudyModel: false,
      cases: report.included.filter((c) => aiOf(c)).length,
      statistics,
      versusStudyModel: studyModel ? versusStudyModel(report, aiOf) : null,
      notes,
    });
  }
  return rows;
}
