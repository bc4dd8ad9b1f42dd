// What other packages may use without loading TensorFlow.js: the concordance report (pure) and its
// loader, the model card. The worker and the CLI are programs (src/worker/main.ts, src/cli/main.ts).
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
} from "./concordance/concordance-summary.ts";
export { loadConcordancePairs } from "./concordance/load-concordance-pairs.ts";
export { renderModelCard, type ModelCardInput } from "./cli/model-card.ts";
export type { EnsembleManifest, Lineage } from "./registry/ensemble-artifact.ts";
