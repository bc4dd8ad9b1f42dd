/**
 * @mammo/study-stats: reader-study statistics as plain functions over plain data. No database,
 * no Node-only APIs (CSV exports return strings). Every method, its reference and the tolerance
 * it is tested to are listed in ../README.md.
 */
export { StudyStatsError, type StudyStatsErrorCode } from "./util/errors.ts";
export {
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
  fCdf,
  fQuantile,
  chiSquareCdf,
  binomialCdf,
  noncentralFCdf,
} from "./distributions/distributions.ts";

export { wilsonInterval, type Proportion } from "./accuracy/proportion.ts";
export {
  confusionMatrix,
  classificationSummary,
  type LabelledAnswer,
  type ConfusionMatrix,
  type ClassMetrics,
  type ClassificationSummary,
} from "./accuracy/classification.ts";

export {
  cohenKappa,
  cohenKappaFromTable,
  fleissKappa,
  kappaWeights,
  type KappaWeighting,
  type CohenKappaResult,
  type FleissKappaResult,
  type PairedRatings,
} from "./agreement/kappa.ts";

export { mcnemarExact, mcnemarPaired, type McNemarResult, type PairedCorrectness } from "./paired/mcnemar.ts";
export {
  bootstrapAccuracyDifference,
  type StratifiedPairedCase,
  type AccuracyDifferenceResult,
} from "./paired/bootstrap.ts";

export {
  empiricalAuc,
  structuralComponents,
  delongCovariance,
  aucWithDelong,
  delongPairedTest,
  type BinaryTruth,
  type StructuralComponents,
  type AucEstimate,
  type PairedDelongResult,
} from "./roc/delong.ts";
export {
  rocCurve,
  oneVsRestRoc,
  oneVsRestPairedDelong,
  scoresFromAnswer,
  type RocPoint,
  type ClassScoredCase,
  type OneVsRestRoc,
} from "./roc/roc-curve.ts";

export {
  buildMrmcDataset,
  fomCovariance,
  type MrmcDataset,
  type MrmcRecord,
  type CovarianceMethod,
} from "./mrmc/mrmc-dataset.ts";
export {
  obuchowskiRockette,
  orVarianceComponents,
  type OrAnalysisResult,
  type OrVarianceComponents,
  type OrTest,
  type ArmDifference,
  type ArmEstimate,
} from "./mrmc/or-analysis.ts";
export { aiVsReaders, type AiVsReadersResult } from "./mrmc/ai-vs-readers.ts";
export {
  mrmcPower,
  casesForPower,
  type PowerAnalysis,
  type PilotComponents,
  type PowerResult,
} from "./mrmc/sample-size.ts";

export {
  regionOf,
  regionReport,
  type Region,
  type RegionCounts,
  type RegionCase,
  type RegionRead,
  type CaseRegionRow,
  type RegionReport,
} from "./regions/regions.ts";

export {
  toImrmc,
  toRjafrocCsv,
  parseRjafrocCsv,
  toAnswersCsv,
  type MrmcExport,
  type AnswerRow,
} from "./export/mrmc-export.ts";

export {
  studyStatistics,
  type StudyCase,
  type StudyRead,
  type StudyStatisticsInput,
  type StudyStatistics,
  type ReaderStatistics,
  type ArmStatistics,
} from "./report/study-statistics.ts";
