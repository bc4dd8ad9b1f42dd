import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnnotation, createCase, createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import {
  createCasePredictions,
  createDatasetVersion,
  createModelVersion,
  createRead,
  createStudy,
} from "../../../test/study-factories.ts";

const REQUEST = /* GraphQL */ `
  mutation Request($input: RequestInferenceInput!) {
    requestInference(input: $input) {
      id
      status
      target
      imageCount
      studyId
      saliencyMethod
      saliencyLayer
    }
  }
`;
const RUN = /* GraphQL */ `
  query Run($id: ID!) {
    inferenceRun(id: $id) {
      status
      predictions(first: 20) {
        edges {
          node {
            predictedClass
            probabilities {
              subtype
              probability
            }
            image {
              laterality
              view
            }
            saliencyMaps {
              subtype
              url
              concordance {
                source
                iou
                readId
                annotationId
              }
            }
          }
        }
      }
    }
  }
`;
const IMAGE_PREDICTIONS = /* GraphQL */ `
  query Image($imageId: ID!) {
    imagePredictions(imageId: $imageId) {
      predictedClass
    }
  }
`;
const CONCORDANCE = /* GraphQL */ `
  mutation Concordance($id: ID!) {
    requestConcordance(inferenceRunId: $id) {
      id
    }
  }
`;

type Prediction = {
  predictedClass: string;
  probabilities: { subtype: string; probability: number }[];
  saliencyMaps: { subtype: string; url: string; concordance: { source: string; readId: string | null }[] }[];
};
const rawId = (gid: string) => Buffer.from(gid, "base64").toString().split(":")[1]!;

