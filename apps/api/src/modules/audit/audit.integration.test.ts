import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createSite, createUser, globalId } from "../../../test/factories.ts";
import { errorCode, startTestApi, type TestApi } from "../../../test/harness.ts";

const LOG = /* GraphQL */ `
  query Log($siteId: ID!, $entityId: ID, $action: String, $after: String) {
    auditEvents(siteId: $siteId, entityId: $entityId, action: $action, first: 3, after: $after) {
      edges {
        node {
          action
          entityType
          entityId
          actor {
            name
          }
          before
          after
          requestId
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
const ADD = /* GraphQL */ `
  mutation Add($input: AddPathologyLabelInput!) {
    addPathologyLabel(input: $input) {
      id
    }
  }
`;
const RENAME = /* GraphQL */ `
  mutation Rename($input: UpdateSiteInput!) {
    updateSite(input: $input) {
      name
    }
  }
`;

type Node = {
  action: string;
  entityType: string;
  entityId: string;
  actor: { name: string } | null;
  before: unknown;
  after: unknown;
  requestId: string;
};

describe("the audit log", () => {
  let api: TestApi;
  let site: { id: string };
  let admin: string;
  let annotator: string;
  let caseId: string;

  beforeAll(async () => {
    api = await startTestApi();
    site = await createSite(api.db);
    admin = (await createUser(api.db, [{ siteId: site.id, role: "ADMIN" }])).id;
    annotator = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    caseId = (await createCase(api.db, api.blobs, site.id)).id;
  });
  afterAll(async () => {
    await api.stop();
  });

  it("records each mutation with actor, before, after and the request id; admins read it newest first, page by page", async () => {
    const response = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await api.sessionFor(admin)}` },
      body: JSON.stringify({
        query: RENAME,
        variables: { input: { siteId: globalId("Site", site.id), name: "Renamed Hospital" } },
      }),
    });
    const requestId = response.headers.get("x-request-id");
    const label = await api.as<{ addPathologyLabel: { id: string } }>(annotator, ADD, {
      input: { caseId: globalId("Case", caseId), laterality: "R", subtype: "SOLID", source: "BIOPSY" },
    });
    const first = (
      await api.as<{ auditEvents: { edges: { node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
        admin,
        LOG,
        { siteId: globalId("Site", site.id) },
      )
    ).auditEvents;
    // A label on a new breast creates its finding first (issue 13), audited in the same transaction.
    expect(first.edges.map((e) => e.node.action)).toEqual(["pathologyLabel.create", "finding.create", "site.update"]);
    const rename = first.edges[2]!.node;
    expect(rename).toMatchObject({
      entityType: "Site",
      entityId: globalId("Site", site.id),
      requestId,
      before: expect.objectContaining({ code: expect.any(String) }),
      after: expect.objectContaining({ name: "Renamed Hospital" }),
    });
    expect(first.edges[0]!.node.entityId).toBe(label.addPathologyLabel.id);
    const byEntity = (
      await api.as<{ auditEvents: { edges: { node: Node }[] } }>(admin, LOG, {
        siteId: globalId("Site", site.id),
        entityId: label.addPathologyLabel.id,
      })
    ).auditEvents;
    expect(byEntity.edges.map((e) => e.node.action)).toEqual(["pathologyLabel.create"]);
    const second = (
      await api.as<{ auditEvents: { edges: unknown[] } }>(admin, LOG, {
        siteId: globalId("Site", site.id),
        after: first.pageInfo.endCursor,
      })
    ).auditEvents;
    expect(second.edges).toEqual([]);
  });

  it("a refused or failed mutation leaves no audit event (same transaction)", async () => {
    const before = await api.db.auditEvent.count();
    const refused = await api.tryAs(admin, ADD, {
      input: { caseId: globalId("Case", caseId), laterality: "R", subtype: "SOLID", source: "BIOPSY" },
    });
    expect(errorCode(refused)).toBe("FORBIDDEN");
    const invalid = await api.tryAs(annotator, ADD, {
      input: {
        caseId: globalId("Case", caseId),
        laterality: "R",
        subtype: "SOLID",
        source: "BIOPSY",
        specimenDate: "2999-01-01",
      },
    });
    expect(errorCode(invalid)).toBe("BAD_USER_INPUT");
    expect(await api.db.auditEvent.count()).toBe(before);
  });

  it("is closed to an admin who reads an open study (its values carry truth), and to non-admins", async () => {
    const readerAdmin = (
      await createUser(api.db, [
        { siteId: site.id, role: "ADMIN" },
        { siteId: site.id, role: "READER" },
      ])
    ).id;
    const study = await api.db.readerStudy.create({
      data: { siteId: site.id, name: "open", seed: 1, createdById: admin, status: "OPEN" },
    });
    const arm = await api.db.studyArm.create({ data: { studyId: study.id, kind: "UNAIDED", name: "Unaided" } });
    await api.db.studyReader.create({ data: { studyId: study.id, userId: readerAdmin, armId: arm.id } });
    expect(errorCode(await api.tryAs(readerAdmin, LOG, { siteId: globalId("Site", site.id) }))).toBe("FORBIDDEN");
    expect(
      (await api.as<{ auditEvents: { edges: unknown[] } }>(annotator, LOG, { siteId: globalId("Site", site.id) }))
        .auditEvents.edges,
    ).toEqual([]);
  });
});
