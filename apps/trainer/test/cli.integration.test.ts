import { readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { evaluateCommand, inferCommand, trainCommand } from "../src/cli/commands.ts";
import { exportCommand } from "../src/cli/export-command.ts";
import { createPhantomDataset, TINY_PARAMS } from "./phantom-dataset.ts";
import { useCliEnvironment } from "./trainer-harness.ts";

// The CLI's commands in this process (as `npm run trainer -- ...` runs them), on a test database.
const env = useCliEnvironment();
const outDir = path.join(os.tmpdir(), `mammo-export-${process.pid}`);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe("npm run trainer", () => {
  it("trains, evaluates, infers and exports a model version with its model card, printing plain progress lines", async () => {
    const fixture = await createPhantomDataset(env.database.db, env.blobDir.blobs, {
      classes: ["TUBULE_FORMING", "SOLID"],
      perClass: { train: 2, test: 1 },
    });
    const printed: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (printed.push(String(chunk)), true));
    let codes: number[];
    try {
      const params = JSON.stringify({ ...TINY_PARAMS, folds: 1 });
      codes = [
        await trainCommand({ "dataset-version": fixture.version.id, as: fixture.user.email, params, seed: "4" }),
      ];
      const model = await env.database.db.modelVersion.findFirstOrThrow({
        where: { datasetVersionId: fixture.version.id },
      });
      codes.push(
        await evaluateCommand({
          "model-version": model.id,
          "dataset-version": fixture.version.id,
          as: fixture.user.email,
        }),
      );
      codes.push(
        await inferCommand({
          "model-version": model.id,
          "dataset-version": fixture.version.id,
          as: fixture.user.email,
          method: "GRAD_CAM_PLUS_PLUS",
        }),
      );
    } finally {
      spy.mockRestore();
    }
    expect(codes).toEqual([0, 0, 0]);
    const output = printed.join("");
    // Not a terminal: one plain line per epoch, no progress bar.
    expect(output).toMatch(
      /\[trainer\] fold 1\/1 epoch 1\/2: loss \d\.\d{3} accuracy \d\.\d{3} val_loss - val_accuracy -/,
    );
    expect(output).toMatch(
      /\[trainer\] published phantoms-.* v1 \(model version [0-9a-f-]{36}\); test accuracy \d\.\d{3}/,
    );
    expect(output).toMatch(/\[trainer\] evaluation [0-9a-f-]{36}: succeeded; accuracy \d\.\d{3} on 4 images/);
    expect(output).toMatch(/\[trainer\] concordance: 12 heatmap-region pairs/);
    expect(output).not.toContain("\u001b[");

    const model = await env.database.db.modelVersion.findFirstOrThrow({
      where: { datasetVersionId: fixture.version.id },
    });
    const evaluation = await env.database.db.evaluation.findFirstOrThrow({ where: { modelVersionId: model.id } });
    // The evaluation on the test split reproduces the metrics measured at publishing.
    expect((evaluation.metrics as { ensemble: { accuracy: number } }).ensemble.accuracy).toBe(
      (model.metrics as { ensemble: { accuracy: number } }).ensemble.accuracy,
    );
    const maps = await env.database.db.saliencyMap.findMany({ where: { prediction: { modelVersionId: model.id } } });
    expect(maps).toHaveLength(12);
    expect(new Set(maps.map((m) => m.method))).toEqual(new Set(["GRAD_CAM_PLUS_PLUS"]));

    const logs: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: string) => void logs.push(line));
    try {
      expect(await exportCommand({ "model-version": model.id, as: fixture.user.email, out: outDir })).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect((await readdir(outDir)).sort()).toEqual([
      "ensemble.json",
      "fold-0",
      "metrics.json",
      "model-card.md",
      "model-input.ts",
      "model.tar",
      "package.json",
      "predict.ts",
      "preprocessing.json",
    ]);
    expect((await readdir(path.join(outDir, "fold-0"))).sort()).toEqual(["model.json", "weights.bin"]);
    expect(await readFile(path.join(outDir, "model.tar"))).toEqual(await env.blobDir.blobs.get(model.artifactKey));
    const modelJson = JSON.parse(await readFile(path.join(outDir, "fold-0", "model.json"), "utf8")) as {
      userDefinedMetadata: { mammo: { classNames: string[] } };
    };
    expect(modelJson.userDefinedMetadata.mammo.classNames).toEqual(["TUBULE_FORMING", "SOLID"]);
    const card = await readFile(path.join(outDir, "model-card.md"), "utf8");
    expect(card).toContain(`# Model card: ${model.name} v1`);
    for (const heading of ["## Data", "## Training", "## Metrics (TEST split)", "## Intended use", "## Limitations"])
      expect(card).toContain(heading);
    expect(card).toContain(`digest \`${fixture.version.digest}\``);
    expect(card).toMatch(/\| TUBULE_FORMING \| 2 \| 0\.\d{3}|n\/a/);
    expect(card).toContain("Not a medical device");
  });
});
