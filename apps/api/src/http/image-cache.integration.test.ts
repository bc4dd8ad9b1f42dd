import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createSite, createUser } from "../../test/factories.ts";
import { startTestApi, type TestApi } from "../../test/harness.ts";
import { createStudy } from "../../test/study-factories.ts";

describe("finding 7: the API says which images a browser may keep", () => {
  let api: TestApi;
  let readerToken: string;
  let annotatorToken: string;
  let imageId: string;

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    const coordinator = await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }]);
    const reader = await createUser(api.db, [{ siteId: site.id, role: "READER" }]);
    const annotator = await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }]);
    const c = await createCase(api.db, api.blobs, site.id);
    await createStudy(api.db, {
      siteId: site.id,
      createdById: coordinator.id,
      caseIds: [c.id],
      readers: [{ userId: reader.id, arm: "UNAIDED" }],
    });
    imageId = (await api.db.image.findFirstOrThrow({ where: { caseId: c.id } })).id;
    readerToken = await api.sessionFor(reader.id);
    annotatorToken = await api.sessionFor(annotator.id);
  });
  afterAll(async () => {
    await api.stop();
  });

  const cacheControl = async (file: string, token: string) => {
    const response = await fetch(`${api.url}/images/${imageId}/${file}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status, file).toBe(200);
    return response.headers.get("cache-control");
  };

  it("finding 7: a reader's study images are no-store; the case browser's may be kept privately", async () => {
    for (const file of ["display.png", "thumbnail.png?size=128", "pixels.bin"]) {
      expect(await cacheControl(file, readerToken), file).toBe("private, no-store");
      expect(await cacheControl(file, annotatorToken), file).toBe("private, max-age=3600");
    }
  });
});
