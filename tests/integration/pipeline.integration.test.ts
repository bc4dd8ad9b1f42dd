import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { globalId } from "../../apps/api/test/factories.ts";
import { startTestApi, type TestApi } from "../../apps/api/test/harness.ts";
import { createRead, createStudy } from "../../apps/api/test/study-factories.ts";
import { loadConcordancePairs, summariseConcordance } from "@mammo/concordance";
import { decodeHeatmapPng, HEATMAP_PNG_SIZE } from "../../apps/trainer/src/ml/ml-core.ts";
import { loadEnsembleArtifact } from "../../apps/trainer/src/registry/ensemble-artifact.ts";
import { createPhantomDataset, TINY_PARAMS } from "../../apps/trainer/test/phantom-dataset.ts";
import { startInProcessWorker, waitFor } from "../../apps/trainer/test/trainer-harness.ts";

// Across apps (hence here, above them): a training run requested through the API is trained by a worker and published as
// exactly one model version with metrics and lineage; inference and Grad-CAM over a reader study's
// cases; concordance results readable through the API (GraphQL over HTTP).
let api: TestApi;
let worker: Awaited<ReturnType<typeof startInProcessWorker>>;

beforeAll(async () => {
  api = await startTestApi();
  worker = await startInProcessWorker(api.ownerDatabaseUrl, api.blobs);
});

afterAll(async () => {
  await worker?.stop();
  await api?.stop();
});

