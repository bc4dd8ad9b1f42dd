import { type ClassificationSummary, classificationSummary } from "../accuracy/classification.ts";
import { type CohenKappaResult, cohenKappa, type FleissKappaResult, fleissKappa } from "../agreement/kappa.ts";
import { type AiVsReadersResult, aiVsReaders } from "../mrmc/ai-vs-readers.ts";
import { buildMrmcDataset, type MrmcRecord } from "../mrmc/mrmc-dataset.ts";
import { type OrAnalysisResult, obuchowskiRockette } from "../mrmc/or-analysis.ts";
import { type AccuracyDifferenceResult, bootstrapAccuracyDifference } from "../paired/bootstrap.ts";
import { type McNemarResult, mcnemarPaired } from "../paired/mcnemar.ts";
import { type RegionReport, regionReport } from "../regions/regions.ts";
import type { PairedDelongResult } from "../roc/delong.ts";
import {
  type ClassScoredCase,
  type OneVsRestRoc,
  oneVsRestPairedDelong,
  oneVsRestRoc,
  scoresFromAnswer,
} from "../roc/roc-curve.ts";
import { invalidInput, StudyStatsError } from "../util/errors.ts";
import { compareStrings } from "../util/math.ts";

/** A case with its pathology truth and, when the AI has been run, its answer and probabilities. */
export type StudyCase = {
  caseId: string;
  truth: string;
  site?: string;
  ai?: { answer: string; probabilities?: Readonly<Record<string, number>> };
};

/** One submitted read: a reader's answer to a case in an arm, with an optional 0-100 confidence. */
export type StudyRead = { caseId: string; readerId: string; modality?: string; answer: string; confidence?: number };

export type StudyStatisticsInput = {
  /** The classes in report order (e.g. the three IDC subtypes). */
  classes: readonly string[];
  cases: readonly StudyCase[];
  reads: readonly StudyRead[];
  /** Arm order for the MRMC comparison (e.g. ["unaided", "aided"]); default: sorted. */
  modalities?: readonly string[];
  confidence?: number;
  bootstrapReplicates?: number;
  seed?: number;
};

export type ReaderStatistics = {
  readerId: string;
  modality: string;
  summary: ClassificationSummary;
  /** Null when kappa is undefined (reader and truth each use a single class). */
  kappaVsTruth: CohenKappaResult | null;
  /** Null when the AI has not answered the cases this reader read. */
  kappaVsAi: CohenKappaResult | null;
  /** Reader is "first": onlyFirstCorrect counts cases the reader got right and the AI wrong. */
  mcnemarVsAi: McNemarResult | null;
  /** Reader accuracy − AI accuracy with a stratified bootstrap interval. */
  accuracyDifferenceVsAi: AccuracyDifferenceResult | null;
  /** One-vs-rest ROC per class; null when the reader gave no confidences. */
  roc: OneVsRestRoc[] | null;
  /** Paired DeLong per class, reader first, AI second; null without confidences or probabilities. */
  delongVsAi: { className: string; test: PairedDelongResult | null }[] | null;
};

export type ArmStatistics = {
  modality: string;
  readers: ReaderStatistics[];
  /** Cohen's kappa of every reader pair on the cases both read. */
  readerPairs: { first: string; second: string; kappa: CohenKappaResult }[];
  /** Fleiss' kappa over the cases every reader of the arm read; null with fewer than 2 readers. */
  fleiss: FleissKappaResult | null;
  /** Per class: AI vs the reader panel (1T-RRRC), when confidences and AI probabilities exist. */
  aiVsReaders: { className: string; result: AiVsReadersResult }[] | null;
  regions: RegionReport;
};

export type StudyStatistics = {
  classes: string[];
  ai: { summary: ClassificationSummary; roc: OneVsRestRoc[] | null } | null;
  arms: ArmStatistics[];
  /** Per class, OR analysis of reader-averaged AUC between the arms (when there are ≥ 2 arms). */
  mrmc: { className: string; analysis: OrAnalysisResult }[] | null;
  /** Why a section is missing (e.g. "no confidences", an unbalanced design). */
  notes: string[];
};

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const group = map.get(key(item));
    if (group) group.push(item);
    else map.set(key(item), [item]);
  }
  return new Map([...map.entries()].sort(([a], [b]) => compareStrings(a, b)));
}

/** Runs `f`; a StudyStatsError (too little data, unbalanced design) becomes a note and null. */
function attempt<T>(notes: string[], what: string, f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof StudyStatsError) {
      notes.push(`${what}: ${e.message}`);
      return null;
    }
    throw e;
  }
}

