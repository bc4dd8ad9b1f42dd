import { createTestDatabase, type TestDatabase } from "@mammo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putBlob } from "../src/shared/blob-rows.ts";
import { readProgress } from "../src/training/run-state.ts";
import { createPhantomDataset, createTrainingRun, TINY_PARAMS, type PhantomDatasetOptions } from "./phantom-dataset.ts";
import { createTempBlobDir, runStatus, startInProcessWorker, waitFor } from "./trainer-harness.ts";

// Each bad input fails the run through the real queue and worker, with the reason on TrainingRun.error.
let database: TestDatabase;
let blobDir: Awaited<ReturnType<typeof createTempBlobDir>>;
let worker: Awaited<ReturnType<typeof startInProcessWorker>>;

beforeAll(async () => {
  database = await createTestDatabase();
  blobDir = await createTempBlobDir();
  worker = await startInProcessWorker(database.url, blobDir.blobs);
});

afterAll(async () => {
  await worker?.stop();
  await database?.drop();
  await blobDir?.remove();
});

async function failRun(
  options: PhantomDatasetOptions,
  before?: (fixture: Awaited<ReturnType<typeof createPhantomDataset>>) => Promise<void>,
) {
  const fixture = await createPhantomDataset(database.db, blobDir.blobs, options);
  await before?.(fixture);
  const run = await createTrainingRun(database.db, {
    siteId: fixture.site.id,
    datasetVersionId: fixture.version.id,
    requestedById: fixture.user.id,
  });
  await worker.boss.send("train", { trainingRunId: run.id });
  const failed = await waitFor("the run to fail", async () => {
    const r = await runStatus(database.db, run.id);
    return r.status === "FAILED" && r;
  });
  expect(await database.db.modelVersion.count({ where: { trainingRunId: run.id } })).toBe(0);
  return { run: failed, fixture };
}

describe("bad input fails the run with a reason the user can act on", () => {
  it("a dataset version with fewer than two classes", async () => {
    const { run } = await failRun({ classes: ["SOLID"], perClass: { train: 2, test: 1 } });
    expect(run.error).toMatch(
      /has only one class \(SOLID\); a classifier needs at least two classes: freeze a version that includes cases of two or more subtypes/,
    );
  });

  it("an empty split", async () => {
    const { run } = await failRun({ classes: ["SOLID", "SCIRRHOUS"], perClass: { train: 2, test: 0 } });
    expect(run.error).toMatch(
      /the TEST split of dataset version 1 of "phantoms-.*" is empty; the model's metrics are measured on it: freeze a version with a test fraction above 0/,
    );
  });

  it("a class missing from the test split", async () => {
    const { run } = await failRun({
      classes: ["SOLID", "SCIRRHOUS", "TUBULE_FORMING"],
      perClass: { train: 2, test: 1 },
      testClasses: ["SOLID", "TUBULE_FORMING"],
    });
    expect(run.error).toMatch(
      /class SCIRRHOUS has no image in the TEST split .*: its recall, F1 and AUC could not be measured; freeze a version with more SCIRRHOUS cases or a larger test fraction/,
    );
  });

  it("an unreadable image, named with its case and view", async () => {
    let broken = "";
    const { run } = await failRun(
      { classes: ["SOLID", "SCIRRHOUS"], perClass: { train: 2, test: 1 } },
      async (fixture) => {
        const image = fixture.cases[1]!.images[0]!;
        const junk = await putBlob(
          database.db,
          blobDir.blobs,
          new TextEncoder().encode("this is not an image"),
          "application/octet-stream",
        );
        await database.db.image.update({
          where: { id: image.imageId },
          data: { storageKey: junk.key, contentSha256: junk.sha256 },
        });
        broken = image.imageId;
      },
    );
    expect(run.error).toContain(`1 image cannot be used: image ${broken} (case A-`);
    expect(run.error).toMatch(
      /[RL] CC\) cannot be read \(.+\)\. Fix or remove it and freeze a new dataset version, or let the worker skip unreadable images/,
    );
  });

  it("under the skip policy, leaves an unreadable image out and records the count", async () => {
    await worker.stop();
    worker = await startInProcessWorker(database.url, blobDir.blobs, { unreadableImages: "skip" });
    const fixture = await createPhantomDataset(database.db, blobDir.blobs, {
      classes: ["SOLID", "SCIRRHOUS"],
      perClass: { train: 2, test: 1 },
    });
    const broken = fixture.cases[0]!.images[1]!.imageId;
    const junk = await putBlob(
      database.db,
      blobDir.blobs,
      new TextEncoder().encode("still not an image"),
      "application/octet-stream",
    );
    await database.db.image.update({
      where: { id: broken },
      data: { storageKey: junk.key, contentSha256: junk.sha256 },
    });
    const run = await createTrainingRun(database.db, {
      siteId: fixture.site.id,
      datasetVersionId: fixture.version.id,
      requestedById: fixture.user.id,
      params: { ...TINY_PARAMS, epochs: 1, folds: 1 },
    });
    await worker.boss.send("train", { trainingRunId: run.id });
    await waitFor("the run to succeed", async () => {
      const r = await runStatus(database.db, run.id);
      if (r.status === "FAILED") throw new Error(r.error ?? "failed");
      return r.status === "SUCCEEDED";
    });
    const model = await database.db.modelVersion.findUniqueOrThrow({ where: { trainingRunId: run.id } });
    const skipped = (model.metrics as { skippedImages: { imageId: string; reason: string }[] }).skippedImages;
    expect(skipped).toEqual([{ imageId: broken, reason: expect.stringMatching(/^cannot be read/) }]);
    expect(readProgress((await runStatus(database.db, run.id)).progress)?.skippedImages).toHaveLength(1);
  });
});