describe("inference runs, predictions and heatmaps", () => {
  let api: TestApi;
  let ml: string;
  let otherMl: string;
  let coordinator: string;
  let mlReader: string;
  let model: { id: string };
  let caseId: string;
  let imageIds: string[];
  let runId: string;
  let studyId: string;
  let readId: string;

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    const otherSite = await createSite(api.db);
    ml = (await createUser(api.db, [{ siteId: site.id, role: "ML_ENGINEER" }])).id;
    otherMl = (await createUser(api.db, [{ siteId: otherSite.id, role: "ML_ENGINEER" }])).id;
    coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
    const annotator = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    // An ML engineer of the site who also reads an open study of this case: blinded to it.
    mlReader = (
      await createUser(api.db, [
        { siteId: site.id, role: "ML_ENGINEER" },
        { siteId: site.id, role: "READER" },
      ])
    ).id;
    model = await createModelVersion(api.db, { siteId: site.id, createdById: ml });
    const c = await createCase(api.db, api.blobs, site.id);
    caseId = c.id;
    imageIds = (await api.db.image.findMany({ where: { caseId }, orderBy: { id: "asc" } })).map((i) => i.id);
    const run = await api.db.inferenceRun.create({
      data: {
        siteId: site.id,
        modelVersionId: model.id,
        target: "IMAGES",
        imageIds,
        status: "SUCCEEDED",
        requestedById: ml,
      },
    });
    runId = run.id;
    await createCasePredictions(api.db, api.blobs, {
      modelVersionId: model.id,
      caseId,
      probabilities: [0.6, 0.3, 0.1],
      inferenceRunId: run.id,
    });
    const { study, studyCases, readers } = await createStudy(api.db, {
      siteId: site.id,
      createdById: coordinator,
      caseIds: [caseId],
      readers: [{ userId: mlReader, arm: "UNAIDED" }],
      modelVersionId: model.id,
    });
    studyId = study.id;
    const read = await createRead(api.db, {
      studyReaderId: readers[0]!.id,
      studyCaseId: studyCases[0]!.id,
      answer: "SOLID",
      roi: { imageId: imageIds[0]!, geometry: { x: 3, y: 3 } },
    });
    readId = read.id;
    const annotation = await createAnnotation(api.db, imageIds[0]!, annotator);
    const map = await api.db.saliencyMap.findFirstOrThrow({
      where: { prediction: { imageId: imageIds[0]! }, classIndex: 0 },
    });
    await api.db.concordanceResult.createMany({
      data: [
        {
          saliencyMapId: map.id,
          source: "READ",
          readId: read.id,
          isPointingHit: true,
          energyInside: 0.4,
          iou: 0.25,
          iouThreshold: 0.5,
          pixelAuc: 0.8,
        },
        {
          saliencyMapId: map.id,
          source: "ANNOTATION",
          annotationId: annotation.id,
          isPointingHit: false,
          energyInside: 0.1,
          iou: 0.05,
          iouThreshold: 0.5,
        },
      ],
    });
    await createDatasetVersion(api.db, site.id, coordinator);
  });
  afterAll(async () => {
    await api.stop();
  });

  const jobs = (key: string, id: string) =>
    api.db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM pgboss.job WHERE data->>'${key}' = $1`, id);
  const heatmap = async (url: string, user: string) =>
    (await fetch(`${api.url}${url}`, { headers: { authorization: `Bearer ${await api.sessionFor(user)}` } })).status;

  it("ML engineers queue inference over images, a dataset version or a study; coordinators over their own study", async () => {
    const modelId = globalId("ModelVersion", model.id);
    const images = await api.as<{
      requestInference: { id: string; imageCount: number; saliencyMethod: string; saliencyLayer: string };
    }>(ml, REQUEST, {
      input: {
        modelVersionId: modelId,
        target: "IMAGES",
        imageIds: imageIds.map((id) => globalId("Image", id)),
        saliencyMethod: "GRAD_CAM_PLUS_PLUS",
      },
    });
    expect(images.requestInference).toMatchObject({
      imageCount: 4,
      saliencyMethod: "GRAD_CAM_PLUS_PLUS",
      saliencyLayer: "block5_conv3",
    });
    expect(await jobs("inferenceRunId", rawId(images.requestInference.id))).toEqual([{ name: "infer" }]);
    const datasetVersion = await api.db.datasetVersion.findFirstOrThrow();
    await api.as(ml, REQUEST, {
      input: {
        modelVersionId: modelId,
        target: "DATASET_VERSION",
        datasetVersionId: globalId("DatasetVersion", datasetVersion.id),
      },
    });
    // While the study is open its AI answers stay as the aided readers are shown them.
    const status = (await api.db.readerStudy.findUniqueOrThrow({ where: { id: studyId } })).status;
    await api.db.readerStudy.update({ where: { id: studyId }, data: { status: "OPEN" } });
    const whileOpen = await api.graphql(
      REQUEST,
      { input: { modelVersionId: modelId, target: "STUDY", studyId: globalId("ReaderStudy", studyId) } },
      { token: await api.sessionFor(coordinator) },
    );
    expect(whileOpen.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/the study is open/),
      extensions: { code: "CONFLICT", field: "studyId" },
    });
    await api.db.readerStudy.update({ where: { id: studyId }, data: { status: "DRAFT" } });
    const forStudy = await api.as<{ requestInference: { studyId: string } }>(coordinator, REQUEST, {
      input: { modelVersionId: modelId, target: "STUDY", studyId: globalId("ReaderStudy", studyId) },
    });
    expect(forStudy.requestInference.studyId).toBe(globalId("ReaderStudy", studyId));
    await api.db.readerStudy.update({ where: { id: studyId }, data: { status } });

    const token = async (user: string) => ({ token: await api.sessionFor(user) });
    const missing = await api.graphql(
      REQUEST,
      { input: { modelVersionId: modelId, target: "STUDY" } },
      await token(ml),
    );
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "studyId" });
    const coordinatorImages = await api.graphql(
      REQUEST,
      { input: { modelVersionId: modelId, target: "IMAGES", imageIds: [globalId("Image", imageIds[0]!)] } },
      await token(coordinator),
    );
    expect(coordinatorImages.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const foreign = await api.graphql(
      REQUEST,
      { input: { modelVersionId: modelId, target: "IMAGES", imageIds: [globalId("Image", imageIds[0]!)] } },
      await token(otherMl),
    );
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "modelVersionId" });
    expect(await api.db.inferenceRun.count()).toBe(4);
  });

  it("shows predictions with class probabilities and heatmaps; reader-ROI concordance only once the study is closed", async () => {
    const view = await api.as<{ inferenceRun: { predictions: { edges: { node: Prediction }[] } } }>(ml, RUN, {
      id: globalId("InferenceRun", runId),
    });
    const predictions = view.inferenceRun.predictions.edges.map((e) => e.node);
    expect(predictions).toHaveLength(4);
    expect(predictions[0]!.predictedClass).toBe("TUBULE_FORMING");
    expect(predictions[0]!.probabilities).toEqual([
      { subtype: "TUBULE_FORMING", probability: 0.6 },
      { subtype: "SOLID", probability: 0.3 },
      { subtype: "SCIRRHOUS", probability: 0.1 },
    ]);
    expect(predictions[0]!.saliencyMaps.map((m) => m.subtype)).toEqual(["TUBULE_FORMING", "SOLID", "SCIRRHOUS"]);
    const concordance = predictions.flatMap((p) => p.saliencyMaps.flatMap((m) => m.concordance));
    // The study is open: a concordance row of a read describes a reader's answer, hidden until it closes.
    expect(concordance.map((c) => c.source)).toEqual(["ANNOTATION"]);
    const url = predictions[0]!.saliencyMaps[0]!.url;
    expect(await heatmap(url, ml)).toBe(200);
    expect(await heatmap(url, otherMl)).toBe(404);

    await api.db.readerStudy.update({ where: { id: studyId }, data: { status: "CLOSED", closedAt: new Date() } });
    const after = await api.as<{ inferenceRun: { predictions: { edges: { node: Prediction }[] } } }>(ml, RUN, {
      id: globalId("InferenceRun", runId),
    });
    const sources = after.inferenceRun.predictions.edges.flatMap((e) =>
      e.node.saliencyMaps.flatMap((m) => m.concordance.map((c) => [c.source, c.readId])),
    );
    expect(sources).toContainEqual(["READ", globalId("Read", readId)]);
    await api.db.readerStudy.update({ where: { id: studyId }, data: { status: "OPEN", closedAt: null } });
  });

  it("summarises concordance by source, reader and region; readers' marks only once the study is closed, nothing for a blinded reader", async () => {
    const SUMMARY = /* GraphQL */ `
      query Summary($id: ID!) {
        inferenceRun(id: $id) {
          concordanceSummary {
            overall {
              n
              pointingHitRate
              meanEnergyInside
              meanIou
              meanPixelAuc
            }
            bySource {
              key
              stats {
                n
              }
            }
            byReader {
              key
              stats {
                n
                pointingHitRate
              }
            }
            viewConsistency {
              lesions
            }
          }
        }
      }
    `;
    type Summary = {
      inferenceRun: {
        concordanceSummary: {
          overall: {
            n: number;
            pointingHitRate: number | null;
            meanEnergyInside: number | null;
            meanIou: number | null;
            meanPixelAuc: number | null;
          };
          bySource: { key: string; stats: { n: number } }[];
          byReader: { key: string; stats: { n: number; pointingHitRate: number | null } }[];
          viewConsistency: { lesions: number };
        };
      };
    };
    const open = await api.as<Summary>(ml, SUMMARY, { id: globalId("InferenceRun", runId) });
    expect(open.inferenceRun.concordanceSummary.overall).toEqual({
      n: 1,
      pointingHitRate: 0,
      meanEnergyInside: 0.1,
      meanIou: 0.05,
      meanPixelAuc: null,
    });
    expect(open.inferenceRun.concordanceSummary.byReader).toEqual([]);

    await api.db.readerStudy.update({ where: { id: studyId }, data: { status: "CLOSED", closedAt: new Date() } });
    try {
      const closed = await api.as<Summary>(ml, SUMMARY, { id: globalId("InferenceRun", runId) });
      const summary = closed.inferenceRun.concordanceSummary;
      expect(summary.overall.n).toBe(2);
      expect(summary.overall.pointingHitRate).toBe(0.5);
      expect(summary.bySource).toEqual([
        { key: "ANNOTATION", stats: { n: 1 } },
        { key: "READ", stats: { n: 1 } },
      ]);
      expect(summary.byReader).toEqual([{ key: mlReader, stats: { n: 1, pointingHitRate: 1 } }]);
    } finally {
      await api.db.readerStudy.update({ where: { id: studyId }, data: { status: "OPEN", closedAt: null } });
    }
    // The ML engineer who reads the case in the open study sees no part of it.
    const blinded = await api.graphql<Summary>(
      SUMMARY,
      { id: globalId("InferenceRun", runId) },
      { token: await api.sessionFor(mlReader) },
    );
    expect(blinded.data?.inferenceRun.concordanceSummary.overall.n ?? 0).toBe(0);
  });

  it("a run's concordance summary counts its own images only, not every run of the same model, method and layer (issue 16)", async () => {
    // A later one-image run of the same model: image 1 has no comparisons (they are all on image 0).
    const later = await api.db.inferenceRun.create({
      data: {
        siteId: (await api.db.modelVersion.findUniqueOrThrow({ where: { id: model.id } })).siteId,
        modelVersionId: model.id,
        target: "IMAGES",
        imageIds: [imageIds[1]!],
        status: "SUCCEEDED",
        requestedById: ml,
      },
    });
    const SUMMARY = /* GraphQL */ `
      query Summary($id: ID!) {
        inferenceRun(id: $id) {
          concordanceSummary {
            overall {
              n
            }
          }
        }
      }
    `;
    type Summary = { inferenceRun: { concordanceSummary: { overall: { n: number } } } };
    const own = await api.as<Summary>(ml, SUMMARY, { id: globalId("InferenceRun", later.id) });
    expect(own.inferenceRun.concordanceSummary.overall.n).toBe(0);
    const first = await api.as<Summary>(ml, SUMMARY, { id: globalId("InferenceRun", runId) });
    expect(first.inferenceRun.concordanceSummary.overall.n).toBe(1); // the annotation on image 0 (the study is open)
    await api.db.inferenceRun.delete({ where: { id: later.id } });
  });

  it("hides a case's predictions and heatmaps from an ML engineer who reads it in an open study", async () => {
    const view = await api.as<{ inferenceRun: { predictions: { edges: unknown[] } } }>(mlReader, RUN, {
      id: globalId("InferenceRun", runId),
    });
    expect(view.inferenceRun.predictions.edges).toEqual([]);
    expect(
      (
        await api.as<{ imagePredictions: unknown[] }>(mlReader, IMAGE_PREDICTIONS, {
          imageId: globalId("Image", imageIds[0]!),
        })
      ).imagePredictions,
    ).toEqual([]);
    const map = await api.db.saliencyMap.findFirstOrThrow();
    expect(await heatmap(`/saliency-maps/${map.id}/heatmap.png`, mlReader)).toBe(404);
    expect(
      (
        await api.as<{ imagePredictions: unknown[] }>(ml, IMAGE_PREDICTIONS, {
          imageId: globalId("Image", imageIds[0]!),
        })
      ).imagePredictions,
    ).toHaveLength(1);
  });

  it("queues the concordance job of a finished run only", async () => {
    await api.as(ml, CONCORDANCE, { id: globalId("InferenceRun", runId) });
    expect(await jobs("inferenceRunId", runId)).toEqual([{ name: "concordance" }]);
    const queued = await api.db.inferenceRun.findFirstOrThrow({ where: { status: "QUEUED" } });
    const early = await api.graphql(
      CONCORDANCE,
      { id: globalId("InferenceRun", queued.id) },
      { token: await api.sessionFor(ml) },
    );
    expect(early.errors?.[0]?.extensions?.code).toBe("CONFLICT");
  });
});
