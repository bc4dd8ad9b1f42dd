import type { ArmKind, RoiShape, Subtype } from "@mammo/db";
import type {
  AccuracyDifferenceResult,
  ArmStatistics,
  ClassificationSummary,
  CohenKappaResult,
  McNemarResult,
  OneVsRestRoc,
  Proportion,
  ReaderStatistics,
  RegionCounts,
} from "@mammo/study-stats";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { requestLoader } from "../../graphql/request-loader.ts";
import { AiHeatmapRef, ReadingImageRef, ReadRoiRef } from "../reading/reading.schema.ts";
import { loadReadingImages } from "../reading/reading.service.ts";
import { LateralityEnum, SubtypeEnum } from "../../graphql/enums.ts";
import { ArmKindEnum, ReaderStudyRef, StudyUnitEnum } from "../studies/study.schema.ts";
import type { ReportCase, ReportRead } from "./study-report-data.ts";
import {
  getStudyReport,
  MODALITY,
  reportExports,
  type ReaderEffort,
  type StudyReport,
} from "./study-report.service.ts";

// The study report as typed figures (what the web app shows) plus `statistics`, the complete
// output of @mammo/study-stats as JSON (every interval, test and curve it computes).

const phaseOf = (modality: string): ArmKind => (modality === MODALITY.AIDED ? "AIDED" : "UNAIDED");

const IntervalRef = builder.objectRef<Proportion>("ProportionEstimate").implement({
  description: "A proportion with its Wilson confidence interval",
  fields: (t) => ({
    estimate: t.exposeFloat("estimate"),
    lower: t.exposeFloat("lower"),
    upper: t.exposeFloat("upper"),
    successes: t.exposeInt("successes"),
    total: t.exposeInt("total"),
  }),
});

type ClassRow = ClassificationSummary["perClass"][number] & { auc: NonNullable<OneVsRestRoc["estimate"]> | null };
const AucRef = builder.objectRef<NonNullable<OneVsRestRoc["estimate"]>>("AucEstimate").implement({
  description: "Empirical (Mann-Whitney) AUC with DeLong's confidence interval",
  fields: (t) => ({
    auc: t.exposeFloat("auc"),
    lower: t.exposeFloat("lower"),
    upper: t.exposeFloat("upper"),
    standardError: t.exposeFloat("standardError"),
  }),
});
const ClassFiguresRef = builder.objectRef<ClassRow>("ClassFigures").implement({
  description: "One-vs-rest figures of one subtype",
  fields: (t) => ({
    subtype: t.field({ type: SubtypeEnum, resolve: (c) => c.className as Subtype }),
    support: t.exposeInt("support"),
    sensitivity: t.field({ type: IntervalRef, nullable: true, resolve: (c) => c.sensitivity }),
    specificity: t.field({ type: IntervalRef, nullable: true, resolve: (c) => c.specificity }),
    ppv: t.field({ type: IntervalRef, nullable: true, resolve: (c) => c.ppv }),
    auc: t.field({
      type: AucRef,
      nullable: true,
      description: "When scores exist (AI probabilities, reader confidences)",
      resolve: (c) => c.auc,
    }),
  }),
});

const ConfusionRowRef = builder.objectRef<{ truth: Subtype; counts: number[] }>("ConfusionRow").implement({
  fields: (t) => ({
    truth: t.field({ type: SubtypeEnum, resolve: (r) => r.truth }),
    counts: t.exposeIntList("counts"),
  }),
});

type Classifier = { summary: ClassificationSummary; roc: OneVsRestRoc[] | null };
export const ClassifierFiguresRef = builder.objectRef<Classifier>("ClassifierFigures").implement({
  fields: (t) => ({
    cases: t.int({ resolve: (c) => c.summary.n }),
    accuracy: t.field({ type: IntervalRef, resolve: (c) => c.summary.accuracy }),
    macroSensitivity: t.float({ resolve: (c) => c.summary.macroSensitivity }),
    macroSpecificity: t.float({ resolve: (c) => c.summary.macroSpecificity }),
    perClass: t.field({
      type: [ClassFiguresRef],
      complexity: { field: 1, multiplier: 6 },
      resolve: (c) =>
        c.summary.perClass.map((k) => ({
          ...k,
          auc: c.roc?.find((r) => r.className === k.className)?.estimate ?? null,
        })),
    }),
    confusionMatrix: t.field({
      type: [ConfusionRowRef],
      description: "One row per true subtype; counts per answer in the study's class order",
      resolve: (c) =>
        c.summary.confusion.classes.map((truth, i) => ({
          truth: truth as Subtype,
          counts: c.summary.confusion.counts[i]!,
        })),
    }),
  }),
});

