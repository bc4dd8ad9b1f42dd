import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createLocalBlobStore } from "@mammo/storage";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { buildDicom } from "../../test/fixtures/synthetic-dicom.ts";
import { createDerivedImages, derivedKeys } from "./derived-images.ts";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function setup() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "derived-"));
  dirs.push(dir);
  const blobs = createLocalBlobStore(dir);
  // Left half below the window (black), right half above it (white), MONOCHROME1: inverted.
  const pixels = new Uint16Array(200 * 100).map((_, i) => (i % 200 < 100 ? 100 : 4000));
  const put = await blobs.put(
    buildDicom({
      widthPx: 200,
      heightPx: 100,
      bitsStored: 12,
      photometric: "MONOCHROME1",
      pixels,
      attributes: { WindowCenter: 2000, WindowWidth: 1000 },
    }),
  );
  return { blobs, ref: { contentSha256: put.sha256, storageKey: put.key }, derived: createDerivedImages(blobs) };
}

describe("derived images", () => {
  it("renders the display PNG once, caches it under derived/, and rebuilds it when the cache is gone", async () => {
    const { blobs, ref, derived } = await setup();
    const first = await derived.displayPng(ref);
    const pixels = await sharp(first).extractChannel(0).raw().toBuffer();
    expect([pixels[0], pixels[199]]).toEqual([255, 0]); // inverted: low values bright
    expect(await blobs.has(derivedKeys.display(ref.contentSha256))).toBe(true);
    await blobs.delete(derivedKeys.display(ref.contentSha256));
    expect(Buffer.compare(await derived.displayPng(ref), first)).toBe(0);
  });

  it("makes thumbnails that keep the aspect ratio", async () => {
    const { ref, derived } = await setup();
    const meta = await sharp(await derived.thumbnailPng(ref, 128)).metadata();
    expect([meta.width, meta.height]).toEqual([128, 64]);
  });
});
