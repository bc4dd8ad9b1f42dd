import type { GreyImage } from "../grey-image.ts";
import type { DisplayWindow, VoiLut, VoiLutFunction } from "../dicom/image-info.ts";

/**
 * How stored pixel values become display grey levels, following the DICOM greyscale pipeline
 * (PS3.4 N.2): Modality LUT (rescale) -> VOI (window or VOI LUT) -> Presentation LUT (inversion).
 */
export type DisplayTransform = {
  rescaleSlope: number;
  rescaleIntercept: number;
  /** The window used; none (and no voiLut) means "the image's own value range". */
  window?: DisplayWindow;
  voiLutFunction: VoiLutFunction;
  voiLut?: VoiLut;
  /** Bright = low values: MONOCHROME1, or Presentation LUT Shape INVERSE. */
  isInverted: boolean;
  /** Stored values that mark background, shown black whatever the window. */
  padding?: { from: number; to: number };
};

/** The display transform of a DICOM image's header (the first of several windows is the default). */
export function displayTransformOf(info: {
  rescaleSlope: number;
  rescaleIntercept: number;
  windows: DisplayWindow[];
  voiLutFunction: VoiLutFunction;
  voiLut?: VoiLut;
  photometric: "MONOCHROME1" | "MONOCHROME2";
  presentationLutShape?: "IDENTITY" | "INVERSE";
  pixelPaddingValue?: number;
  pixelPaddingRangeLimit?: number;
}): DisplayTransform {
  // MONOCHROME1 is always shown inverted; MONOCHROME2 only when its Presentation LUT Shape says INVERSE.
  const isInverted = info.photometric === "MONOCHROME1" || info.presentationLutShape === "INVERSE";
  const pv = info.pixelPaddingValue;
  const limit = info.pixelPaddingRangeLimit;
  return {
    rescaleSlope: info.rescaleSlope,
    rescaleIntercept: info.rescaleIntercept,
    window: info.windows[0],
    voiLutFunction: info.voiLutFunction,
    voiLut: info.windows.length === 0 ? info.voiLut : undefined,
    isInverted,
    padding: pv === undefined ? undefined : { from: Math.min(pv, limit ?? pv), to: Math.max(pv, limit ?? pv) },
  };
}

/** Display of plain PNG/JPEG pixels: 8-bit as they are (x / 255), 16-bit stretched over the image's value range. */
export const plainDisplayTransform = (bitsStored: number): DisplayTransform => ({
  rescaleSlope: 1,
  rescaleIntercept: 0,
  window: bitsStored === 8 ? { center: 127.5, width: 255 } : undefined,
  voiLutFunction: "LINEAR_EXACT",
  isInverted: false,
});

/** One VOI function value in 0..1 for a modality value x (PS3.3 C.11.2.1.2). */
export function voiValue(x: number, window: DisplayWindow, fn: VoiLutFunction): number {
  const { center: c, width: w } = window;
  if (fn === "SIGMOID") return 1 / (1 + Math.exp((-4 * (x - c)) / w));
  if (fn === "LINEAR_EXACT") {
    if (x <= c - w / 2) return 0;
    if (x > c + w / 2) return 1;
    return (x - c) / w + 0.5;
  }
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 1;
  return w <= 1 ? 1 : (x - (c - 0.5)) / (w - 1) + 0.5;
}

/**
 * Renders stored values to 8-bit grey through a lookup table over the stored value range (at most
 * 65536 entries), so a 13 Mpx mammogram costs one table lookup per pixel.
 * @returns Uint8Array of widthPx * heightPx grey levels, row-major.
 */
export function renderDisplay8(image: GreyImage, transform: DisplayTransform): Uint8Array {
  const { min, max } = storedRange(image, transform.padding);
  const window = transform.window ?? (transform.voiLut ? undefined : autoWindow(min, max, transform));
  const fn = transform.window ? transform.voiLutFunction : "LINEAR_EXACT";
  const lo = image.isSigned ? -(1 << (image.bitsStored - 1)) : 0;
  const hi = image.isSigned ? (1 << (image.bitsStored - 1)) - 1 : (1 << image.bitsStored) - 1;
  const lut = new Uint8Array(hi - lo + 1);
  const lutMax = transform.voiLut ? Math.max(1, 2 ** transform.voiLut.bitsPerEntry - 1) : 1;
  for (let v = lo; v <= hi; v++) {
    const x = v * transform.rescaleSlope + transform.rescaleIntercept;
    let y: number;
    if (window) y = voiValue(x, window, fn);
    else {
      const lut16 = transform.voiLut!;
      const index = Math.min(lut16.data.length - 1, Math.max(0, Math.round(x) - lut16.firstMapped));
      y = lut16.data[index]! / lutMax;
    }
    y = Math.min(1, Math.max(0, y));
    if (transform.isInverted) y = 1 - y;
    lut[v - lo] = Math.round(y * 255);
  }
  if (transform.padding) {
    for (let v = Math.max(lo, transform.padding.from); v <= Math.min(hi, transform.padding.to); v++) lut[v - lo] = 0;
  }
  const out = new Uint8Array(image.samples.length);
  const samples = image.samples;
  for (let i = 0; i < samples.length; i++) out[i] = lut[samples[i]! - lo]!;
  return out;
}

function autoWindow(min: number, max: number, t: DisplayTransform): DisplayWindow {
  const a = min * t.rescaleSlope + t.rescaleIntercept;
  const b = max * t.rescaleSlope + t.rescaleIntercept;
  const low = Math.min(a, b);
  const high = Math.max(a, b);
  return { center: (low + high) / 2, width: Math.max(high - low, 1) };
}

/** The smallest and largest stored value outside the pixel padding range (0, 0 when none is). */
export function storedRange(image: GreyImage, padding?: { from: number; to: number }) {
  let min = Infinity;
  let max = -Infinity;
  const samples = image.samples;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (padding && v >= padding.from && v <= padding.to) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min === Infinity ? { min: 0, max: 0 } : { min, max };
}