const KappaRef = builder.objectRef<CohenKappaResult>("KappaEstimate").implement({
  description: "Cohen's kappa with its confidence interval",
  fields: (t) => ({
    kappa: t.exposeFloat("kappa"),
    lower: t.exposeFloat("lower"),
    upper: t.exposeFloat("upper"),
    pValue: t.exposeFloat("pValue"),
    cases: t.int({ resolve: (k) => k.n }),
  }),
});
const McNemarRef = builder.objectRef<McNemarResult>("McNemarTest").implement({
  description: "Exact McNemar test of the reader's vs the AI's correctness on the same cases",
  fields: (t) => ({
    onlyReaderCorrect: t.int({ resolve: (m) => m.onlyFirstCorrect }),
    onlyAiCorrect: t.int({ resolve: (m) => m.onlySecondCorrect }),
    bothCorrect: t.exposeInt("bothCorrect"),
    bothWrong: t.exposeInt("bothWrong"),
    pValue: t.exposeFloat("pValue"),
    midP: t.exposeFloat("midP"),
  }),
});
const AccuracyDifferenceRef = builder.objectRef<AccuracyDifferenceResult>("AccuracyDifference").implement({
  description: "Reader accuracy minus AI accuracy, with a stratified, seeded case-bootstrap interval",
  fields: (t) => ({
    readerAccuracy: t.float({ resolve: (d) => d.firstAccuracy }),
    aiAccuracy: t.float({ resolve: (d) => d.secondAccuracy }),
    difference: t.exposeFloat("difference"),
    lower: t.exposeFloat("lower"),
    upper: t.exposeFloat("upper"),
  }),
});
type DelongRow = NonNullable<ReaderStatistics["delongVsAi"]>[number];
const DelongRef = builder.objectRef<DelongRow>("PairedDelongTest").implement({
  description: "Paired DeLong test of the reader's vs the AI's AUC for one subtype",
  fields: (t) => ({
    subtype: t.field({ type: SubtypeEnum, resolve: (d) => d.className as Subtype }),
    readerAuc: t.float({ nullable: true, resolve: (d) => d.test?.aucFirst ?? null }),
    aiAuc: t.float({ nullable: true, resolve: (d) => d.test?.aucSecond ?? null }),
    difference: t.float({ nullable: true, resolve: (d) => d.test?.difference ?? null }),
    pValue: t.float({ nullable: true, resolve: (d) => d.test?.pValue ?? null }),
  }),
});

const ReaderFiguresRef = builder.objectRef<ReaderStatistics>("ReaderFigures").implement({
  fields: (t) => ({
    readerLabel: t.exposeString("readerId"),
    phase: t.field({ type: ArmKindEnum, resolve: (r) => phaseOf(r.modality) }),
    figures: t.field({ type: ClassifierFiguresRef, resolve: (r) => ({ summary: r.summary, roc: r.roc }) }),
    kappaVsTruth: t.field({ type: KappaRef, nullable: true, resolve: (r) => r.kappaVsTruth }),
    kappaVsAi: t.field({ type: KappaRef, nullable: true, resolve: (r) => r.kappaVsAi }),
    mcnemarVsAi: t.field({ type: McNemarRef, nullable: true, resolve: (r) => r.mcnemarVsAi }),
    accuracyDifferenceVsAi: t.field({
      type: AccuracyDifferenceRef,
      nullable: true,
      resolve: (r) => r.accuracyDifferenceVsAi,
    }),
    delongVsAi: t.field({
      type: [DelongRef],
      nullable: true,
      complexity: { field: 1, multiplier: 6 },
      resolve: (r) => r.delongVsAi,
    }),
  }),
});

const RegionCountsRef = builder.objectRef<RegionCounts & { key: string }>("RegionCounts").implement({
  description: "A: reader right, AI wrong; B: both right; C: reader wrong, AI right; D: both wrong",
  fields: (t) => ({
    key: t.exposeString("key", { description: "The reader label, subtype or site code counted (empty: all)" }),
    a: t.int({ resolve: (c) => c.A }),
    b: t.int({ resolve: (c) => c.B }),
    c: t.int({ resolve: (c) => c.C }),
    d: t.int({ resolve: (c) => c.D }),
    total: t.exposeInt("total"),
  }),
});

