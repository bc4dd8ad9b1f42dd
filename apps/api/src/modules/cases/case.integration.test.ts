import type { StudyStatus, Subtype } from "@mammo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCase,
  createFrozenDataset,
  createLabel,
  findingOf,
  createSite,
  createUser,
  globalId,
} from "../../../test/factories.ts";
import { errorCode, startTestApi, type TestApi } from "../../../test/harness.ts";

const CASES = /* GraphQL */ `
  query Cases($filter: CaseFilter, $first: Int, $after: String) {
    cases(filter: $filter, first: $first, after: $after) {
      edges {
        node {
          id
          accessionKey
          labelStatus
          truth
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
const CASE = /* GraphQL */ `
  query Case($id: ID!, $laterality: Laterality, $view: ViewPosition) {
    case(id: $id) {
      accessionKey
      patientPseudonym
      site {
        code
      }
      images {
        laterality
        view
        widthPx
        heightPx
        displayUrl
      }
      selected: images(laterality: $laterality, view: $view) {
        laterality
        view
      }
    }
  }
`;

type Page = {
  cases: {
    edges: { node: { id: string; accessionKey: string; labelStatus: string; truth: string | null } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string };
  };
};

describe("cases", () => {
  let api: TestApi;
  let site: { id: string; code: string };
  let otherSite: { id: string };
  let annotator: string;
  let coordinator: string;
  let reader: string;
  let otherSiteCoordinator: string;
  const byStatus: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi();
    site = await createSite(api.db);
    otherSite = await createSite(api.db);
    annotator = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
    reader = (await createUser(api.db, [{ siteId: site.id, role: "READER" }])).id;
    otherSiteCoordinator = (await createUser(api.db, [{ siteId: otherSite.id, role: "COORDINATOR" }])).id;
    const label = async (caseId: string, ...subtypes: Subtype[]) => {
      for (const s of subtypes) await createLabel(api.db, caseId, annotator, s);
    };
    byStatus.UNLABELLED = (await createCase(api.db, api.blobs, site.id)).id;
    byStatus.LABELLED = (await createCase(api.db, api.blobs, site.id)).id;
    await label(byStatus.LABELLED, "SOLID", "SOLID");
    byStatus.CONFLICT = (await createCase(api.db, api.blobs, site.id)).id;
    await label(byStatus.CONFLICT, "SOLID", "SCIRRHOUS");
    byStatus.ADJUDICATED = (await createCase(api.db, api.blobs, site.id)).id;
    await label(byStatus.ADJUDICATED, "SOLID", "TUBULE_FORMING");
    await api.db.consensusDecision.create({
      data: {
        findingId: (await findingOf(api.db, byStatus.ADJUDICATED, annotator)).id,
        subtype: "TUBULE_FORMING",
        method: "ADJUDICATED",
        decidedById: annotator,
      },
    });
    await createCase(api.db, api.blobs, otherSite.id);
  });
  afterAll(async () => {
    await api.stop();
  });

  const list = async (userId: string, filter: Record<string, unknown> = {}, first = 50) =>
    (await api.as<Page>(userId, CASES, { filter, first })).cases.edges.map((e) => e.node);

  it("filters by label status and truth (consensus first, else agreeing labels)", async () => {
    for (const [status, caseId] of Object.entries(byStatus)) {
      expect(
        (await list(annotator, { labelStatus: status })).map((c) => c.id),
        status,
      ).toEqual([globalId("Case", caseId)]);
    }
    expect((await list(annotator, { subtype: "SOLID" })).map((c) => c.id)).toEqual([
      globalId("Case", byStatus.LABELLED!),
    ]);
    expect((await list(annotator, { subtype: "TUBULE_FORMING" })).map((c) => c.id)).toEqual([
      globalId("Case", byStatus.ADJUDICATED!),
    ]);
    expect(await list(annotator, { subtype: "SCIRRHOUS" })).toEqual([]);
    // Part of the accession key, any case, combined with the other filters.
    const labelled = await api.db.case.findUniqueOrThrow({ where: { id: byStatus.LABELLED! } });
    const part = labelled.accessionKey.slice(2).toLowerCase();
    expect((await list(annotator, { search: part })).map((c) => c.id)).toEqual([globalId("Case", labelled.id)]);
    expect(await list(annotator, { search: part, labelStatus: "CONFLICT" })).toEqual([]);
    const shown = await list(annotator);
    expect(shown.map((c) => [c.labelStatus, c.truth]).sort()).toEqual([
      ["ADJUDICATED", "TUBULE_FORMING"],
      ["CONFLICT", null],
      ["LABELLED", "SOLID"],
      ["UNLABELLED", null],
    ]);
  });

  it("names the previous, next and next unlabelled case in list order, among the cases the viewer sees", async () => {
    const NEIGHBOURS = /* GraphQL */ `
      query ($id: ID!) {
        case(id: $id) {
          accessionKey
          neighbours {
            previous {
              id
            }
            next {
              id
            }
            nextUnlabelled {
              id
            }
          }
        }
      }
    `;
    const shown = await list(annotator); // ordered by accession key
    const idOf = (i: number) => shown[i]?.id ?? null;
    type N = { case: { neighbours: Record<string, { id: string } | null> } };
    const at = async (i: number) => (await api.as<N>(annotator, NEIGHBOURS, { id: idOf(i) })).case.neighbours;
    const unlabelled = shown.findIndex((c) => c.labelStatus === "UNLABELLED");
    const first = await at(0);
    expect(first.previous).toBeNull();
    expect(first.next?.id).toBe(idOf(1));
    // (The keys are random: the unlabelled case may be the first, and then none comes after it.)
    expect(first.nextUnlabelled?.id ?? null).toBe(unlabelled > 0 ? idOf(unlabelled) : null);
    const last = await at(shown.length - 1);
    expect(last.next).toBeNull();
    expect(last.previous?.id).toBe(idOf(shown.length - 2));
    // Past the end it starts again from the first unlabelled case (never the case itself).
    if (unlabelled !== shown.length - 1) expect(last.nextUnlabelled?.id).toBe(idOf(unlabelled));
    // Another site's coordinator sees only their own case: no neighbours.
    const other = (await list(otherSiteCoordinator))[0]!;
    expect((await api.as<N>(otherSiteCoordinator, NEIGHBOURS, { id: other.id })).case.neighbours).toEqual({
      previous: null,
      next: null,
      nextUnlabelled: null,
    });
  });

  it("filters by site and by frozen dataset version; shows only the viewer's sites", async () => {
    expect(await list(annotator, { siteId: globalId("Site", otherSite.id) })).toEqual([]);
    expect(await list(otherSiteCoordinator, { siteId: globalId("Site", site.id) })).toEqual([]);
    expect(await list(otherSiteCoordinator)).toHaveLength(1);
    const labelled = await api.db.case.findUniqueOrThrow({ where: { id: byStatus.LABELLED! } });
    const { version } = await createFrozenDataset(api.db, site.id, coordinator, [
      { id: labelled.id, patientId: labelled.patientId, subtype: "SOLID" },
    ]);
    expect(
      (await list(coordinator, { datasetVersionId: globalId("DatasetVersion", version.id) })).map((c) => c.id),
    ).toEqual([globalId("Case", labelled.id)]);
    const wrongType = await api.tryAs(coordinator, CASES, {
      filter: { datasetVersionId: globalId("Case", labelled.id) },
    });
    expect(wrongType.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "filter.datasetVersionId",
    });
  });

  it("pages with cursors in accession key order, without gaps or repeats", async () => {
    const all = await list(coordinator);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Page = await api.as(coordinator, CASES, { first: 3, after });
      seen.push(...page.cases.edges.map((e) => e.node.accessionKey));
      after = page.cases.pageInfo.hasNextPage ? page.cases.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all.map((c) => c.accessionKey));
    expect([...seen].sort()).toEqual(seen);
    const bad = await api.tryAs(coordinator, CASES, { first: 3, after: "garbage" });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "cursor" });
  });

  it("shows a case's four images in hanging order, or one laterality and view", async () => {
    const data = await api.as<{
      case: { images: { laterality: string; view: string; displayUrl: string }[]; selected: unknown[] };
    }>(annotator, CASE, {
      id: globalId("Case", byStatus.LABELLED!),
      laterality: "L",
      view: "MLO",
    });
    expect(data.case.images.map((i) => `${i.laterality}${i.view}`)).toEqual(["RCC", "RMLO", "LCC", "LMLO"]);
    expect(data.case.selected).toEqual([{ laterality: "L", view: "MLO" }]);
  });

  describe("blinding and study access", () => {
    let studyCaseId: string;
    let studyImageId: string;
    let coordinatorReader: string;
    let studyId: string;

    const setStatus = (status: StudyStatus) => api.db.readerStudy.update({ where: { id: studyId }, data: { status } });
    const imageStatus = async (userId: string, imageId = studyImageId) =>
      (
        await fetch(`${api.url}/images/${imageId}/display.png`, {
          headers: { authorization: `Bearer ${await api.sessionFor(userId)}` },
        })
      ).status;

    beforeAll(async () => {
      studyCaseId = byStatus.LABELLED!;
      studyImageId = (await api.db.image.findFirstOrThrow({ where: { caseId: studyCaseId } })).id;
      // A coordinator of the site who is also a reader in the site's open study.
      coordinatorReader = (
        await createUser(api.db, [
          { siteId: site.id, role: "COORDINATOR" },
          { siteId: site.id, role: "READER" },
        ])
      ).id;
      const study = await api.db.readerStudy.create({
        data: { siteId: site.id, name: `Study ${Date.now()}`, seed: 1, createdById: coordinator, status: "OPEN" },
      });
      studyId = study.id;
      const arm = await api.db.studyArm.create({ data: { studyId, kind: "UNAIDED", name: "Unaided" } });
      await api.db.studyCase.create({ data: { studyId, caseId: studyCaseId, code: "C-001" } });
      for (const userId of [coordinatorReader, reader])
        await api.db.studyReader.create({ data: { studyId, userId, armId: arm.id } });
    });

    it("an assigned reader of an OPEN study does not see its cases in the case browser, even as the site's coordinator", async () => {
      const ids = (await list(coordinatorReader)).map((c) => c.id);
      expect(ids).not.toContain(globalId("Case", studyCaseId));
      expect(ids).toHaveLength(3);
      expect(errorCode(await api.tryAs(coordinatorReader, CASE, { id: globalId("Case", studyCaseId) }))).toBe(
        "NOT_FOUND",
      );
      const node = await api.as<{ node: unknown }>(coordinatorReader, "query ($id: ID!) { node(id: $id) { id } }", {
        id: globalId("Case", studyCaseId),
      });
      expect(node.node).toBeNull();
      // Once the study is closed the case browser shows it again.
      await setStatus("CLOSED");
      expect((await list(coordinatorReader)).map((c) => c.id)).toContain(globalId("Case", studyCaseId));
      await setStatus("OPEN");
    });

    it("study images: readers while OPEN or CLOSED, the study site's coordinators always, nobody else", async () => {
      expect(await imageStatus(reader)).toBe(200);
      expect(await imageStatus(coordinatorReader)).toBe(200);
      expect(await imageStatus(coordinator)).toBe(200);
      expect(await imageStatus(otherSiteCoordinator)).toBe(404);
      await setStatus("CLOSED");
      expect(await imageStatus(reader)).toBe(200);
      await setStatus("DRAFT");
      expect(await imageStatus(reader)).toBe(404);
      await setStatus("OPEN");
      const notInStudy = (await api.db.image.findFirstOrThrow({ where: { caseId: byStatus.CONFLICT! } })).id;
      expect(await imageStatus(reader, notInStudy)).toBe(404);
      expect(await imageStatus(annotator, notInStudy)).toBe(200);
      expect((await fetch(`${api.url}/images/${notInStudy}/display.png`)).status).toBe(401);
    });
  });

  it("walks the whole list with next and previous across two sites, where an accession key is in both", async () => {
    // The same key at two sites orders by id; the walk must match the list's own order (its keyset pages).
    const both = (
      await createUser(
        api.db,
        [site.id, otherSite.id].map((siteId) => ({ siteId, role: "ANNOTATOR" as const })),
      )
    ).id;
    for (const siteId of [site.id, otherSite.id]) {
      const c = await createCase(api.db, api.blobs, siteId);
      await api.db.case.update({ where: { id: c.id }, data: { accessionKey: "A-SAME-KEY" } });
    }
    const shown = (await list(both, {}, 50)).map((c) => c.id);
    expect(shown.length).toBeGreaterThanOrEqual(7); // the five of beforeAll and these two
    const WALK = /* GraphQL */ `
      query ($id: ID!) {
        case(id: $id) {
          neighbours {
            previous {
              id
            }
            next {
              id
            }
          }
        }
      }
    `;
    type W = { case: { neighbours: { previous: { id: string } | null; next: { id: string } | null } } };
    for (const [i, id] of shown.entries()) {
      const { neighbours } = (await api.as<W>(both, WALK, { id })).case;
      expect([neighbours.previous?.id ?? null, neighbours.next?.id ?? null], `case ${i}`).toEqual([
        shown[i - 1] ?? null,
        shown[i + 1] ?? null,
      ]);
    }
  });
});