/**
 * Every figure of the study report in one call: the AI's and each reader's accuracy, per-class
 * metrics and agreement with truth, each reader against the AI (kappa, exact McNemar, bootstrap
 * accuracy difference, ROC and paired DeLong per class), agreement between readers (Cohen pairs,
 * Fleiss), AI vs the reader panel per class, the A/B/C/D regions per arm, and the OR analysis of
 * the arms per class. Sections that the data cannot support are null, with the reason in `notes`.
 */
export function studyStatistics(input: StudyStatisticsInput): StudyStatistics {
  const classes = [...input.classes];
  if (classes.length < 2) throw invalidInput("a study needs at least 2 classes");
  const classSet = new Set(classes);
  const caseById = new Map<string, StudyCase>();
  for (const c of input.cases) {
    if (caseById.has(c.caseId)) throw invalidInput(`case ${c.caseId} is listed twice`);
    if (!classSet.has(c.truth))
      throw invalidInput(`case ${c.caseId}: truth "${c.truth}" is not one of ${classes.join(", ")}`);
    if (c.ai && !classSet.has(c.ai.answer))
      throw invalidInput(`case ${c.caseId}: AI answer "${c.ai.answer}" is not one of ${classes.join(", ")}`);
    caseById.set(c.caseId, c);
  }
  for (const r of input.reads) {
    if (!caseById.has(r.caseId))
      throw invalidInput(`reader ${r.readerId} read case ${r.caseId}, which is not among the cases`);
    if (!classSet.has(r.answer))
      throw invalidInput(
        `reader ${r.readerId}, case ${r.caseId}: answer "${r.answer}" is not one of ${classes.join(", ")}`,
      );
  }
  const notes: string[] = [];
  const confidence = input.confidence ?? 0.95;
  const seed = input.seed ?? 20200101;
  const replicates = input.bootstrapReplicates ?? 2000;
  const cases = [...caseById.values()].sort((a, b) => compareStrings(a.caseId, b.caseId));
  const aiCases = cases.filter((c) => c.ai);
  const hasProbabilities = aiCases.length === cases.length && aiCases.every((c) => c.ai!.probabilities);
  const aiScored: ClassScoredCase[] | null = hasProbabilities
    ? cases.map((c) => ({ caseId: c.caseId, truth: c.truth, scores: c.ai!.probabilities! }))
    : null;
  if (aiCases.length === 0) notes.push("AI: no AI answers for this study");
  else if (!hasProbabilities) notes.push("AI: probabilities missing for some cases; no AI ROC");

  const ai =
    aiCases.length > 0
      ? {
          summary: classificationSummary(
            aiCases.map((c) => ({ caseId: c.caseId, truth: c.truth, answer: c.ai!.answer })),
            { classes, confidence },
          ),
          roc: aiScored ? oneVsRestRoc(aiScored, { classes, confidence }) : null,
        }
      : null;

  const byArm = groupBy(input.reads, (r) => r.modality ?? "");
  const armOrder = input.modalities ? input.modalities.filter((m) => byArm.has(m)) : [...byArm.keys()];
  const arms: ArmStatistics[] = armOrder.map((modality) => {
    const armReads = byArm.get(modality)!;
    const byReader = groupBy(armReads, (r) => r.readerId);
    const scoredOf = (reads: StudyRead[]): ClassScoredCase[] | null =>
      reads.every((r) => r.confidence !== undefined)
        ? reads.map((r) => ({
            caseId: r.caseId,
            truth: caseById.get(r.caseId)!.truth,
            scores: scoresFromAnswer(r.answer, r.confidence!, classes),
          }))
        : null;
    const readers = [...byReader.entries()].map(([readerId, reads]): ReaderStatistics => {
      const label = `reader ${readerId}${modality ? ` (${modality})` : ""}`;
      const answers = reads.map((r) => ({ caseId: r.caseId, truth: caseById.get(r.caseId)!.truth, answer: r.answer }));
      const withAi = reads.filter((r) => caseById.get(r.caseId)!.ai);
      const paired = withAi.map((r) => {
        const c = caseById.get(r.caseId)!;
        return {
          caseId: r.caseId,
          stratum: c.truth,
          firstCorrect: r.answer === c.truth,
          secondCorrect: c.ai!.answer === c.truth,
        };
      });
      const scored = scoredOf(reads);
      if (!scored) notes.push(`${label}: no confidences; no ROC`);
      return {
        readerId,
        modality,
        summary: classificationSummary(answers, { classes, confidence }),
        kappaVsTruth: attempt(notes, `${label} kappa vs truth`, () =>
          cohenKappa(
            { a: answers.map((a) => a.answer), b: answers.map((a) => a.truth) },
            { categories: classes, confidence },
          ),
        ),
        kappaVsAi: withAi.length
          ? attempt(notes, `${label} kappa vs AI`, () =>
              cohenKappa(
                { a: withAi.map((r) => r.answer), b: withAi.map((r) => caseById.get(r.caseId)!.ai!.answer) },
                { categories: classes, confidence },
              ),
            )
          : null,
        mcnemarVsAi: withAi.length ? mcnemarPaired(paired) : null,
        accuracyDifferenceVsAi: withAi.length
          ? bootstrapAccuracyDifference(paired, { replicates, confidence, seed })
          : null,
        roc: scored ? oneVsRestRoc(scored, { classes, confidence }) : null,
        delongVsAi:
          scored && aiScored
            ? oneVsRestPairedDelong(
                scored,
                aiScored.filter((c) => reads.some((r) => r.caseId === c.caseId)),
                { classes, confidence },
              )
            : null,
      };
    });

    const readerIds = [...byReader.keys()];
    const answerOf = new Map(armReads.map((r) => [`${r.readerId}\u0000${r.caseId}`, r.answer]));
    const readerPairs: ArmStatistics["readerPairs"] = [];
    for (let a = 0; a < readerIds.length; a++) {
      for (let b = a + 1; b < readerIds.length; b++) {
        const [first, second] = [readerIds[a]!, readerIds[b]!];
        const common = cases.filter(
          (c) => answerOf.has(`${first}\u0000${c.caseId}`) && answerOf.has(`${second}\u0000${c.caseId}`),
        );
        if (common.length === 0) continue;
        const kappa = attempt(notes, `kappa ${first} vs ${second}`, () =>
          cohenKappa(
            {
              a: common.map((c) => answerOf.get(`${first}\u0000${c.caseId}`)!),
              b: common.map((c) => answerOf.get(`${second}\u0000${c.caseId}`)!),
            },
            { categories: classes, confidence },
          ),
        );
        if (kappa) readerPairs.push({ first, second, kappa });
      }
    }
    const readByAll = cases.filter((c) => readerIds.every((r) => answerOf.has(`${r}\u0000${c.caseId}`)));
    const fleiss =
      readerIds.length >= 2
        ? attempt(notes, `Fleiss' kappa${modality ? ` (${modality})` : ""}`, () =>
            fleissKappa(
              readByAll.map((c) => readerIds.map((r) => answerOf.get(`${r}\u0000${c.caseId}`)!)),
              { categories: classes },
            ),
          )
        : null;

    let aiPanel: ArmStatistics["aiVsReaders"] = null;
    if (aiScored && readerIds.length >= 2 && armReads.every((r) => r.confidence !== undefined)) {
      aiPanel = [];
      for (const className of classes) {
        const result = attempt(notes, `AI vs readers, ${className}${modality ? ` (${modality})` : ""}`, () => {
          const dataset = buildMrmcDataset(
            armReads.map((r) => ({
              caseId: r.caseId,
              truth: caseById.get(r.caseId)!.truth === className,
              readerId: r.readerId,
              modality: modality || "reads",
              score: scoresFromAnswer(r.answer, r.confidence!, classes)[className]!,
            })),
          );
          const aiScores = dataset.caseIds.map((id) => caseById.get(id)!.ai!.probabilities![className]!);
          return aiVsReaders(dataset, aiScores, { confidence });
        });
        if (result) aiPanel.push({ className, result });
      }
    }

    return {
      modality,
      readers,
      readerPairs,
      fleiss,
      aiVsReaders: aiPanel,
      regions: regionReport(
        aiCases.map((c) => ({ caseId: c.caseId, truth: c.truth, aiAnswer: c.ai!.answer, site: c.site })),
        armReads
          .filter((r) => caseById.get(r.caseId)!.ai)
          .map((r) => ({ caseId: r.caseId, readerId: r.readerId, answer: r.answer })),
      ),
    };
  });

  let mrmc: StudyStatistics["mrmc"] = null;
  if (armOrder.length >= 2) {
    if (input.reads.every((r) => r.confidence !== undefined)) {
      mrmc = [];
      for (const className of classes) {
        const records: MrmcRecord[] = input.reads.map((r) => ({
          caseId: r.caseId,
          truth: caseById.get(r.caseId)!.truth === className,
          readerId: r.readerId,
          modality: r.modality ?? "",
          score: scoresFromAnswer(r.answer, r.confidence!, classes)[className]!,
        }));
        const analysis = attempt(notes, `MRMC ${className}`, () =>
          obuchowskiRockette(buildMrmcDataset(records, { modalities: armOrder }), { confidence }),
        );
        if (analysis) mrmc.push({ className, analysis });
      }
    } else {
      notes.push("MRMC: reads without confidences; no ROC comparison of the arms");
    }
  }

  return { classes, ai, arms, mrmc, notes };
}
