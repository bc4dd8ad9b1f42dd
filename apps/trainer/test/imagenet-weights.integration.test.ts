import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { h5pyValues, writeKerasVgg16H5 } from "@mammo/ml-core/keras-h5-fixture";
import { registerPretrainedWeights } from "@mammo/pretrained-weights";
import { describe, expect, it, vi } from "vitest";
import { trainCommand } from "../src/cli/commands.ts";
import { exportCommand } from "../src/cli/export-command.ts";
import { readTarFiles } from "../src/ml/ml-core.ts";
import { readEnsembleArtifact } from "../src/registry/ensemble-artifact.ts";
import { createPhantomDataset } from "./phantom-dataset.ts";
import { useCliEnvironment } from "./trainer-harness.ts";

// A ueda-2020 run from registered ImageNet weights (a Keras .h5 written by h5py, random values,
// full VGG-16), trained here at a tiny input: the fold starts from the file's values, and the
// weights' digest is in the run, the model version's lineage and the exported model card.
const env = useCliEnvironment({ workDirPrefix: "mammo-imagenet-" });

describe("a ueda-2020 run from registered ImageNet weights", () => {
  it("starts every fold from the registered file and records its digest in the lineage and the model card", async () => {
    const fixture = await createPhantomDataset(env.database.db, env.blobDir.blobs, {
      classes: ["TUBULE_FORMING", "SOLID"],
      perClass: { train: 2, test: 1 },
    });
    const file = writeKerasVgg16H5(path.join(env.work, "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"), {
      seed: 5,
    });
    const bytes = await readFile(file);
    const weights = await registerPretrainedWeights(env.database.db, env.blobDir.blobs, {
      siteId: fixture.site.id,
      actorId: fixture.user.id,
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      fileName: path.basename(file),
      source: "h5py test fixture in Keras' layout",
      licence: "test data",
    });
    expect(weights.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));

    const quiet = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const outDir = path.join(env.work, "export");
    try {
      // Tiny: VGG-16 at 32 px, one fold, one epoch; a learning rate of 0 keeps the kernels as loaded.
      const params = JSON.stringify({
        epochs: 1,
        folds: 1,
        batchSize: 4,
        preprocessing: { inputSize: 32 },
        model: { denseUnits: 8 },
        optimizer: { learningRate: 1e-12 },
        augmentation: null,
      });
      expect(
        await trainCommand({
          "dataset-version": fixture.version.id,
          as: fixture.user.email,
          preset: "ueda-2020",
          params,
          seed: "3",
        }),
      ).toBe(0);
      const model = await env.database.db.modelVersion.findFirstOrThrow({
        where: { datasetVersionId: fixture.version.id },
        include: { trainingRun: true },
      });
      expect(model.pretrainedWeightsId).toBe(weights.id);
      expect(model.trainingRun?.pretrainedWeightsId).toBe(weights.id);
      expect((model.params as { model: { imagenetWeightsId: string } }).model.imagenetWeightsId).toBe(weights.id);

      // The published fold model's first convolution is the file's (as h5py reads it).
      const { manifest, files } = readEnsembleArtifact(await env.blobDir.blobs.get(model.artifactKey));
      expect(manifest.lineage.pretrainedWeights).toMatchObject({ id: weights.id, sha256: weights.sha256 });
      const fold = readTarFiles(files.get(manifest.models[0]!.file)!.slice(), "fold");
      const json = JSON.parse(new TextDecoder().decode(fold.get("model.json"))) as {
        weightsManifest: Array<{ weights: Array<{ name: string; shape: number[] }> }>;
      };
      const specs = json.weightsManifest[0]!.weights;
      const bin = fold.get("weights.bin")!;
      const kernelAt = specs.findIndex((w) => w.name === "block1_conv1/kernel");
      const offset = specs.slice(0, kernelAt).reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
      const kernel = new Float32Array(bin.slice(offset, offset + 3 * 3 * 3 * 64 * 4).buffer);
      const expected = h5pyValues(file, "block1_conv1/block1_conv1/kernel:0");
      kernel.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));

      expect(await exportCommand({ "model-version": model.id, out: outDir, as: fixture.user.email })).toBe(0);
    } finally {
      quiet.mockRestore();
      log.mockRestore();
    }
    const card = await readFile(path.join(outDir, "model-card.md"), "utf8");
    expect(card).toContain(
      `from ImageNet weights "${weights.name}" (${weights.fileName}, sha256 \`${weights.sha256}\``,
    );
    expect(card).toContain("source: h5py test fixture in Keras' layout; licence: test data");
  }, 600_000);
});
