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

/** What every section of the report needs: the validated cases, the options, and the notes it adds to. */
type ReportContext = {
  classes: string[];
  confidence: number;
  seed: number;
  replicates: number;
  caseById: ReadonlyMap<string, StudyCase>;
  /** Every case, sorted by id. */
  cases: StudyCase[];
  /** The cases the AI has answered. */
  aiCases: StudyCase[];
  /** The AI's probabilities per case; null unless every case has them. */
  aiScored: ClassScoredCase[] | null;
  notes: string[];
};

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
  const caseById = validatedCases(input, classes);
  const cases = [...caseById.values()].sort((a, b) => compareStrings(a.caseId, b.caseId));
  const aiCases = cases.filter((c) => c.ai);
  const hasProbabilities = aiCases.length === cases.length && aiCases.every((c) => c.ai!.probabilities);
  const ctx: ReportContext = {
    classes,
    confidence: input.confidence ?? 0.95,
    seed: input.seed ?? 20200101,
    replicates: input.bootstrapReplicates ?? 2000,
    caseById,
    cases,
    aiCases,
    aiScored: hasProbabilities
      ? cases.map((c) => ({ caseId: c.caseId, truth: c.truth, scores: c.ai!.probabilities! }))
      : null,
    notes: [],
  };
  if (aiCases.length === 0) ctx.notes.push("AI: no AI answers for this study");
  else if (!hasProbabilities) ctx.notes.push("AI: probabilities missing for some cases; no AI ROC");
  const ai = aiStatistics(ctx);

  const byArm = groupBy(input.reads, (r) => r.modality ?? "");
  const armOrder = input.modalities ? input.modalities.filter((m) => byArm.has(m)) : [...byArm.keys()];
  const arms = armOrder.map((modality) => armStatistics(ctx, modality, byArm.get(modality)!));
  const mrmc = armOrder.length >= 2 ? mrmcBetweenArms(ctx, input.reads, armOrder) : null;
  return { classes, ai, arms, mrmc, notes: ctx.notes };
}

/** The cases by id, after checking that every case, AI answer and read names a known class and case. */
function validatedCases(input: StudyStatisticsInput, classes: string[]): Map<string, StudyCase> {
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
  return caseById;
}

/** The AI's accuracy on the cases it answered, and its ROC when it gave probabilities for every case. */
function aiStatistics(ctx: ReportContext): StudyStatistics["ai"] {
  const { classes, confidence, aiCases, aiScored } = ctx;
  if (aiCases.length === 0) return null;
  return {
    summary: classificationSummary(
      aiCases.map((c) => ({ caseId: c.caseId, truth: c.truth, answer: c.ai!.answer })),
      { classes, confidence },
    ),
    roc: aiScored ? oneVsRestRoc(aiScored, { classes, confidence }) : null,
  };
}

/** One arm (modality): each reader, agreement between its readers, the AI against its panel, its regions. */
function armStatistics(ctx: ReportContext, modality: string, armReads: StudyRead[]): ArmStatistics {
  const byReader = groupBy(armReads, (r) => r.readerId);
  const readers = [...byReader.entries()].map(([readerId, reads]) => readerStatistics(ctx, modality, readerId, reads));
  const readerIds = [...byReader.keys()];
  const answerOf = new Map(armReads.map((r) => [`${r.readerId}\u0000${r.caseId}`, r.answer]));
  const answerOfReader = (readerId: string, caseId: string) => answerOf.get(`${readerId}\u0000${caseId}`);
  return {
    modality,
    readers,
    readerPairs: readerPairKappas(ctx, readerIds, answerOfReader),
    fleiss: armFleissKappa(ctx, modality, readerIds, answerOfReader),
    aiVsReaders: aiVsReaderPanel(ctx, modality, armReads, readerIds.length),
    regions: regionReport(
      ctx.aiCases.map((c) => ({ caseId: c.caseId, truth: c.truth, aiAnswer: c.ai!.answer, site: c.site })),
      armReads
        .filter((r) => ctx.caseById.get(r.caseId)!.ai)
        .map((r) => ({ caseId: r.caseId, readerId: r.readerId, answer: r.answer })),
    ),
  };
}

type AnswerOfReader = (readerId: string, caseId: string) => string | undefined;

/** A reader's reads scored per class from their answer and confidence; null when any read has no confidence. */
function scoredReads(ctx: ReportContext, reads: readonly StudyRead[]): ClassScoredCase[] | null {
  if (!reads.every((r) => r.confidence !== undefined)) return null;
  return reads.map((r) => ({
    caseId: r.caseId,
    truth: ctx.caseById.get(r.caseId)!.truth,
    scores: scoresFromAnswer(r.answer, r.confidence!, ctx.classes),
  }));
}

