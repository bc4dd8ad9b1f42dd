import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";

const ADD = /* GraphQL */ `
  mutation Add($input: AddPathologyLabelInput!) {
    addPathologyLabel(input: $input) { id subtype source specimenDate note author { name } }
  }
`;
const CASE = /* GraphQL */ `
  query Case($id: ID!) { case(id: $id) { accessionKey pathologyLabels { subtype source } } }
`;

describe("pathology labels", () => {
  let api: TestApi;
  let caseId: string;
  let annotator: string;
  let otherSiteAnnotator: string;
  let reader: string;
  let coordinator: string;

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    const otherSite = await createSite(api.db);
    caseId = (await createCase(api.db, api.blobs, site.id)).id;
    annotator = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    otherSiteAnnotator = (await createUser(api.db, [{ siteId: otherSite.id, role: "ANNOTATOR" }])).id;
    reader = (await createUser(api.db, [{ siteId: site.id, role: "READER" }])).id;
    coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
  });
  afterAll(async () => {
    await api.stop();
  });

  const input = (overrides: Record<string, unknown> = {}) => ({
    caseId: globalId("Case", caseId),
    subtype: "SCIRRHOUS",
    source: "SURGERY",
    specimenDate: "2020-03-04",
    note: "two pathologists agreed",
    ...overrides,
  });

  it("an annotator of the case's site adds a label; it is read back, with an audit event in the same transaction", async () => {
    const data = await api.as<{ addPathologyLabel: { id: string; subtype: string; specimenDate: string } }>(annotator, ADD, { input: input() });
    expect(data.addPathologyLabel).toMatchObject({ subtype: "SCIRRHOUS", source: "SURGERY", specimenDate: "2020-03-04" });
    const readBack = await api.as<{ case: { pathologyLabels: { subtype: string }[] } }>(annotator, CASE, { id: globalId("Case", caseId) });
    expect(readBack.case.pathologyLabels).toContainEqual({ subtype: "SCIRRHOUS", source: "SURGERY" });
    const audit = await api.db.auditEvent.findFirst({ where: { entityId: data.addPathologyLabel.id } });
    expect(audit).toMatchObject({ actorId: annotator, action: "pathologyLabel.create", entityType: "PathologyLabel" });
  });

  it("an annotator of another site sees no such case (and cannot label it)", async () => {
    const result = await api.graphql(ADD, { input: input() }, { token: await api.sessionFor(otherSiteAnnotator) });
    expect(result.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const read = await api.graphql(CASE, { id: globalId("Case", caseId) }, { token: await api.sessionFor(otherSiteAnnotator) });
    expect(read.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("a reader cannot see the case's truth, and a coordinator cannot label", async () => {
    const asReader = await api.graphql(CASE, { id: globalId("Case", caseId) }, { token: await api.sessionFor(reader) });
    expect(asReader.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const asCoordinator = await api.graphql(ADD, { input: input() }, { token: await api.sessionFor(coordinator) });
    expect(asCoordinator.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("rejects bad input with an error that names the field, and writes nothing", async () => {
    const before = await api.db.pathologyLabel.count();
    const future = await api.graphql(ADD, { input: input({ specimenDate: "2999-01-01" }) }, { token: await api.sessionFor(annotator) });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "specimenDate" });
    const badEnum = await api.graphql(ADD, { input: input({ subtype: "MUCINOUS" }) }, { token: await api.sessionFor(annotator) });
    expect(badEnum.errors?.[0]?.message).toMatch(/subtype/);
    expect(await api.db.pathologyLabel.count()).toBe(before);
  });

  it("refuses anonymous requests", async () => {
    const result = await api.graphql(ADD, { input: input() });
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