const ReaderPairRef = builder.objectRef<ArmStatistics["readerPairs"][number]>("ReaderPairKappa").implement({
  fields: (t) => ({
    first: t.exposeString("first"),
    second: t.exposeString("second"),
    kappa: t.field({ type: KappaRef, resolve: (p) => p.kappa }),
  }),
});

export const ArmFiguresRef = builder.objectRef<ArmStatistics>("PhaseFigures").implement({
  description: "Figures of one reading phase (unaided reads of every reader, or aided reads of the AIDED arm)",
  fields: (t) => ({
    phase: t.field({ type: ArmKindEnum, resolve: (a) => phaseOf(a.modality) }),
    readers: t.field({ type: [ReaderFiguresRef], resolve: (a) => a.readers }),
    readerPairs: t.field({ type: [ReaderPairRef], resolve: (a) => a.readerPairs }),
    fleissKappa: t.float({ nullable: true, resolve: (a) => a.fleiss?.kappa ?? null }),
    fleissPValue: t.float({ nullable: true, resolve: (a) => a.fleiss?.pValue ?? null }),
    regions: t.field({ type: RegionCountsRef, resolve: (a) => ({ key: "", ...a.regions.overall }) }),
    regionsByReader: t.field({
      type: [RegionCountsRef],
      resolve: (a) => a.regions.byReader.map((r) => ({ key: r.readerId, ...r.counts })),
    }),
    regionsBySubtype: t.field({
      type: [RegionCountsRef],
      resolve: (a) => a.regions.bySubtype.map((r) => ({ key: r.subtype, ...r.counts })),
    }),
    regionsBySite: t.field({
      type: [RegionCountsRef],
      resolve: (a) => a.regions.bySite.map((r) => ({ key: r.site, ...r.counts })),
    }),
  }),
});

type MrmcRow = NonNullable<StudyReport["mrmc"]>[number];
const MrmcRef = builder.objectRef<MrmcRow>("MrmcComparison").implement({
  description:
    "Obuchowski-Rockette MRMC analysis (random readers and cases, Hillis ddf) of reader-averaged AUC, unaided vs aided, one subtype vs rest",
  fields: (t) => ({
    subtype: t.field({ type: SubtypeEnum, resolve: (m) => m.className as Subtype }),
    readers: t.stringList({ resolve: (m) => m.readers }),
    unaidedAuc: t.float({ resolve: (m) => m.analysis.armMeans[0]! }),
    aidedAuc: t.float({ nullable: true, resolve: (m) => m.analysis.armMeans[1] ?? null }),
    difference: t.float({
      nullable: true,
      description: "unaided − aided",
      resolve: (m) => m.analysis.randomReadersRandomCases.differences[0]?.difference ?? null,
    }),
    lower: t.float({
      nullable: true,
      resolve: (m) => m.analysis.randomReadersRandomCases.differences[0]?.lower ?? null,
    }),
    upper: t.float({
      nullable: true,
      resolve: (m) => m.analysis.randomReadersRandomCases.differences[0]?.upper ?? null,
    }),
    f: t.float({ resolve: (m) => m.analysis.randomReadersRandomCases.f }),
    ndf: t.float({ resolve: (m) => m.analysis.randomReadersRandomCases.ndf }),
    ddf: t.float({ nullable: true, resolve: (m) => m.analysis.randomReadersRandomCases.ddf }),
    pValue: t.float({ resolve: (m) => m.analysis.randomReadersRandomCases.pValue }),
  }),
});

type CaseRow = { case: ReportCase; reads: ReportRead[] };

/**
 * The report's cases, each with its reads, grouped once per computed report: the report page asks
 * for every case (1000 cases x 20 reads), and looking each up in the whole report per field was
 * quadratic.
 */
