import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import { createDatasetVersion } from "../../../test/study-factories.ts";

const REQUEST = /* GraphQL */ `
  mutation Request($input: RequestTrainingRunInput!) {
    requestTrainingRun(input: $input) {
      id
      status
      preset
      params
      seed
      datasetDigest
      datasetVersion
      requestedByName
      site {
        code
      }
    }
  }
`;
const REQUEST_WITH_WEIGHTS = /* GraphQL */ `
  mutation Request($input: RequestTrainingRunInput!) {
    requestTrainingRun(input: $input) {
      params
      pretrainedWeights {
        sha256
        source
        licence
      }
    }
  }
`;
const CANCEL = /* GraphQL */ `
  mutation Cancel($id: ID!) {
    cancelTrainingRun(id: $id) {
      status
      cancelRequestedAt
      finishedAt
    }
  }
`;
const RUN = /* GraphQL */ `
  query Run($id: ID!, $names: [String!], $afterId: String, $epochLevelOnly: Boolean) {
    trainingRun(id: $id) {
      status
      progress
      metricSeries(names: $names, afterId: $afterId, epochLevelOnly: $epochLevelOnly) {
        name
        fold
        points {
          id
          epoch
          batch
          value
        }
      }
    }
  }
`;
const LIST = /* GraphQL */ `
  query {
    trainingRuns(first: 50) {
      edges {
        node {
          id
          status
        }
      }
    }
  }
`;

type Requested = {
  requestTrainingRun: {
    id: string;
    status: string;
    preset: string;
    params: unknown;
    seed: number;
    datasetDigest: string;
  };
};
const rawId = (gid: string) => Buffer.from(gid, "base64").toString().split(":")[1]!;

