import { readFile } from "node:fs/promises";
import { type PreprocessingSettings } from "../data/preprocess-settings.ts";
import { preprocessingDocument } from "../data/preprocessing-document.ts";

const source = (relative: string) => readFile(new URL(relative, import.meta.url), "utf8");

/**
 * What a model export carries besides the models, to be usable without the platform: the
 * preprocessing as data (preprocessing.json), its implementation (model-input.ts, the platform's
 * own file, verbatim), the reference script (predict.ts) that loads the fold models, feeds an
 * image and prints the ensemble's probabilities, and a package.json naming what it needs.
 */
export async function referenceExportFiles(settings: PreprocessingSettings): Promise<Array<[string, string]>> {
  const script = (await source("./predict-reference.ts")).replace(
    'from "../data/model-input.ts"',
    'from "./model-input.ts"',
  );
  const { dependencies } = JSON.parse(await source("../../package.json")) as { dependencies: Record<string, string> };
  const manifest = {
    private: true,
    type: "module",
    description:
      "A model export of the mammography research platform: `npm install`, then `npx tsx predict.ts IMAGE.png`",
    dependencies: { "@tensorflow/tfjs": dependencies["@tensorflow/tfjs"], sharp: dependencies.sharp, tsx: "^4" },
  };
  return [
    ["package.json", `${JSON.stringify(manifest, null, 2)}\n`],
    ["preprocessing.json", `${JSON.stringify(preprocessingDocument(settings), null, 2)}\n`],
    ["model-input.ts", await source("../data/model-input.ts")],
    ["predict.ts", script],
  ];
}
