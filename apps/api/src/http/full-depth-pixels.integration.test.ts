import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDicom } from "@mammo/imaging/testing";
import { createCase, createSite, createUser } from "../../test/factories.ts";
import { startTestApi, type TestApi } from "../../test/harness.ts";
import type { FullDepthHeader } from "@mammo/wire-formats";
import { fullDepthKey } from "@mammo/imaging";

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

function parse(gz: ArrayBuffer) {
  const bytes = gunzipSync(Buffer.from(gz));
  expect(bytes.subarray(0, 4).toString("latin1")).toBe("MMPX");
  const length = bytes.readUInt32LE(4);
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString("utf8")) as FullDepthHeader;
  const offset = Math.ceil((8 + length) / 8) * 8;
  const copy = new Uint8Array(bytes.subarray(offset)).buffer;
  return { header, samples: header.isSigned ? new Int16Array(copy) : new Uint16Array(copy) };
}

describe("GET /images/:id/pixels.bin: the stored pixels at full bit depth", () => {
  it("serves a 12-bit MONOCHROME1 DICOM's own values with its window and inversion, to those who may see the image only", async () => {
    const site = await createSite(api.db);
    const otherSite = await createSite(api.db);
    const annotator = await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }]);
    const stranger = await createUser(api.db, [{ siteId: otherSite.id, role: "ANNOTATOR" }]);
    const c = await createCase(api.db, api.blobs, site.id);
    const values = new Uint16Array(6 * 5).map((_, i) => 100 + i * 131); // up to 3899: needs 12 bits
    const dicom = buildDicom({
      widthPx: 6,
      heightPx: 5,
      bitsStored: 12,
      pixels: values,
      attributes: { WindowCenter: 2048, WindowWidth: 1000, PhotometricInterpretation: "MONOCHROME1" },
    });
    const stored = await api.blobs.put(dicom);
    const image = await api.db.image.create({
      data: {
        caseId: c.id,
        laterality: "R",
        view: "CC",
        widthPx: 6,
        heightPx: 5,
        bitsStored: 12,
        photometric: "MONOCHROME1",
        sourceFormat: "DICOM",
        contentSha256: stored.sha256,
        storageKey: stored.key,
      },
    });

    const url = `${api.url}/images/${image.id}/pixels.bin`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${await api.sessionFor(annotator.id)}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/gzip");
    const { header, samples } = parse(await response.arrayBuffer());
    expect(header).toMatchObject({
      widthPx: 6,
      heightPx: 5,
      bitsStored: 12,
      isSigned: false,
      isInverted: true,
      window: { center: 2048, width: 1000 },
      minStored: 100,
      maxStored: 100 + 29 * 131,
    });
    expect([...samples]).toEqual([...values]);
    // Stored as the answer goes out (a cache: waited for, not assumed).
    await expect.poll(() => api.blobs.has(fullDepthKey(stored.sha256, 0)), { timeout: 10_000 }).toBe(true);

    // Cached: the same bytes again.
    const again = await fetch(url, { headers: { authorization: `Bearer ${await api.sessionFor(annotator.id)}` } });
    expect([...parse(await again.arrayBuffer()).samples]).toEqual([...values]);

    expect(
      (await fetch(url, { headers: { authorization: `Bearer ${await api.sessionFor(stranger.id)}` } })).status,
    ).toBe(404);
    expect((await fetch(url)).status).toBe(401);

    // A coarser level: 2x2 means (edge rows repeated), the whole image's window and value range.
    const half = await fetch(`${url}?level=1`, {
      headers: { authorization: `Bearer ${await api.sessionFor(annotator.id)}` },
    });
    const level1 = parse(await half.arrayBuffer());
    expect(level1.header).toMatchObject({
      level: 1,
      widthPx: 3,
      heightPx: 3,
      fullWidthPx: 6,
      fullHeightPx: 5,
      window: { center: 2048, width: 1000 },
      minStored: 100,
      maxStored: 100 + 29 * 131,
    });
    // By hand: top left = mean of samples 0, 1, 6, 7 = 100 + 131 * 3.5 = 558.5, rounded up;
    // bottom right = samples 28, 29 with the last row repeated = 100 + 131 * 28.5 = 3833.5.
    expect(level1.samples[0]).toBe(559);
    expect(level1.samples[8]).toBe(3834);
    // Every screen level came from that one decode (a viewport of another size finds its own).
    for (const level of [1, 2, 3, 4, 5, 6])
      await expect.poll(() => api.blobs.has(fullDepthKey(stored.sha256, level)), { timeout: 10_000 }).toBe(true);
    const bad = await fetch(`${url}?level=9`, {
      headers: { authorization: `Bearer ${await api.sessionFor(annotator.id)}` },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { message: expect.stringMatching(/level must be/) } });
  });

  it("widens an 8-bit PNG to 16-bit samples with the full 0..255 window", async () => {
    const site = await createSite(api.db);
    const annotator = await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }]);
    const c = await createCase(api.db, api.blobs, site.id);
    const image = await api.db.image.findFirstOrThrow({ where: { caseId: c.id } });
    const response = await fetch(`${api.url}/images/${image.id}/pixels.bin`, {
      headers: { authorization: `Bearer ${await api.sessionFor(annotator.id)}` },
    });
    expect(response.status).toBe(200);
    const { header, samples } = parse(await response.arrayBuffer());
    expect(header).toMatchObject({
      widthPx: image.widthPx,
      heightPx: image.heightPx,
      bitsStored: 8,
      window: { center: 127.5, width: 255 },
    });
    expect(samples).toHaveLength(image.widthPx * image.heightPx);
  });
});