/** One reader in one arm: accuracy, agreement with truth, and every comparison with the AI on the cases both answered. */
function readerStatistics(
  ctx: ReportContext,
  modality: string,
  readerId: string,
  reads: StudyRead[],
): ReaderStatistics {
  const { classes, confidence, caseById, aiScored, notes } = ctx;
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
  const scored = scoredReads(ctx, reads);
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
      ? bootstrapAccuracyDifference(paired, { replicates: ctx.replicates, confidence, seed: ctx.seed })
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
}

/** Cohen's kappa of every pair of readers on the cases both read (pairs with no common case are left out). */
function readerPairKappas(
  ctx: ReportContext,
  readerIds: string[],
  answerOf: AnswerOfReader,
): ArmStatistics["readerPairs"] {
  const readerPairs: ArmStatistics["readerPairs"] = [];
  for (let a = 0; a < readerIds.length; a++) {
    for (let b = a + 1; b < readerIds.length; b++) {
      const [first, second] = [readerIds[a]!, readerIds[b]!];
      const common = ctx.cases.filter(
        (c) => answerOf(first, c.caseId) !== undefined && answerOf(second, c.caseId) !== undefined,
      );
      if (common.length === 0) continue;
      const kappa = attempt(ctx.notes, `kappa ${first} vs ${second}`, () =>
        cohenKappa(
          { a: common.map((c) => answerOf(first, c.caseId)!), b: common.map((c) => answerOf(second, c.caseId)!) },
          { categories: ctx.classes, confidence: ctx.confidence },
        ),
      );
      if (kappa) readerPairs.push({ first, second, kappa });
    }
  }
  return readerPairs;
}

/** Fleiss' kappa of the arm's readers over the cases every one of them read; null with fewer than 2 readers. */
function armFleissKappa(
  ctx: ReportContext,
  modality: string,
  readerIds: string[],
  answerOf: AnswerOfReader,
): FleissKappaResult | null {
  if (readerIds.length < 2) return null;
  const readByAll = ctx.cases.filter((c) => readerIds.every((r) => answerOf(r, c.caseId) !== undefined));
  return attempt(ctx.notes, `Fleiss' kappa${modality ? ` (${modality})` : ""}`, () =>
    fleissKappa(
      readByAll.map((c) => readerIds.map((r) => answerOf(r, c.caseId)!)),
      { categories: ctx.classes },
    ),
  );
}

/** Per class, the AI against the arm's reader panel (1T-RRRC); null without AI probabilities, confidences or 2 readers. */
function aiVsReaderPanel(
  ctx: ReportContext,
  modality: string,
  armReads: StudyRead[],
  readerCount: number,
): ArmStatistics["aiVsReaders"] {
  const { classes, caseById, aiScored } = ctx;
  if (!aiScored || readerCount < 2 || !armReads.every((r) => r.confidence !== undefined)) return null;
  const panel: NonNullable<ArmStatistics["aiVsReaders"]> = [];
  for (const className of classes) {
    const result = attempt(ctx.notes, `AI vs readers, ${className}${modality ? ` (${modality})` : ""}`, () => {
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
      return aiVsReaders(dataset, aiScores, { confidence: ctx.confidence });
    });
    if (result) panel.push({ className, result });
  }
  return panel;
}

/** Per class, the OR analysis of reader-averaged AUC between the arms; null (with a note) without confidences. */
function mrmcBetweenArms(
  ctx: ReportContext,
  reads: readonly StudyRead[],
  armOrder: readonly string[],
): StudyStatistics["mrmc"] {
  const { classes, caseById } = ctx;
  if (!reads.every((r) => r.confidence !== undefined)) {
    ctx.notes.push("MRMC: reads without confidences; no ROC comparison of the arms");
    return null;
  }
  const mrmc: NonNullable<StudyStatistics["mrmc"]> = [];
  for (const className of classes) {
    const records: MrmcRecord[] = reads.map((r) => ({
      caseId: r.caseId,
      truth: caseById.get(r.caseId)!.truth === className,
      readerId: r.readerId,
      modality: r.modality ?? "",
      score: scoresFromAnswer(r.answer, r.confidence!, classes)[className]!,
    }));
    const analysis = attempt(ctx.notes, `MRMC ${className}`, () =>
      obuchowskiRockette(buildMrmcDataset(records, { modalities: armOrder }), { confidence: ctx.confidence }),
    );
    if (analysis) mrmc.push({ className, analysis });
  }
  return mrmc;
}
