import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import { createModelVersion } from "../../../test/study-factories.ts";

const LIST = /* GraphQL */ `
  query List($name: String) {
    modelVersions(first: 10, name: $name) {
      edges {
        node {
          id
          name
          version
          aliases {
            alias
          }
        }
      }
    }
  }
`;
const MODEL = /* GraphQL */ `
  query Model($id: ID!) {
    modelVersion(id: $id) {
      name
      version
      classNames
      inputSizePx
      metrics
      site {
        code
      }
      lineage {
        datasetName
        datasetVersion
        datasetDigest
        trainingRunId
        preset
        params
        codeRevision
        backend
        seed
        trainingStartedAt
      }
      trainingRun {
        id
      }
    }
  }
`;
const SET_ALIAS = /* GraphQL */ `
  mutation Set($id: ID!, $alias: String!) {
    setModelAlias(modelVersionId: $id, alias: $alias) {
      alias
      modelName
      modelVersionId
    }
  }
`;
const REMOVE_ALIAS = /* GraphQL */ `
  mutation Remove($siteId: ID!, $modelName: String!, $alias: String!) {
    removeModelAlias(siteId: $siteId, modelName: $modelName, alias: $alias) {
      alias
    }
  }
`;
const ALIASES = /* GraphQL */ `
  query {
    modelAliases {
      alias
      modelName
      modelVersionId
    }
  }
`;

describe("model versions", () => {
  let api: TestApi;
  let ml: string;
  let coordinator: string;
  let otherMl: string;
  let annotator: string;
  let siteId: string;
  let v1: { id: string; name: string; datasetDigest: string };
  let v2: { id: string };

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    siteId = site.id;
    const otherSite = await createSite(api.db);
    ml = (await createUser(api.db, [{ siteId: site.id, role: "ML_ENGINEER" }])).id;
    coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
    annotator = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    otherMl = (await createUser(api.db, [{ siteId: otherSite.id, role: "ML_ENGINEER" }])).id;
    v1 = await createModelVersion(api.db, { siteId: site.id, createdById: ml, name: "idc-subtype", version: 1 });
    v2 = await createModelVersion(api.db, { siteId: site.id, createdById: ml, name: "idc-subtype", version: 2 });
    await createModelVersion(api.db, { siteId: otherSite.id, createdById: otherMl, name: "idc-subtype", version: 1 });
  });
  afterAll(async () => {
    await api.stop();
  });

  it("lists the site's versions to its ML engineers and coordinators, with their lineage", async () => {
    for (const user of [ml, coordinator]) {
      const list = await api.as<{ modelVersions: { edges: { node: { version: number } }[] } }>(user, LIST, {
        name: "idc-subtype",
      });
      expect(list.modelVersions.edges.map((e) => e.node.version)).toEqual([2, 1]);
    }
    for (const user of [annotator])
      expect((await api.as<{ modelVersions: { edges: unknown[] } }>(user, LIST)).modelVersions.edges).toEqual([]);
    const model = await api.as<{
      modelVersion: { lineage: Record<string, unknown>; classNames: string[]; trainingRun: null };
    }>(ml, MODEL, { id: globalId("ModelVersion", v1.id) });
    expect(model.modelVersion.classNames).toEqual(["TUBULE_FORMING", "SOLID", "SCIRRHOUS"]);
    expect(model.modelVersion.lineage).toMatchObject({
      datasetVersion: 1,
      datasetDigest: v1.datasetDigest,
      preset: "quick",
      params: { epochs: 2 },
      codeRevision: "abc1234",
      backend: "wasm",
      seed: 7,
      trainingRunId: null,
    });
    const foreign = await api.graphql(
      MODEL,
      { id: globalId("ModelVersion", v1.id) },
      { token: await api.sessionFor(otherMl) },
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("sets and moves an alias with an audit trail of where it pointed; only ML engineers of the site", async () => {
    await api.as(ml, SET_ALIAS, { id: globalId("ModelVersion", v1.id), alias: "production" });
    const moved = await api.as<{ setModelAlias: { modelVersionId: string } }>(ml, SET_ALIAS, {
      id: globalId("ModelVersion", v2.id),
      alias: "production",
    });
    expect(moved.setModelAlias.modelVersionId).toBe(globalId("ModelVersion", v2.id));
    const events = await api.db.auditEvent.findMany({ where: { entityType: "ModelAlias" }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["modelAlias.create", "modelAlias.move"]);
    expect(events[1]!.before).toMatchObject({ modelVersionId: v1.id });
    expect(events[1]!.after).toMatchObject({ modelVersionId: v2.id });
    const aliases = await api.as<{ modelAliases: { alias: string; modelVersionId: string }[] }>(coordinator, ALIASES);
    expect(aliases.modelAliases).toEqual([
      { alias: "production", modelName: "idc-subtype", modelVersionId: globalId("ModelVersion", v2.id) },
    ]);

    const token = async (user: string) => ({ token: await api.sessionFor(user) });
    expect(
      (
        await api.graphql(
          SET_ALIAS,
          { id: globalId("ModelVersion", v1.id), alias: "staging" },
          await token(coordinator),
        )
      ).errors?.[0]?.extensions?.code,
    ).toBe("FORBIDDEN");
    expect(
      (await api.graphql(SET_ALIAS, { id: globalId("ModelVersion", v1.id), alias: "staging" }, await token(otherMl)))
        .errors?.[0]?.extensions?.code,
    ).toBe("NOT_FOUND");
    const badName = await api.graphql(
      SET_ALIAS,
      { id: globalId("ModelVersion", v1.id), alias: "Prod uction" },
      await token(ml),
    );
    expect(badName.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(badName.errors?.[0]?.message).toMatch(/lower-case letters/);

    const removed = await api.as<{ removeModelAlias: { alias: string } }>(ml, REMOVE_ALIAS, {
      siteId: globalId("Site", siteId),
      modelName: "idc-subtype",
      alias: "production",
    });
    expect(removed.removeModelAlias.alias).toBe("production");
    expect((await api.as<{ modelAliases: unknown[] }>(ml, ALIASES)).modelAliases).toEqual([]);
  });
});
