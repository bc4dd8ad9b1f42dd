import { beforeAll, describe, expect, it } from "vitest";
import {
  buildDicom,
  encapsulatedFrameOf,
  patternPixels,
  transcode,
  wrapInJp2,
} from "../../test/fixtures/synthetic-dicom.ts";
import { encodeJpegLossless } from "../../test/fixtures/jpeg-lossless-encoder.ts";
import { loadWasmCodecs } from "../codecs/wasm-codecs.ts";
import { ImagingError } from "../errors.ts";
import { DEFAULT_IMAGING_LIMITS } from "../limits.ts";
import { decodeDicomPixels } from "./decode-pixels.ts";
import { readImageInfo } from "./image-info.ts";
import { readDicomFile } from "./read-dicom.ts";

async function decode(bytes: Uint8Array) {
  const file = readDicomFile(bytes);
  const info = readImageInfo(file, DEFAULT_IMAGING_LIMITS);
  return { info, image: await decodeDicomPixels(file, info) };
}

const W = 61; // odd sizes catch row-stride and padding mistakes
const H = 47;

describe("compressed transfer syntaxes decode to the pixels of the uncompressed original", () => {
  const original12 = patternPixels(W, H, 12);
  const original16 = patternPixels(W, H, 16);
  const base12 = buildDicom({ widthPx: W, heightPx: H, bitsStored: 12, pixels: original12 });
  const base16 = buildDicom({ widthPx: W, heightPx: H, bitsStored: 16, pixels: original16 });
  const base8 = buildDicom({ widthPx: W, heightPx: H, bitsAllocated: 8 });
  beforeAll(() => loadWasmCodecs());

  it("reads the uncompressed originals exactly (8, 12 and 16 bits)", async () => {
    expect(Array.from((await decode(base12)).image.samples)).toEqual(Array.from(original12));
    expect(Array.from((await decode(base16)).image.samples)).toEqual(Array.from(original16));
    expect(Array.from((await decode(base8)).image.samples)).toEqual(Array.from(patternPixels(W, H, 8)));
  });

  it.each([
    ["RLE Lossless 1.2.840.10008.1.2.5", "RleLossless"],
    ["JPEG Lossless SV1 1.2.840.10008.1.2.4.70", "JpegLosslessProcess14V1"],
    ["JPEG-LS Lossless 1.2.840.10008.1.2.4.80", "JpegLsLossless"],
    ["JPEG 2000 Lossless 1.2.840.10008.1.2.4.90", "Jpeg2000Lossless"],
  ] as const)("%s, 12- and 16-bit", async (_name, syntax) => {
    for (const [base, original] of [
      [base12, original12],
      [base16, original16],
    ] as const) {
      const compressed = await transcode(base, syntax);
      const { info, image } = await decode(compressed);
      expect(info.transferSyntaxUid).not.toBe("1.2.840.10008.1.2.1");
      expect(Array.from(image.samples)).toEqual(Array.from(original));
    }
  });

  it("RLE Lossless, 8-bit", async () => {
    const { image } = await decode(await transcode(base8, "RleLossless"));
    expect(Array.from(image.samples)).toEqual(Array.from(patternPixels(W, H, 8)));
  });

  it("JPEG Lossless 1.2.840.10008.1.2.4.57 with every predictor 1..7", async () => {
    for (let predictor = 1; predictor <= 7; predictor++) {
      const frame = encodeJpegLossless(original16, W, H, 16, predictor);
      const file = buildDicom({
        widthPx: W,
        heightPx: H,
        bitsStored: 16,
        transferSyntaxUid: "1.2.840.10008.1.2.4.57",
        encapsulatedFrame: frame,
      });
      const { image } = await decode(file);
      expect(Array.from(image.samples), `predictor ${predictor}`).toEqual(Array.from(original16));
    }
  });

  it("JPEG-LS near-lossless 1.2.840.10008.1.2.4.81 stays within its NEAR bound", async () => {
    const { info, image } = await decode(await transcode(base12, "JpegLsLossy", { allowedLossyError: 2 }));
    expect(info.transferSyntaxUid).toBe("1.2.840.10008.1.2.4.81");
    const maxError = Math.max(...Array.from(image.samples, (v, i) => Math.abs(v - original12[i]!)));
    expect(maxError).toBeGreaterThan(0);
    expect(maxError).toBeLessThanOrEqual(2);
  });

  it("JPEG 2000 1.2.840.10008.1.2.4.91: a lossless codestream is exact, a lossy one close", async () => {
    const codestream = encapsulatedFrameOf(await transcode(base12, "Jpeg2000Lossless"));
    const asJ2k = buildDicom({
      widthPx: W,
      heightPx: H,
      bitsStored: 12,
      transferSyntaxUid: "1.2.840.10008.1.2.4.91",
      encapsulatedFrame: codestream,
    });
    expect(Array.from((await decode(asJ2k)).image.samples)).toEqual(Array.from(original12));

    const lossy = await transcode(base12, "Jpeg2000Lossy", { rate: 10 });
    const { info, image } = await decode(lossy);
    expect(info.transferSyntaxUid).toBe("1.2.840.10008.1.2.4.91");
    const meanError =
      Array.from(image.samples, (v, i) => Math.abs(v - original12[i]!)).reduce((a, b) => a + b, 0) /
      image.samples.length;
    expect(meanError).toBeLessThan(4095 * 0.02);
  });

  it("JPEG 2000 wrapped as a full JP2 file (.90 and .91) decodes like the bare codestream", async () => {
    const codestream = encapsulatedFrameOf(await transcode(base12, "Jpeg2000Lossless"));
    for (const ts of ["1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"]) {
      const jp2 = buildDicom({
        widthPx: W,
        heightPx: H,
        bitsStored: 12,
        transferSyntaxUid: ts,
        encapsulatedFrame: wrapInJp2(codestream, W, H, 12),
      });
      expect(Array.from((await decode(jp2)).image.samples)).toEqual(Array.from(original12));
    }
  });

  it("accepts encapsulated pixel data declared OW (as some encoders write it)", async () => {
    const compressed = await transcode(base12, "JpegLsLossless");
    const text = Buffer.from(compressed).toString("latin1");
    const pixelTag = text.lastIndexOf("\xe0\x7f\x10\x00");
    expect(text.slice(pixelTag + 4, pixelTag + 6)).toBe("OW");
    expect(Array.from((await decode(compressed)).image.samples)).toEqual(Array.from(original12));
  });

  it("rejects other transfer syntaxes with an error naming the syntax", async () => {
    const baseline = buildDicom({
      transferSyntaxUid: "1.2.840.10008.1.2.4.50",
      encapsulatedFrame: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]),
    });
    const error = await decode(baseline).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImagingError);
    expect(error).toMatchObject({ code: "UNSUPPORTED_TRANSFER_SYNTAX" });
    expect((error as Error).message).toContain("1.2.840.10008.1.2.4.50 (JPEG Baseline (Process 1))");

    const unknown = await decode(buildDicom({ transferSyntaxUid: "1.2.3.4.5.6" })).catch((e: unknown) => e);
    expect((unknown as Error).message).toMatch(/^transfer syntax 1\.2\.3\.4\.5\.6 is not supported/);
  });

  it("refuses corrupt compressed data with a domain error, not garbage pixels", async () => {
    const frame = encapsulatedFrameOf(await transcode(base12, "JpegLsLossless"));
    const broken = buildDicom({
      widthPx: W,
      heightPx: H,
      bitsStored: 12,
      transferSyntaxUid: "1.2.840.10008.1.2.4.80",
      encapsulatedFrame: frame.subarray(0, 40),
    });
    await expect(decode(broken)).rejects.toMatchObject({ code: "CORRUPT_PIXEL_DATA" });
  });
});
