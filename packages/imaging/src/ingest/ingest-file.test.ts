import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { buildDicom, patternPixels, transcode } from "../../test/fixtures/synthetic-dicom.ts";
import { DEFAULT_IMAGING_LIMITS } from "../limits.ts";
import { ingestFile } from "./ingest-file.ts";

const deid = { secret: "s", patientPseudonym: "P-7", dateShiftDays: -3 };
const ingest = (bytes: Uint8Array, limits = DEFAULT_IMAGING_LIMITS) => ingestFile(bytes, deid, limits);

// A PNG tEXt chunk carrying a name, inserted after IHDR (8-byte signature + 25-byte IHDR).
function withTextChunk(png: Buffer, text: string): Uint8Array {
  const data = Buffer.from(`Author\0${text}`, "latin1");
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write("tEXt", 4, "latin1");
  data.copy(chunk, 8);
  chunk.writeUInt32BE(0, 8 + data.length); // CRC not checked by the stripper; the chunk goes anyway
  return new Uint8Array(Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]));
}

describe("ingesting one file", () => {
  it("recognises the format by content, not by name, and reads 8- and 16-bit PNG", async () => {
    const png16 = await sharp(Buffer.from(patternPixels(20, 10, 16).buffer), {
      raw: { width: 20, height: 10, channels: 1 },
    })
      .toColourspace("grey16")
      .png()
      .toBuffer();
    expect(await ingest(new Uint8Array(png16))).toMatchObject({
      sourceFormat: "PNG",
      bitsStored: 16,
      widthPx: 20,
      heightPx: 10,
    });
    const jpeg = await sharp(Buffer.alloc(30 * 20, 50), { raw: { width: 30, height: 20, channels: 1 } })
      .jpeg()
      .toBuffer();
    expect(await ingest(new Uint8Array(jpeg))).toMatchObject({ sourceFormat: "JPEG", bitsStored: 8, widthPx: 30 });
    await expect(ingest(new TextEncoder().encode("%PDF-1.7 not an image"))).rejects.toMatchObject({
      code: "UNSUPPORTED_FORMAT",
    });
  });

  it("drops PNG text chunks and JPEG EXIF/comments, losslessly", async () => {
    const png = await sharp(Buffer.alloc(16 * 8, 99), { raw: { width: 16, height: 8, channels: 1 } })
      .png()
      .toBuffer();
    const tagged = withTextChunk(png, "Jane Doe");
    const stored = (await ingest(tagged)).storedBytes;
    expect(Buffer.from(stored).toString("latin1")).not.toContain("Jane Doe");
    expect(Buffer.from(stored)).toEqual(png);

    const jpeg = await sharp(Buffer.alloc(16 * 8, 99), { raw: { width: 16, height: 8, channels: 1 } })
      .jpeg()
      .withExif({ IFD0: { Artist: "Jane Doe" } })
      .toBuffer();
    expect(jpeg.toString("latin1")).toContain("Jane Doe");
    const storedJpeg = Buffer.from((await ingest(new Uint8Array(jpeg))).storedBytes);
    expect(storedJpeg.toString("latin1")).not.toContain("Jane Doe");
    expect(await sharp(storedJpeg).raw().toBuffer()).toEqual(await sharp(jpeg).raw().toBuffer());
  });

  it("identifies pixel content whatever the container: re-encoded PNG, PNG with metadata, compressed DICOM", async () => {
    const grey = Buffer.from(patternPixels(40, 30, 8));
    const raw = { raw: { width: 40, height: 30, channels: 1 as const } };
    const png = await sharp(grey, raw).png({ compressionLevel: 9 }).toBuffer();
    const reencoded = await sharp(grey, raw).png({ compressionLevel: 1, adaptiveFiltering: true }).toBuffer();
    const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
    const [a, b, c] = await Promise.all([ingest(png), ingest(reencoded), ingest(withTextChunk(reencoded, "x"))]);
    expect(sha(a.storedBytes)).not.toBe(sha(b.storedBytes)); // different files...
    expect([b.pixelSha256, c.pixelSha256]).toEqual([a.pixelSha256, a.pixelSha256]); // ...the same pixels
    // An 8-bit DICOM of the same values, uncompressed and JPEG-LS: the same pixels again.
    const dicom = buildDicom({ widthPx: 40, heightPx: 30, bitsAllocated: 8, pixels: new Uint8Array(grey) });
    expect((await ingest(dicom)).pixelSha256).toBe(a.pixelSha256);
    expect((await ingest(await transcode(dicom, "JpegLsLossless"))).pixelSha256).toBe(a.pixelSha256);
    const other = Buffer.from(grey);
    other[17] = other[17]! ^ 1; // one pixel differs
    expect((await ingest(await sharp(other, raw).png().toBuffer())).pixelSha256).not.toBe(a.pixelSha256);
  });

  it("quarantines DICOM whose Burned In Annotation is not NO", async () => {
    expect((await ingest(buildDicom())).quarantineReason).toBeUndefined();
    expect((await ingest(buildDicom({ attributes: { BurnedInAnnotation: "YES" } }))).quarantineReason).toMatch(
      /is "YES"/,
    );
    expect((await ingest(buildDicom({ attributes: { BurnedInAnnotation: undefined } }))).quarantineReason).toMatch(
      /is missing/,
    );
  });

  it("refuses truncated DICOM and a missing meta header with a domain error", async () => {
    const full = buildDicom({ widthPx: 200, heightPx: 200 });
    for (const cut of [140, 400, full.length - 1000])
      await expect(ingest(full.subarray(0, cut))).rejects.toMatchObject({ code: "MALFORMED_DICOM" });
    await expect(ingest(full.subarray(132))).rejects.toThrow(/no Part 10 preamble and meta header/);
    const metaLength = new DataView(full.buffer, full.byteOffset).getUint32(140, true); // (0002,0000) value
    await expect(ingest(full.subarray(144 + metaLength))).rejects.toThrow(/no Part 10 preamble and meta header/);
  });

  it("refuses files over the size limit before parsing them", async () => {
    await expect(ingest(buildDicom(), { ...DEFAULT_IMAGING_LIMITS, maxFileBytes: 100 })).rejects.toMatchObject({
      code: "FILE_TOO_LARGE",
    });
  });
});