describe("training runs", () => {
  let api: TestApi;
  let ml: string;
  let otherMl: string;
  let coordinator: string;
  let datasetVersionId: string;
  let digest: string;

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    const otherSite = await createSite(api.db);
    ml = (await createUser(api.db, [{ siteId: site.id, role: "ML_ENGINEER" }])).id;
    otherMl = (await createUser(api.db, [{ siteId: otherSite.id, role: "ML_ENGINEER" }])).id;
    coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
    const version = await createDatasetVersion(api.db, site.id, coordinator);
    datasetVersionId = globalId("DatasetVersion", version.id);
    digest = version.digest;
  });
  afterAll(async () => {
    await api.stop();
  });

  const jobsFor = (runId: string) =>
    api.db.$queryRawUnsafe<{ name: string; state: string }[]>(
      `SELECT name, state FROM pgboss.job WHERE data->>'trainingRunId' = $1`,
      runId,
    );
  const request = async (userId: string, input: Record<string, unknown>) =>
    api.graphql<Requested>(REQUEST, { input }, { token: await api.sessionFor(userId) });

  it("an ML engineer of the dataset's site queues a run: the row and its train job commit together, with an audit event", async () => {
    const input = {
      datasetVersionId,
      preset: "quick",
      params: { epochs: 2, optimizer: { learningRate: 0.001 } },
      seed: 42,
    };
    const result = await api.as<Requested>(ml, REQUEST, { input });
    expect(result.requestTrainingRun).toMatchObject({
      status: "QUEUED",
      preset: "quick",
      params: { epochs: 2, optimizer: { learningRate: 0.001 } },
      seed: 42,
      datasetDigest: digest,
    });
    const runId = rawId(result.requestTrainingRun.id);
    expect(await jobsFor(runId)).toEqual([{ name: "train", state: "created" }]);
    expect(
      await api.db.auditEvent.findFirst({ where: { entityId: runId, action: "trainingRun.request" } }),
    ).toMatchObject({ actorId: ml });
  });

  it("refuses unknown presets and parameters (naming them), other roles and other sites; nothing is written", async () => {
    const runsBefore = await api.db.trainingRun.count();
    const badPreset = await request(ml, { datasetVersionId, preset: "resnet" });
    expect(badPreset.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "preset" });
    const badParam = await request(ml, { datasetVersionId, preset: "quick", params: { learningRateTypo: 1 } });
    expect(badParam.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "params.learningRateTypo",
    });
    // Values too, by ml-core's own preset rules (the worker would otherwise fail on them later).
    const nested = await request(ml, { datasetVersionId, preset: "quick", params: { optimizer: { beta9: 1 } } });
    expect(nested.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "params.optimizer.beta9" });
    const badValue = await request(ml, { datasetVersionId, preset: "quick", params: { epochs: 0 } });
    expect(badValue.errors?.[0]).toMatchObject({
      message: expect.stringContaining("epochs: must be a positive integer"),
      extensions: { code: "BAD_USER_INPUT", field: "params.epochs" },
    });
    expect((await request(coordinator, { datasetVersionId, preset: "quick" })).errors?.[0]?.extensions?.code).toBe(
      "FORBIDDEN",
    );
    expect((await request(otherMl, { datasetVersionId, preset: "quick" })).errors?.[0]?.extensions).toMatchObject({
      code: "NOT_FOUND",
      field: "datasetVersionId",
    });
    expect(await api.db.trainingRun.count()).toBe(runsBefore);
  });

  it("finding 14: a training request cannot name a file on the worker; ImageNet weights are registered files of the site, named by id", async () => {
    const runsBefore = await api.db.trainingRun.count();
    // Today's imagenetWeightsPath opened a caller-chosen file on the worker and said whether it existed.
    for (const path of ["/etc/passwd", ".data/secrets.json", "/nonexistent"]) {
      const probe = await request(ml, {
        datasetVersionId,
        preset: "ueda-2020",
        params: { model: { imagenetWeightsPath: path } },
      });
      expect(probe.errors?.[0]).toMatchObject({
        message: expect.stringContaining("model.imagenetWeightsPath: is not a training parameter"),
        extensions: { code: "BAD_USER_INPUT", field: "params.model.imagenetWeightsPath" },
      });
    }
    // No weights registered at the site: the request says how to go on.
    const none = await request(ml, { datasetVersionId, preset: "ueda-2020" });
    expect(none.errors?.[0]).toMatchObject({
      message: expect.stringContaining("starts from ImageNet weights and none are registered at the site"),
      extensions: { code: "BAD_USER_INPUT", field: "params.model.imagenetWeightsId" },
    });
    expect(await api.db.trainingRun.count()).toBe(runsBefore);

    const registered = async (siteId: string, userId: string, name: string) =>
      api.db.pretrainedWeights.create({
        data: {
          siteId,
          name,
          architecture: "vgg16",
          format: "keras-h5",
          sha256: randomBytes(32).toString("hex"),
          sizeBytes: 58_889_256n,
          fileName: "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
          source: "Keras Applications",
          licence: "MIT",
          layers: ["block1_conv1"],
          createdById: userId,
        },
      });
    const otherSiteId = (await api.db.membership.findFirstOrThrow({ where: { userId: otherMl } })).siteId;
    const foreign = await registered(otherSiteId, otherMl, "their weights");
    const mine = await registered(
      (await api.db.membership.findFirstOrThrow({ where: { userId: ml } })).siteId,
      ml,
      "VGG16 ImageNet",
    );
    // Another site's weights and an id that exists nowhere get the same answer.
    for (const id of [foreign.id, "00000000-0000-4000-8000-000000000000", "../../etc/passwd"]) {
      const refused = await request(ml, {
        datasetVersionId,
        preset: "ueda-2020",
        params: { model: { imagenetWeightsId: id } },
      });
      expect(refused.errors?.[0]).toMatchObject({
        message: "params.model.imagenetWeightsId: no registered weights with this id at the site",
        extensions: { code: "NOT_FOUND", field: "params.model.imagenetWeightsId" },
      });
    }
    expect(await api.db.trainingRun.count()).toBe(runsBefore);
    // Without an id: the site's newest registered weights, recorded with the run.
    const run = await api.as<{
      requestTrainingRun: { params: { model: { imagenetWeightsId: string } }; pretrainedWeights: { sha256: string } };
    }>(ml, REQUEST_WITH_WEIGHTS, { input: { datasetVersionId, preset: "ueda-2020" } });
    expect(run.requestTrainingRun).toMatchObject({
      params: { model: { imagenetWeightsId: mine.id } },
      pretrainedWeights: { sha256: mine.sha256 },
    });
  });

  it("writes no run when its job cannot be queued (one transaction)", async () => {
    const runsBefore = await api.db.trainingRun.count();
    // Without its queue pg-boss cannot insert the job (the queue must be empty to be deleted).
    await api.db.$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name = 'train'`);
    await api.jobs.deleteQueue("train");
    try {
      const result = await request(ml, { datasetVersionId, preset: "quick" });
      expect(result.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(await api.db.trainingRun.count()).toBe(runsBefore);
    } finally {
      await api.jobs.createQueue("train", { name: "train", retryLimit: 3, retryDelay: 5, expireInHours: 12 });
    }
  });

  it("cancels a queued run at once (withdrawing its job) and asks a running one to stop", async () => {
    const queued = rawId(
      (await api.as<Requested>(ml, REQUEST, { input: { datasetVersionId, preset: "quick" } })).requestTrainingRun.id,
    );
    const cancelled = await api.as<{
      cancelTrainingRun: { status: string; cancelRequestedAt: string | null; finishedAt: string | null };
    }>(ml, CANCEL, { id: globalId("TrainingRun", queued) });
    expect(cancelled.cancelTrainingRun).toMatchObject({
      status: "CANCELLED",
      cancelRequestedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    expect(await jobsFor(queued)).toEqual([{ name: "train", state: "cancelled" }]);

    const running = rawId(
      (await api.as<Requested>(ml, REQUEST, { input: { datasetVersionId, preset: "ueda-2020" } })).requestTrainingRun
        .id,
    );
    await api.db.trainingRun.update({ where: { id: running }, data: { status: "RUNNING", startedAt: new Date() } });
    const stopping = await api.as<{ cancelTrainingRun: { status: string; finishedAt: string | null } }>(ml, CANCEL, {
      id: globalId("TrainingRun", running),
    });
    expect(stopping.cancelTrainingRun).toMatchObject({ status: "CANCELLING", finishedAt: null });
    expect(await api.db.trainingRun.findUniqueOrThrow({ where: { id: running } })).toMatchObject({
      cancelRequestedAt: expect.any(Date),
    });

    await api.db.trainingRun.update({ where: { id: running }, data: { status: "SUCCEEDED", finishedAt: new Date() } });
    const late = await api.graphql(
      CANCEL,
      { id: globalId("TrainingRun", running) },
      { token: await api.sessionFor(ml) },
    );
    expect(late.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    const foreign = await api.graphql(
      CANCEL,
      { id: globalId("TrainingRun", queued) },
      { token: await api.sessionFor(otherMl) },
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("serves a run's metric series for live curves, and only the newer points when polling", async () => {
    const runId = rawId(
      (await api.as<Requested>(ml, REQUEST, { input: { datasetVersionId, preset: "quick" } })).requestTrainingRun.id,
    );
    const point = (fold: number, epoch: number, batch: number, name: string, value: number) => ({
      runId,
      fold,
      epoch,
      batch,
      name,
      value,
    });
    await api.db.trainingMetric.createMany({
      data: [
        point(0, 0, 0, "loss", 1.2),
        point(0, 0, 1, "loss", 1.1),
        point(0, 0, -1, "val_loss", 1.05),
        point(1, 0, 0, "loss", 1.3),
        point(0, 1, -1, "val_loss", 0.9),
      ],
    });
    const first = await api.as<{
      trainingRun: {
        metricSeries: {
          name: string;
          fold: number;
          points: { id: string; epoch: number; batch: number; value: number }[];
        }[];
      };
    }>(ml, RUN, { id: globalId("TrainingRun", runId) });
    expect(first.trainingRun.metricSeries.map((s) => [s.name, s.fold, s.points.map((p) => p.value)])).toEqual([
      ["loss", 0, [1.2, 1.1]],
      ["loss", 1, [1.3]],
      ["val_loss", 0, [1.05, 0.9]],
    ]);
    const lastId = first.trainingRun.metricSeries
      .flatMap((s) => s.points.map((p) => BigInt(p.id)))
      .reduce((a, b) => (a > b ? a : b));
    await api.db.trainingMetric.create({ data: point(0, 2, -1, "val_loss", 0.8) });
    const poll = await api.as<{ trainingRun: { metricSeries: { points: { value: number }[] }[] } }>(ml, RUN, {
      id: globalId("TrainingRun", runId),
      afterId: lastId.toString(),
    });
    expect(poll.trainingRun.metricSeries.flatMap((s) => s.points.map((p) => p.value))).toEqual([0.8]);
    const epochs = await api.as<{ trainingRun: { metricSeries: { name: string }[] } }>(ml, RUN, {
      id: globalId("TrainingRun", runId),
      epochLevelOnly: true,
    });
    expect(epochs.trainingRun.metricSeries.map((s) => s.name)).toEqual(["val_loss"]);
  });

  it("lists runs to the ML engineers of their site only", async () => {
    expect(
      (await api.as<{ trainingRuns: { edges: unknown[] } }>(ml, LIST)).trainingRuns.edges.length,
    ).toBeGreaterThanOrEqual(3);
    for (const user of [otherMl, coordinator])
      expect((await api.as<{ trainingRuns: { edges: unknown[] } }>(user, LIST)).trainingRuns.edges).toEqual([]);
  });
});
