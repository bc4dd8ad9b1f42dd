import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeKerasVgg16H5 } from "@mammo/ml-core/keras-h5-fixture";
import { expect, test } from "./support/fixtures.ts";
import { signIn } from "./support/sign-in.ts";

// Issue 16, lines 6-7: ImageNet weights registered through the web app (a Keras-layout .h5 written
// by h5py), then a ueda-2020 run from them (tiny input) whose model records their digest.
test.describe.configure({ mode: "serial" });

const dir = mkdtempSync(path.join(os.tmpdir(), "mammo-e2e-weights-"));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("an ML engineer uploads VGG16 weights, starts ueda-2020 from them, and the model names their digest", async ({
  page,
}) => {
  test.setTimeout(900_000);
  const file = writeKerasVgg16H5(path.join(dir, "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"), { seed: 16 });
  const sha256 = createHash("sha256").update(readFileSync(file)).digest("hex");
  await signIn(page, "ml@north.example");

  // Without weights, the training form says so before starting and offers the way out.
  await page.goto("/training");
  const form = page.getByRole("form", { name: "Start a training run" });
  await form.getByLabel("Preset").selectOption("ueda-2020");
  await expect(page.getByTestId("weights-missing")).toContainText("none are registered at NORTH");
  await expect(form.getByRole("button", { name: "Start training" })).toBeDisabled();
  await page
    .getByTestId("weights-missing")
    .getByRole("link", { name: /Upload/ })
    .click();

  const upload = page.getByRole("form", { name: "Upload ImageNet weights" });
  await upload.getByLabel("Keras .h5 file").setInputFiles(file);
  await upload.getByLabel("Source").fill("h5py fixture (random values) in the Keras layout");
  await upload.getByLabel("Licence").fill("MIT");
  await upload.getByRole("button", { name: "Upload and register" }).click();
  await expect(page.getByRole("table", { name: "Registered weights" }).getByTestId("weights-digest")).toHaveText(
    sha256,
    { timeout: 120_000 },
  );

  await page.goto("/training");
  await form.getByLabel("Preset").selectOption("ueda-2020");
  await expect(page.getByTestId("weights-missing")).toHaveCount(0);
  await form
    .getByLabel(/Parameter overrides/)
    .fill(
      JSON.stringify({ epochs: 1, folds: 1, batchSize: 8, preprocessing: { inputSize: 32 }, model: { denseUnits: 8 } }),
    );
  await form.getByRole("button", { name: "Start training" }).click();
  const model = page.getByTestId("published-model");
  await expect(model).toBeVisible({ timeout: 840_000 });
  await model.click();
  await expect(page.getByTestId("lineage-weights")).toContainText(sha256);
});
