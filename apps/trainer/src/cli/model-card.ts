import { modelQualityFlags } from "../ml/ml-core.ts";
import type { ClassificationMetrics } from "../registry/classification-metrics.ts";

export type ModelCardInput = {
  name: string;
  version: number;
  createdAt: Date;
  classNames: string[];
  inputSizePx: number;
  preset: string;
  params: Record<string, unknown>;
  seed: number;
  backend: string;
  codeRevision: string;
  trainingStartedAt: Date;
  trainingFinishedAt: Date;
  dataset: {
    name: string;
    version: number;
    digest: string;
    sites: string[];
    counts: Array<{ split: string; subtype: string; images: number }>;
  };
  metrics: {
    split?: string;
    ensemble?: ClassificationMetrics;
    folds?: Array<{
      fold: number;
      bestEpoch: number | null;
      validation: { loss: number; accuracy: number } | null;
      test?: ClassificationMetrics;
    }>;
    skippedImages?: unknown[];
  };
  aliases: string[];
  /** The registered ImageNet weights training started from (null: random weights). */
  pretrainedWeights: { name: string; sha256: string; source: string; licence: string; fileName: string } | null;
};

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null | undefined) => (v === null || v === undefined ? "n/a" : v.toFixed(3));

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** A model card (Markdown): data, parameters, metrics, intended use, limitations. */
export function renderModelCard(card: ModelCardInput): string {
  const p = card.params as {
    epochs?: number;
    folds?: number;
    batchSize?: number;
    model?: { weights?: string; widthScale?: number; head?: string };
    optimizer?: { learningRate?: number; clipNorm?: number | null };
    preprocessing?: { resize?: string; resample?: string; bitDepth?: number; normalization?: string };
    augmentation?: unknown;
    classBalance?: string;
  };
  const e = card.metrics.ensemble;
  const splits = [...new Set(card.dataset.counts.map((c) => c.split))];
  const isVgg16 = (p.model?.widthScale ?? 1) === 1;
  const flags = modelQualityFlags(card.metrics as Parameters<typeof modelQualityFlags>[0]);
  const weights = card.pretrainedWeights;
  return `# Model card: ${card.name} v${card.version}

Published ${card.createdAt.toISOString()}${card.aliases.length ? `; aliases: ${card.aliases.join(", ")}` : ""}.
Classes (output order): ${card.classNames.join(", ")}.
${
  flags.length
    ? `
**Warning**: ${flags.map((f) => f.message).join("; ")}. Do not report results with this model as they stand.
`
    : ""
}
## Data
Dataset "${card.dataset.name}" version ${card.dataset.version} (digest \`${card.dataset.digest}\`), sites: ${card.dataset.sites.join(", ")}.
Split by patient; images per split and class:

${table(
  ["class", ...splits],
  card.classNames.map((c) => [
    c,
    ...splits.map((s) => String(card.dataset.counts.find((x) => x.split === s && x.subtype === c)?.images ?? 0)),
  ]),
)}
${card.metrics.skippedImages?.length ? `\n${card.metrics.skippedImages.length} unreadable image(s) were left out.\n` : ""}
## Training
- Preset \`${card.preset}\`, seed ${card.seed}; the complete parameters are below.
- Network: VGG-16${isVgg16 ? "" : ` at ${p.model?.widthScale} of its width (not VGG-16 proper: a test/demo setting)`}, ${p.model?.head ?? "study"} head, ${weights ? `from ImageNet weights "${weights.name}" (${weights.fileName}, sha256 \`${weights.sha256}\`; source: ${weights.source}; licence: ${weights.licence})` : "from random weights"}.
- Input ${card.inputSizePx} x ${card.inputSizePx} px: the ${p.preprocessing?.bitDepth ?? 8}-bit display rendering, ${p.preprocessing?.resize === "pad" ? "aspect ratio kept and padded with black" : "stretched to a square"}, resampled ${p.preprocessing?.resample ?? "box-bilinear"}, normalised ${p.preprocessing?.normalization ?? "unit"} (preprocessing.json in the export gives every step; model-input.ts implements it).
- ${p.epochs} epochs, batch ${p.batchSize}, Adam learning rate ${p.optimizer?.learningRate}${p.optimizer?.clipNorm ? `, clipnorm ${p.optimizer.clipNorm}` : ""}; class balance ${p.classBalance}; augmentation ${p.augmentation ? "as the study" : "none"}.
- ${p.folds}-fold cross-validation; the model is the ensemble of the fold models (softmax outputs summed).
- Trained ${card.trainingStartedAt.toISOString()} to ${card.trainingFinishedAt.toISOString()} on backend ${card.backend}, code revision \`${card.codeRevision}\`.

<details><summary>Parameters</summary>

\`\`\`json
${JSON.stringify(card.params, null, 2)}
\`\`\`
</details>

## Metrics (${card.metrics.split ?? "TEST"} split)
${
  e
    ? `Ensemble: accuracy ${pct(e.accuracy)} (95% CI ${pct(e.accuracyCi[0])}-${pct(e.accuracyCi[1])}) on ${e.n} images; macro precision ${num(e.macro.precision)}, macro F1 ${num(e.macro.f1)}, macro AUC ${num(e.macro.auc)} (macro means as scikit-learn's: every class in the truth or the predictions, an undefined precision or recall counting as 0).

${table(
  ["class", "support", "precision", "recall", "F1", "AUC (one-vs-rest)"],
  e.perClass.map((c) => [
    c.className,
    String(c.support),
    c.precision === null ? "undefined (never predicted)" : num(c.precision),
    c.recall === null ? "undefined (no image)" : num(c.recall),
    num(c.f1),
    num(c.auc),
  ]),
)}

Confusion matrix (rows: truth, columns: prediction):

${table(
  ["", ...e.confusion.classes],
  e.confusion.classes.map((c, i) => [c, ...e.confusion.counts[i]!.map(String)]),
)}

Fold models: ${(card.metrics.folds ?? []).map((f) => `fold ${f.fold + 1}: best epoch ${f.bestEpoch ?? "last"}, validation accuracy ${pct(f.validation?.accuracy)}, test accuracy ${pct(f.test?.accuracy)}`).join("; ")}.`
    : "No test metrics were recorded."
}

## Intended use
Research on the mammographic appearance of invasive ductal carcinoma subtypes (as Ueda et al., Jpn J Radiol 2020):
reader studies comparing radiologists with the model, and Grad-CAM heatmaps of where the model found its evidence.
Not a medical device: not for diagnosis, screening or any decision about a patient.

## Limitations
- Trained on ${e ? "the data above only" : "the data above"}: ${card.dataset.sites.length} site(s), their equipment, population and labelling practice; performance elsewhere is unknown until measured.
- The test split is small (${e?.n ?? 0} images); the interval above shows how uncertain the accuracy is.
- Labels come from pathology of biopsy or surgical specimens as recorded in the platform; label errors carry over.
- Grad-CAM shows where the network's evidence lies at its last convolution layer, coarsely; it is not a lesion segmentation.
${p.model?.weights === "imagenet" ? "" : "- Trained from random weights, not from ImageNet weights as the study's protocol.\n"}${isVgg16 ? "" : "- A reduced-width network: a test/demo configuration, not for reporting results.\n"}`;
}
