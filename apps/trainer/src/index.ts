// What other packages may use without loading TensorFlow.js: the model card. The worker and the CLI
// are programs (src/worker/main.ts, src/cli/main.ts).
export { renderModelCard, type ModelCardInput } from "./cli/model-card.ts";
export type { EnsembleManifest, Lineage } from "./registry/ensemble-artifact.ts";
