import { describe, expect, it } from "vitest";
import { frameFullDepthPixels, parseFullDepthPixels, PixelFormatError } from "./full-depth-pixels.ts";

// Written byte by byte here, independently of frameFullDepthPixels: the layout as documented.
function pixelFile(
  samples: Uint16Array,
  widthPx: number,
  heightPx: number,
  level = 0,
  fullWidthPx = widthPx,
  fullHeightPx = heightPx,
) {
  const json = new TextEncoder().encode(
    JSON.stringify({
      format: "mmpx",
      version: 2,
      level,
      widthPx,
      heightPx,
      fullWidthPx,
      fullHeightPx,
      bitsStored: 12,
      isSigned: false,
      rescaleSlope: 1,
      rescaleIntercept: 0,
      window: { center: 2048, width: 4096 },
      voiLutFunction: "LINEAR",
      isInverted: false,
      minStored: 0,
      maxStored: 4095,
      padding: null,
    }),
  );
  const offset = Math.ceil((8 + json.length) / 8) * 8;
  const buffer = new ArrayBuffer(offset + samples.length * 2);
  const bytes = new Uint8Array(buffer);
  bytes.set([77, 77, 80, 88]);
  new DataView(buffer).setUint32(4, json.length, true);
  bytes.set(json, 8);
  new Uint16Array(buffer, offset).set(samples);
  return buffer;
}

describe("full-depth pixel file", () => {
  it("reads the header and the 16-bit samples without loss", () => {
    const samples = Uint16Array.from([0, 1, 4095, 2048, 7, 9]);
    const image = parseFullDepthPixels(pixelFile(samples, 3, 2));
    expect(image).toMatchObject({ widthPx: 3, heightPx: 2, bitsStored: 12, window: { center: 2048, width: 4096 } });
    expect([...image.samples]).toEqual([0, 1, 4095, 2048, 7, 9]);
  });

  it("reads a coarser level with the full image's size", () => {
    const image = parseFullDepthPixels(pixelFile(Uint16Array.from([1, 2, 3, 4]), 2, 2, 2, 7, 5));
    expect(image).toMatchObject({ level: 2, widthPx: 2, heightPx: 2, fullWidthPx: 7, fullHeightPx: 5 });
  });

  it("names what is wrong with a bad file", () => {
    expect(() => parseFullDepthPixels(new ArrayBuffer(4))).toThrow(PixelFormatError);
    expect(() => parseFullDepthPixels(new Uint8Array([80, 78, 71, 0, 0, 0, 0, 0]).buffer)).toThrow(/MMPX/);
    const whole = pixelFile(new Uint16Array(6), 3, 2);
    expect(() => parseFullDepthPixels(whole.slice(0, whole.byteLength - 2))).toThrow(/fewer than 6 samples/);
    expect(() => parseFullDepthPixels(pixelFile(new Uint16Array(6), 3, 2, 1, 3, 2))).toThrow(/level 1 does not match/);
  });
});

describe("framing (the API's side)", () => {
  it("writes exactly the documented layout (the hand-built file above)", () => {
    const samples = Uint16Array.from([0, 1, 4095, 2048, 7, 9]);
    const expected = new Uint8Array(pixelFile(samples, 3, 2));
    const header = parseFullDepthPixels(expected.buffer);
    const { samples: _samples, ...headerOnly } = header;
    expect(frameFullDepthPixels(headerOnly, samples)).toEqual(expected);
  });

  it("refuses a sample count that does not match the size", () => {
    const { samples: _s, ...header } = parseFullDepthPixels(pixelFile(new Uint16Array(6), 3, 2));
    expect(() => frameFullDepthPixels(header, new Uint16Array(5))).toThrow(/5 samples for a 3x2 image/);
  });
});
