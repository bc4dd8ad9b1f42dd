import { describe, expect, it } from "vitest";
import { buildDicom } from "../../test/fixtures/synthetic-dicom.ts";
import { renderDisplayPixels } from "./decode-for-display.ts";

// A 4x1 image whose stored values are chosen to sit around the window edges.
const row = (
  values: number[],
  attributes: Record<string, unknown> = {},
  extra: Parameters<typeof buildDicom>[0] = {},
) =>
  buildDicom({
    widthPx: values.length,
    heightPx: 1,
    bitsStored: 12,
    pixels: Uint16Array.from(values),
    attributes,
    ...extra,
  });

const display = async (bytes: Uint8Array) => Array.from((await renderDisplayPixels(bytes)).pixels);

describe("display image: the DICOM greyscale pipeline", () => {
  it("applies Window Center/Width (LINEAR): below the window black, above white, centre mid-grey", async () => {
    const file = row([0, 1000, 2000, 4095], { WindowCenter: 2000, WindowWidth: 2000 });
    const [below, low, mid, above] = await display(file);
    expect(below).toBe(0);
    expect(low).toBe(0); // 1000 is the window's lower edge
    expect(mid).toBe(128);
    expect(above).toBe(255);
  });

  it("uses the first of several windows", async () => {
    const file = row([1500], {
      WindowCenter: [1500, 3000],
      WindowWidth: [400, 100],
      WindowCenterWidthExplanation: ["SOFT", "HARD"],
    });
    expect(await display(file)).toEqual([128]);
  });

  it("applies a SIGMOID VOI LUT Function (centre is exactly half, tails never clip)", async () => {
    const file = row([2000, 1000, 3000], { WindowCenter: 2000, WindowWidth: 1000, VOILUTFunction: "SIGMOID" });
    const [centre, low, high] = await display(file);
    expect(centre).toBe(128);
    // 255 / (1 + e^(+-4)) for one width away from the centre
    expect(low).toBe(Math.round(255 / (1 + Math.exp(4))));
    expect(high).toBe(Math.round(255 / (1 + Math.exp(-4))));
    const linear = await display(row([1000, 3000], { WindowCenter: 2000, WindowWidth: 1000 }));
    expect(linear).toEqual([0, 255]);
  });

  it("applies Rescale Slope/Intercept before the window", async () => {
    // modality value = 2 * stored - 1000: stored 1500 -> 2000, the window centre
    const file = row([1500, 250], { RescaleSlope: 2, RescaleIntercept: -1000, WindowCenter: 2000, WindowWidth: 1000 });
    expect(await display(file)).toEqual([128, 0]);
  });

  it("inverts MONOCHROME1 (low values bright)", async () => {
    const values = [0, 4095, 2000];
    const attributes = { WindowCenter: 2048, WindowWidth: 4096 };
    const mono2 = await display(row(values, attributes));
    const mono1 = await display(row(values, attributes, { photometric: "MONOCHROME1" }));
    expect(mono2[0]).toBe(0);
    expect(mono1[0]).toBe(255);
    expect(mono1.map((v, i) => v + mono2[i]!)).toEqual([255, 255, 255]);
  });

  it("inverts MONOCHROME2 with Presentation LUT Shape INVERSE", async () => {
    const attributes = { WindowCenter: 2048, WindowWidth: 4096 };
    expect(await display(row([0, 4095], { ...attributes, PresentationLUTShape: "INVERSE" }))).toEqual([255, 0]);
    expect(await display(row([0, 4095], { ...attributes, PresentationLUTShape: "IDENTITY" }))).toEqual([0, 255]);
  });

  it("shows Pixel Padding Value as black, even in an inverted image, and leaves it out of the automatic window", async () => {
    const file = row([4095, 100, 300, 4095], { PixelPaddingValue: 4095 }, { photometric: "MONOCHROME1" });
    // no window: the range of the non-padding values (100..300) is stretched, then inverted
    expect(await display(file)).toEqual([0, 255, 0, 0]);
  });

  it("uses a VOI LUT Sequence when there is no window", async () => {
    const lut = Uint16Array.from({ length: 16 }, (_, i) => i * 17); // 0..255 in 16 steps, 8-bit entries
    const file = row(
      [100, 107, 115, 3000],
      {},
      {
        elements: {
          "00283010": {
            vr: "SQ",
            Value: [{ "00283002": { vr: "US", Value: [16, 100, 8] }, "00283006": { vr: "OW", Value: [lut.buffer] } }],
          },
        },
      },
    );
    expect(await display(file)).toEqual([0, 7 * 17, 255, 255]);
  });

  it("windows signed 16-bit data", async () => {
    const file = buildDicom({
      widthPx: 3,
      heightPx: 1,
      bitsStored: 16,
      isSigned: true,
      pixels: Int16Array.from([-1000, 0, 1000]),
      attributes: { WindowCenter: 0, WindowWidth: 2000 },
    });
    expect(await display(file)).toEqual([0, 128, 255]);
  });
});
