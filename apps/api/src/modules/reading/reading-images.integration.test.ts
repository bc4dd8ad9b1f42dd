// Issue 13, defect 8: FOR PROCESSING images (a detector's raw data) are kept, but reading leaves
// them out by default; view modifiers are recorded and shown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import { createStudy } from "../../../test/study-factories.ts";

const NEXT = /* GraphQL */ `
  query Next($studyId: ID!) {
    myNextCase(studyId: $studyId) {
      images {
        id
      }
    }
  }
`;
const CASE_IMAGES = /* GraphQL */ `
  query CaseImages($id: ID!) {
    node(id: $id) {
      ... on Case {
        images {
          id
          view
          viewModifiers
          presentationIntent
        }
      }
    }
  }
`;

let api: TestApi;
let reader: string;
let coordinator: string;
let caseId: string;
let studyId: string;
let rawImageId: string;
let spotImageId: string;

beforeAll(async () => {
  api = await startTestApi();
  const site = await createSite(api.db);
  coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
  reader = (await createUser(api.db, [{ siteId: site.id, role: "READER" }])).id;
  const c = await createCase(api.db, api.blobs, site.id);
  caseId = c.id;
  const images = await api.db.image.findMany({ where: { caseId }, orderBy: [{ view: "asc" }, { laterality: "asc" }] });
  rawImageId = images[0]!.id;
  spotImageId = images[1]!.id;
  await api.db.image.update({ where: { id: rawImageId }, data: { presentationIntent: "FOR_PROCESSING" } });
  await api.db.image.update({ where: { id: spotImageId }, data: { viewModifiers: ["SPOT_COMPRESSION"] } });
  const { study } = await createStudy(api.db, {
    siteId: site.id,
    createdById: coordinator,
    caseIds: [caseId],
    readers: [{ userId: reader, arm: "UNAIDED" }],
  });
  studyId = globalId("ReaderStudy", study.id);
});
afterAll(() => api?.stop());

describe("which images reading uses", () => {
  it("leaves FOR PROCESSING images out of a reader's case and refuses their pixels to the reader", async () => {
    const { myNextCase } = await api.as<{ myNextCase: { images: { id: string }[] } }>(reader, NEXT, { studyId });
    const shown = myNextCase.images.map((i) => i.id);
    expect(shown).toHaveLength(3);
    expect(shown).not.toContain(globalId("Image", rawImageId));
    expect(shown).toContain(globalId("Image", spotImageId));
    const pixels = (id: string, userId: string) =>
      api
        .sessionFor(userId)
        .then((token) =>
          fetch(`${api.url}/images/${id}/display.png`, { headers: { authorization: `Bearer ${token}` } }),
        );
    expect((await pixels(rawImageId, reader)).status).toBe(404);
    expect((await pixels(spotImageId, reader)).status).toBe(200);
  });

  it("keeps them in the case for its site's coordinators, with view modifiers and intent shown", async () => {
    const { node } = await api.as<{
      node: { images: { id: string; viewModifiers: string[]; presentationIntent: string }[] };
    }>(coordinator, CASE_IMAGES, { id: globalId("Case", caseId) });
    expect(node.images).toHaveLength(4);
    const byId = (id: string) => node.images.find((i) => i.id === globalId("Image", id));
    expect(byId(rawImageId)).toMatchObject({ presentationIntent: "FOR_PROCESSING" });
    expect(byId(spotImageId)).toMatchObject({
      viewModifiers: ["SPOT_COMPRESSION"],
      presentationIntent: "FOR_PRESENTATION",
    });
  });
});