const caseRowsOf = new WeakMap<StudyReport, CaseRow[]>();
function reportCaseRows(report: StudyReport): CaseRow[] {
  let rows = caseRowsOf.get(report);
  if (!rows) {
    const readsByCode = new Map<string, ReportRead[]>();
    for (const read of report.data.reads) {
      const own = readsByCode.get(read.code);
      if (own) own.push(read);
      else readsByCode.set(read.code, [read]);
    }
    rows = report.included.map((c) => ({ case: c, reads: readsByCode.get(c.code) ?? [] }));
    caseRowsOf.set(report, rows);
  }
  return rows;
}
type ReadRoi = { imageId: string; shape: RoiShape; geometry: unknown };
const ReportReadRef = builder
  .objectRef<{
    readerLabel: string;
    phase: ArmKind;
    answer: Subtype;
    confidence: number | null;
    isCorrect: boolean;
    region: string | null;
    readingTimeMs: number | null;
    roi: ReadRoi | null;
  }>("ReportRead")
  .implement({
    fields: (t) => ({
      roi: t.field({
        type: ReadRoiRef,
        nullable: true,
        description: "The reader's ROI mark, if any",
        resolve: (r) => r.roi,
      }),
      readerLabel: t.exposeString("readerLabel"),
      phase: t.field({ type: ArmKindEnum, resolve: (r) => r.phase }),
      answer: t.field({ type: SubtypeEnum, resolve: (r) => r.answer }),
      confidence: t.exposeInt("confidence", { nullable: true }),
      isCorrect: t.exposeBoolean("isCorrect"),
      region: t.exposeString("region", {
        nullable: true,
        description: "A/B/C/D against the AI (null without an AI answer)",
      }),
      readingTimeMs: t.exposeInt("readingTimeMs", {
        nullable: true,
        description:
          "Measured by the server: from every image of the case delivered to the reader (or their previous answer, if later) to this answer",
      }),
    }),
  });
const ReportCaseRef = builder.objectRef<CaseRow>("ReportCase").implement({
  description:
    "One study case (a finding, a breast or a case): its truth, the AI's answer and every reader's answer with its A/B/C/D region",
  fields: (t) => ({
    code: t.string({ resolve: (row) => row.case.code }),
    laterality: t.field({
      type: LateralityEnum,
      nullable: true,
      description: "The breast read (BREAST units) or the finding's breast (FINDING units)",
      resolve: (row) => row.case.laterality,
    }),
    findingKey: t.string({
      nullable: true,
      description: "FINDING units: the finding's key within its case",
      resolve: (row) => row.case.findingKey,
    }),
    caseId: t.string({ resolve: (row) => encodeGlobalID("Case", row.case.caseId) }),
    siteCode: t.string({ resolve: (row) => row.case.siteCode }),
    truth: t.field({ type: SubtypeEnum, resolve: (row) => row.case.truth! }),
    aiAnswer: t.field({ type: SubtypeEnum, nullable: true, resolve: (row) => row.case.ai?.answer ?? null }),
    images: t.field({
      type: [ReadingImageRef],
      description: "The case's images in hanging order (for the per-case explorer: image, reader's ROI, AI heatmap)",
      complexity: { field: 1, multiplier: 4 },
      resolve: (row, _args, ctx) =>
        requestLoader(ctx, "reportCaseImages", (ids: readonly string[]) => loadReadingImages(ctx.db, ids)).load(
          row.case.caseId,
        ),
    }),
    aiHeatmaps: t.field({
      type: [AiHeatmapRef],
      description: "The AI's heatmap per image, for the case's answer",
      complexity: { field: 1, multiplier: 4 },
      resolve: (row) => row.case.heatmaps,
    }),
    reads: t.field({
      type: [ReportReadRef],
      resolve: ({ case: c, reads }) => {
        const aiCorrect = c.ai ? c.ai.answer === c.truth : null;
        return [...reads]
          .sort((a, b) => a.readerLabel.localeCompare(b.readerLabel) || a.phase.localeCompare(b.phase))
          .map((r) => {
            const isCorrect = r.answer === c.truth;
            const region = aiCorrect === null ? null : isCorrect ? (aiCorrect ? "B" : "A") : aiCorrect ? "C" : "D";
            return {
              readerLabel: r.readerLabel,
              phase: r.phase,
              answer: r.answer,
              confidence: r.confidence,
              isCorrect,
              region,
              readingTimeMs: r.readingTimeMs,
              roi: r.roi,
            };
          });
      },
    }),
  }),
});

const ReportReaderRef = builder.objectRef<StudyReport["data"]["readers"][number]>("ReportReader").implement({
  fields: (t) => ({
    label: t.exposeString("label"),
    name: t.exposeString("name"),
    email: t.exposeString("email"),
    arm: t.field({ type: ArmKindEnum, resolve: (r) => r.arm }),
  }),
});