describe("train, publish, infer, explain, compare", () => {
  it("runs the whole pipeline from an API request to concordance results the API serves", async () => {
    const { db } = api;
    const fixture = await createPhantomDataset(db, api.blobs, {
      classes: ["SOLID", "SCIRRHOUS"],
      perClass: { train: 3, validation: 1, test: 2 },
      foldCount: 2,
    });
    const ml = fixture.user.id;

    const requested = await api.as<{ requestTrainingRun: { id: string } }>(
      ml,
      `mutation ($input: RequestTrainingRunInput!) { requestTrainingRun(input: $input) { id } }`,
      {
        input: {
          datasetVersionId: globalId("DatasetVersion", fixture.version.id),
          preset: "quick",
          params: TINY_PARAMS,
          seed: 3,
        },
      },
    );
    const runId = Buffer.from(requested.requestTrainingRun.id, "base64").toString().split(":")[1]!;

    const run = await waitFor("the run to succeed", async () => {
      const r = await db.trainingRun.findUniqueOrThrow({ where: { id: runId } });
      if (r.status === "FAILED") throw new Error(`run failed: ${r.error}`);
      return r.status === "SUCCEEDED" && r;
    });
    // Exactly one model version, with lineage and metrics.
    const versions = await db.modelVersion.findMany({ where: { trainingRunId: runId } });
    expect(versions).toHaveLength(1);
    const model = versions[0]!;
    expect(model).toMatchObject({
      siteId: fixture.site.id,
      name: fixture.dataset.name,
      version: 1,
      datasetVersionId: fixture.version.id,
      datasetDigest: fixture.version.digest,
      classNames: ["SOLID", "SCIRRHOUS"],
      inputSizePx: 32,
      preset: "quick",
      seed: 3,
      backend: run.backend,
    });
    expect(model.codeRevision).toMatch(/^([0-9a-f]{40}|unknown)$/);
    expect(model.trainingStartedAt.getTime()).toBeLessThanOrEqual(model.trainingFinishedAt.getTime());
    expect(model.params).toMatchObject({
      preset: "quick",
      seed: 3,
      epochs: 2,
      folds: 2,
      preprocessing: { inputSize: 32 },
    });
    const metrics = model.metrics as {
      split: string;
      ensemble: Record<string, unknown>;
      folds: Array<Record<string, unknown>>;
    };
    expect(metrics.split).toBe("TEST");
    expect(metrics.ensemble).toMatchObject({
      n: 8,
      accuracy: expect.any(Number),
      confusion: { classes: ["SOLID", "SCIRRHOUS"] },
    });
    expect(metrics.ensemble.perClass).toEqual([
      expect.objectContaining({ className: "SOLID", support: 4, recall: expect.any(Number), auc: expect.any(Number) }),
      expect.objectContaining({
        className: "SCIRRHOUS",
        support: 4,
        recall: expect.any(Number),
        auc: expect.any(Number),
      }),
    ]);
    expect(metrics.folds.map((f) => f.fold)).toEqual([0, 1]);
    expect(metrics.folds[0]).toMatchObject({
      bestEpoch: expect.any(Number),
      test: { n: 8 },
      history: [expect.anything(), expect.anything()],
    });
    // The artifact is one blob holding both fold models and the lineage.
    const artifact = await loadEnsembleArtifact(await api.blobs.get(model.artifactKey));
    expect(artifact.classifiers).toHaveLength(2);
    expect(artifact.manifest.lineage).toMatchObject({
      trainingRunId: runId,
      datasetDigest: fixture.version.digest,
      seed: 3,
    });
    artifact.classifiers.forEach((c) => c.model.dispose());
    // Live series: batch and epoch points per fold, and the ensemble's test metrics at fold -1.
    const names = await db.trainingMetric.groupBy({ by: ["fold", "name"], where: { runId, batch: -1 }, _count: true });
    expect(names.map((n) => `${n.fold}:${n.name}`).sort()).toEqual(
      [
        "-1:test_accuracy",
        "-1:test_macro_auc",
        "-1:test_macro_f1",
        ...[0, 1].flatMap((f) => ["accuracy", "loss", "val_accuracy", "val_loss"].map((n) => `${f}:${n}`)),
      ].sort(),
    );
    expect(await db.auditEvent.count({ where: { action: "modelVersion.publish", entityId: model.id } })).toBe(1);

    // A closed reader study of the test cases, two readers marking the lesion (one on target, one far off).
    const reader1 = await db.user.create({
      data: {
        email: `r1-${runId}@test.example`,
        name: "Reader 1",
        memberships: { create: { siteId: fixture.site.id, role: "READER" } },
      },
    });
    const reader2 = await db.user.create({
      data: {
        email: `r2-${runId}@test.example`,
        name: "Reader 2",
        memberships: { create: { siteId: fixture.site.id, role: "READER" } },
      },
    });
    const testCases = fixture.cases.filter((c) => c.split === "TEST");
    const { study, studyCases, readers } = await createStudy(db, {
      siteId: fixture.site.id,
      createdById: ml,
      caseIds: testCases.map((c) => c.caseId),
      readers: [
        { userId: reader1.id, arm: "UNAIDED" },
        { userId: reader2.id, arm: "UNAIDED" },
      ],
      status: "CLOSED",
      modelVersionId: model.id,
    });
    for (const sc of studyCases) {
      const c = testCases.find((x) => x.caseId === sc.caseId)!;
      const cc = c.images.find((i) => i.view === "CC")!;
      await createRead(db, {
        studyReaderId: readers[0]!.id,
        studyCaseId: sc.id,
        answer: c.subtype,
        roi: { imageId: cc.imageId, geometry: cc.lesionCentre! },
      });
      await createRead(db, {
        studyReaderId: readers[1]!.id,
        studyCaseId: sc.id,
        answer: "SOLID",
        roi: { imageId: cc.imageId, geometry: { x: 1, y: 1 } },
      });
    }

    const inference = await api.as<{ requestInference: { id: string } }>(
      ml,
      `mutation ($input: RequestInferenceInput!) { requestInference(input: $input) { id } }`,
      {
        input: {
          modelVersionId: globalId("ModelVersion", model.id),
          target: "STUDY",
          studyId: globalId("ReaderStudy", study.id),
        },
      },
    );
    const inferenceRunId = Buffer.from(inference.requestInference.id, "base64").toString().split(":")[1]!;
    await waitFor("inference to succeed", async () => {
      const r = await db.inferenceRun.findUniqueOrThrow({ where: { id: inferenceRunId } });
      if (r.status === "FAILED") throw new Error(`inference failed: ${r.error}`);
      return r.status === "SUCCEEDED";
    });
    const studyImages = testCases.flatMap((c) => c.images.map((i) => i.imageId));
    const predictions = await db.prediction.findMany({
      where: { modelVersionId: model.id },
      include: { saliencyMaps: true },
    });
    expect(predictions.map((p) => p.imageId).sort()).toEqual([...studyImages].sort());
    for (const p of predictions) {
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p.saliencyMaps).toEqual([
        expect.objectContaining({
          method: "GRAD_CAM",
          layerName: "block5_conv3",
          classIndex: model.classNames.indexOf(p.predictedClass),
          widthPx: HEATMAP_PNG_SIZE,
          heightPx: HEATMAP_PNG_SIZE,
        }),
      ]);
    }
    // Each map is normalised to its maximum, or empty: Grad-CAM's ReLU leaves nothing where the
    // tiny model has no positive evidence for its class (one map in one CI run, four of eight in
    // another). How often is up to a model trained for two epochs; that the maps exist is not.
    const peaks: number[] = [];
    for (const p of predictions) {
      const heatmap = await decodeHeatmapPng(await api.blobs.get(p.saliencyMaps[0]!.storageKey));
      expect(heatmap.width).toBe(HEATMAP_PNG_SIZE);
      peaks.push(Math.max(...heatmap.data));
    }
    for (const peak of peaks) expect(peak === 0 || peak > 0.9, `peak ${peak}`).toBe(true);
    expect(peaks.some((peak) => peak > 0.9)).toBe(true);

    // Concordance is queued by the inference run: 2 lesion outlines x 4 cases + 2 reads x 4 cases.
    const expectedPairs = testCases.length * 2 + testCases.length * 2;
    await waitFor("concordance rows", async () => (await db.concordanceResult.count()) === expectedPairs);

    const result = await api.as<{
      inferenceRun: {
        status: string;
        predictions: {
          edges: {
            node: {
              saliencyMaps: {
                concordance: {
                  source: string;
                  isPointingHit: boolean;
                  energyInside: number;
                  iou: number;
                  iouThreshold: number;
                  pixelAuc: number | null;
                }[];
              }[];
            };
          }[];
        };
      };
    }>(
      ml,
      `query ($id: ID!) { inferenceRun(id: $id) { status predictions(first: 8) { edges { node { saliencyMaps { concordance { source isPointingHit energyInside iou iouThreshold pixelAuc } } } } } } }`,
      { id: inference.requestInference.id },
    );
    const rows = result.inferenceRun.predictions.edges.flatMap((e) =>
      e.node.saliencyMaps.flatMap((m) => m.concordance),
    );
    expect(rows).toHaveLength(expectedPairs);
    expect(rows.filter((r) => r.source === "ANNOTATION")).toHaveLength(testCases.length * 2);
    expect(rows.filter((r) => r.source === "READ")).toHaveLength(testCases.length * 2);
    for (const r of rows) {
      expect(r.energyInside).toBeGreaterThanOrEqual(0);
      expect(r.energyInside).toBeLessThanOrEqual(1);
      expect(r.iouThreshold).toBe(0.5);
    }

    // The aggregates: by subtype, by reader, by A/B/C/D region, and CC vs MLO of each lesion.
    const summary = summariseConcordance(await loadConcordancePairs(db, inferenceRunId));
    expect(summary.overall.n).toBe(expectedPairs);
    expect(Object.keys(summary.bySubtype).sort()).toEqual(["SCIRRHOUS", "SOLID"]);
    expect(Object.keys(summary.byReader).sort()).toEqual([reader1.id, reader2.id].sort());
    expect(Object.values(summary.byRegion).reduce((s, r) => s + r.n, 0)).toBe(testCases.length * 2);
    expect(summary.viewConsistency.lesions).toBe(testCases.length);
    // Reader 1 always marks the lesion, reader 2 always the corner: every region of reader 1 is A or B.
    const reader1Regions = (await loadConcordancePairs(db, inferenceRunId))
      .filter((p) => p.readerId === reader1.id)
      .map((p) => p.region);
    expect(new Set(reader1Regions).size).toBeGreaterThan(0);
    for (const region of reader1Regions) expect(["A", "B"]).toContain(region);
  });

  it("stops a run at the next batch when it is cancelled through the API", async () => {
    const { db } = api;
    const fixture = await createPhantomDataset(db, api.blobs, {
      classes: ["SOLID", "SCIRRHOUS"],
      perClass: { train: 3, test: 1 },
    });
    const requested = await api.as<{ requestTrainingRun: { id: string } }>(
      fixture.user.id,
      `mutation ($input: RequestTrainingRunInput!) { requestTrainingRun(input: $input) { id } }`,
      {
        input: {
          datasetVersionId: globalId("DatasetVersion", fixture.version.id),
          preset: "quick",
          params: { ...TINY_PARAMS, epochs: 200, batchSize: 2 },
        },
      },
    );
    const runId = Buffer.from(requested.requestTrainingRun.id, "base64").toString().split(":")[1]!;
    await waitFor(
      "training to start",
      async () => (await db.trainingMetric.count({ where: { runId, batch: { gt: 0 } } })) > 0,
      120_000,
      50,
    );

    const cancelled = await api.as<{ cancelTrainingRun: { status: string } }>(
      fixture.user.id,
      `mutation ($id: ID!) { cancelTrainingRun(id: $id) { status } }`,
      { id: requested.requestTrainingRun.id },
    );
    expect(cancelled.cancelTrainingRun.status).toBe("CANCELLING");
    const run = await waitFor("the run to be cancelled", async () => {
      const r = await db.trainingRun.findUniqueOrThrow({ where: { id: runId } });
      return r.status === "CANCELLED" && r;
    });
    // Stopped long before its 200 epochs; nothing published. (How soon after the request is a
    // matter of speed: the worker looks at the run once a second, between batches.)
    const last = await db.trainingMetric.findFirstOrThrow({ where: { runId }, orderBy: { recordedAt: "desc" } });
    expect(last.epoch).toBeLessThan(200);
    expect(run.finishedAt).not.toBeNull();
    expect(await db.modelVersion.count({ where: { trainingRunId: runId } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "trainingRun.cancelled", entityId: runId } })).toBe(1);
  });
});
