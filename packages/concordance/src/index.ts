// Concordance of Grad-CAM heatmaps with the regions they were compared to: the summary is pure
// (the API and the trainer both use it); the loader reads an inference run's comparisons.
export {
  summariseConcordance,
  concordanceStats,
  viewConsistency,
  regionOf,
  type ConcordancePair,
  type ConcordanceStats,
  type ConcordanceSummary,
  type ViewConsistency,
  type Region,
} from "./concordance-summary.ts";
export { loadConcordancePairs, measuredCasesWhere } from "./load-concordance-pairs.ts";
export { targetImageIdsSql, type TargetRun } from "./run-target.ts";
