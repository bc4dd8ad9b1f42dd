import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import { createDatasetVersion, createModelVersion } from "../../../test/study-factories.ts";

const REQUEST = /* GraphQL */ `
  mutation Request($input: RequestEvaluationInput!) {
    requestEvaluation(input: $input) {
      id
      split
      status
      datasetDigest
      modelVersion {
        version
      }
    }
  }
`;
const LIST = /* GraphQL */ `
  query List($modelVersionId: ID) {
    evaluations(first: 10, modelVersionId: $modelVersionId) {
      edges {
        node {
          split
          status
          metrics
        }
      }
    }
  }
`;
const rawId = (gid: string) => Buffer.from(gid, "base64").toString().split(":")[1]!;

describe("evaluations", () => {
  let api: TestApi;
  let ml: string;
  let otherMl: string;
  let coordinator: string;
  let input: { modelVersionId: string; datasetVersionId: string };

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    const otherSite = await createSite(api.db);
    ml = (await createUser(api.db, [{ siteId: site.id, role: "ML_ENGINEER" }])).id;
    otherMl = (await createUser(api.db, [{ siteId: otherSite.id, role: "ML_ENGINEER" }])).id;
    coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
    const model = await createModelVersion(api.db, { siteId: site.id, createdById: ml });
    const version = await createDatasetVersion(api.db, site.id, coordinator);
    input = {
      modelVersionId: globalId("ModelVersion", model.id),
      datasetVersionId: globalId("DatasetVersion", version.id),
    };
  });
  afterAll(async () => {
    await api.stop();
  });

  it("queues an evaluation (TEST split by default) with its job; asking again is a conflict until it fails", async () => {
    const first = await api.as<{ requestEvaluation: { id: string; split: string; status: string } }>(ml, REQUEST, {
      input,
    });
    expect(first.requestEvaluation).toMatchObject({ split: "TEST", status: "QUEUED" });
    const id = rawId(first.requestEvaluation.id);
    const jobs = () =>
      api.db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'evaluate' AND data->>'evaluationId' = $1`,
        id,
      );
    expect(await jobs()).toEqual([{ n: 1 }]);
    const again = await api.graphql(REQUEST, { input }, { token: await api.sessionFor(ml) });
    expect(again.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    await api.db.evaluation.update({ where: { id }, data: { status: "FAILED", error: "worker crashed" } });
    const retried = await api.as<{ requestEvaluation: { id: string; status: string } }>(ml, REQUEST, { input });
    expect(retried.requestEvaluation).toMatchObject({ id: first.requestEvaluation.id, status: "QUEUED" });
    expect(await jobs()).toEqual([{ n: 2 }]);
    const validation = await api.as<{ requestEvaluation: { split: string } }>(ml, REQUEST, {
      input: { ...input, split: "VALIDATION" },
    });
    expect(validation.requestEvaluation.split).toBe("VALIDATION");
  });

  it("is requested by ML engineers of the model's site only, and listed with the model version", async () => {
    expect(
      (
        await api.graphql(
          REQUEST,
          { input: { ...input, split: "TRAIN" } },
          { token: await api.sessionFor(coordinator) },
        )
      ).errors?.[0]?.extensions?.code,
    ).toBe("FORBIDDEN");
    expect(
      (await api.graphql(REQUEST, { input: { ...input, split: "TRAIN" } }, { token: await api.sessionFor(otherMl) }))
        .errors?.[0]?.extensions?.code,
    ).toBe("NOT_FOUND");
    const listed = await api.as<{ evaluations: { edges: { node: { split: string } }[] } }>(coordinator, LIST, {
      modelVersionId: input.modelVersionId,
    });
    expect(listed.evaluations.edges.map((e) => e.node.split).sort()).toEqual(["TEST", "VALIDATION"]);
    expect((await api.as<{ evaluations: { edges: unknown[] } }>(otherMl, LIST, {})).evaluations.edges).toEqual([]);
  });
});
