// TensorFlow-free entry (`@mammo/trainer/concordance`): the API summarises concordance with it.
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
export { loadConcordancePairs } from "./load-concordance-pairs.ts";