const ReaderEffortRef = builder.objectRef<ReaderEffort>("ReaderEffort").implement({
  description: "One reader in one phase: reads, confidences given, and reading times measured by the server",
  fields: (t) => ({
    readerLabel: t.exposeString("readerLabel"),
    phase: t.field({ type: ArmKindEnum, resolve: (e) => e.phase }),
    reads: t.exposeInt("reads"),
    confidencesGiven: t.exposeInt("confidencesGiven"),
    timedReads: t.exposeInt("timedReads", { description: "Reads with a measured reading time" }),
    medianReadingMs: t.exposeFloat("medianReadingMs", { nullable: true }),
    totalReadingMs: t.exposeFloat("totalReadingMs"),
  }),
});

const ExcludedCaseRef = builder.objectRef<StudyReport["excluded"][number]>("ExcludedCase").implement({
  fields: (t) => ({ code: t.exposeString("code"), reason: t.exposeString("reason") }),
});

const ReportExportsRef = builder.objectRef<ReturnType<typeof reportExports>>("StudyReportExports").implement({
  description: "CSV for checking the figures in RJafroc and iMRMC (layouts in packages/study-stats/README.md)",
  fields: (t) => ({
    answersCsv: t.exposeString("answersCsv", {
      description: "caseId,site,truth,rater,modality,answer,correct,confidence: readers and the AI",
    }),
    rjafrocCsv: t.exposeString("rjafrocCsv", {
      nullable: true,
      description: "Reader,Treatment,Case,Truth,Rating (RJafroc DfReadDataFile format MRMC)",
    }),
    imrmc: t.exposeString("imrmc", { nullable: true, description: "iMRMC input file (BEGIN DATA:)" }),
    caseCodes: t.stringList({
      description: "The study case code of case number 1, 2, ... in the MRMC files",
      resolve: (e) => e.caseNumbers.sort((a, b) => a.number - b.number).map((c) => c.code),
    }),
    notes: t.exposeStringList("notes"),
  }),
});

const StudyReportRef = builder.objectRef<StudyReport>("StudyReport").implement({
  description: "The report of a closed reader study (coordinators of its site)",
  fields: (t) => ({
    studyId: t.string({ resolve: (r) => encodeGlobalID("ReaderStudy", r.study.id) }),
    studyName: t.string({ resolve: (r) => r.study.name }),
    closedAt: t.field({ type: "DateTime", nullable: true, resolve: (r) => r.study.closedAt }),
    unit: t.field({
      type: StudyUnitEnum,
      description: "What each study case is: the unit of every figure",
      resolve: (r) => r.data.unit,
    }),
    classes: t.field({ type: [SubtypeEnum], resolve: (r) => r.data.classes }),
    readers: t.field({ type: [ReportReaderRef], resolve: (r) => r.data.readers }),
    ai: t.field({
      type: ClassifierFiguresRef,
      nullable: true,
      description: "The AI's answers per study case (mean probability over the unit's images)",
      resolve: (r) => r.statistics?.ai ?? null,
    }),
    phases: t.field({ type: [ArmFiguresRef], resolve: (r) => r.statistics?.arms ?? [] }),
    mrmc: t.field({ type: [MrmcRef], nullable: true, resolve: (r) => r.mrmc }),
    cases: t.field({ type: [ReportCaseRef], resolve: (r) => reportCaseRows(r) }),
    excludedCases: t.field({ type: [ExcludedCaseRef], resolve: (r) => r.excluded }),
    effort: t.field({
      type: [ReaderEffortRef],
      description: "Per reader and phase: reads, confidences given, reading times",
      resolve: (r) => r.effort,
    }),
    notes: t.exposeStringList("notes", {
      description: "Why a figure is missing (no confidences, an unbalanced design, ...)",
    }),
    statistics: t.field({
      type: "JSON",
      nullable: true,
      description:
        "Everything @mammo/study-stats computed (studyStatistics), including ROC curves and variance components",
      resolve: (r) => r.statistics,
    }),
    exports: t.field({
      type: ReportExportsRef,
      args: {
        subtype: t.arg({ type: SubtypeEnum, required: true, description: "The class of the one-vs-rest MRMC files" }),
      },
      resolve: (r, args) => reportExports(r, args.subtype),
    }),
  }),
});

builder.queryField("studyReport", (t) =>
  t.field({
    type: StudyReportRef,
    authScopes: { authenticated: true },
    description: "The report of a CLOSED study, for the coordinators of its site",
    args: { studyId: t.arg.globalID({ required: true, for: ReaderStudyRef }) },
    resolve: (_root, args, ctx) => getStudyReport(ctx.db, requireViewer(ctx), args.studyId.id),
  }),
);
