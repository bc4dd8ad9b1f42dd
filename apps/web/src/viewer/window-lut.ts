import type { FullDepthHeader } from "@mammo/wire-formats";

export type WindowLevel = { center: number; width: number };

/**
 * A lookup table from stored value to 8-bit grey for one window (DICOM linear VOI, PS3.3
 * C.11.2.1.2, or SIGMOID), covering every value the image holds; index = stored - offset.
 * Rebuilding it is the only per-drag cost that depends on the bit depth (at most 65536 entries).
 */
export type WindowLut = { offset: number; table: Uint8Array };

export function buildWindowLut(
  image: Pick<
    FullDepthHeader,
    "minStored" | "maxStored" | "rescaleSlope" | "rescaleIntercept" | "padding" | "voiLutFunction"
  >,
  window: WindowLevel,
  isInverted: boolean,
  reuse?: WindowLut,
): WindowLut {
  const lo = Math.min(image.minStored, image.padding?.from ?? image.minStored);
  const hi = Math.max(image.maxStored, image.padding?.to ?? image.maxStored);
  const size = hi - lo + 1;
  const table = reuse && reuse.table.length === size ? reuse.table : new Uint8Array(size);
  const c = window.center;
  const w = Math.max(1, window.width);
  const isSigmoid = image.voiLutFunction === "SIGMOID";
  for (let i = 0; i < size; i++) {
    const x = (lo + i) * image.rescaleSlope + image.rescaleIntercept;
    let y: number;
    if (isSigmoid) y = 1 / (1 + Math.exp((-4 * (x - c)) / w));
    else if (x <= c - 0.5 - (w - 1) / 2) y = 0;
    else if (x > c - 0.5 + (w - 1) / 2) y = 1;
    else y = w <= 1 ? 1 : (x - (c - 0.5)) / (w - 1) + 0.5;
    if (isInverted) y = 1 - y;
    table[i] = Math.round(Math.min(1, Math.max(0, y)) * 255);
  }
  if (image.padding) for (let v = image.padding.from; v <= image.padding.to; v++) table[v - lo] = 0;
  return { offset: lo, table };
}

/** The shared window adjustment of a hanging, relative to each image's own default window. */
export type WindowAdjust = { centerShift: number; widthFactor: number };
export const NO_ADJUST: WindowAdjust = { centerShift: 0, widthFactor: 1 };

export function adjustedWindow(defaultWindow: WindowLevel, adjust: WindowAdjust): WindowLevel {
  return {
    center: defaultWindow.center + adjust.centerShift * defaultWindow.width,
    width: Math.max(1, defaultWindow.width * adjust.widthFactor),
  };
}

/**
 * Mouse drag to window/level, as in most PACS: right widens the window, down raises the level
 * (darker image). Sensitivity is relative to the default width, so it feels the same at 8 and 16 bits.
 */
export function dragWindow(start: WindowAdjust, dxPx: number, dyPx: number): WindowAdjust {
  return {
    centerShift: start.centerShift + dyPx * 0.004,
    widthFactor: Math.min(20, Math.max(0.01, start.widthFactor * Math.exp(dxPx * 0.006))),
  };
}

/** Presets relative to the default window (mammograms have no Hounsfield-style absolute presets). */
export const WINDOW_PRESETS: { id: string; label: string; adjust: WindowAdjust }[] = [
  { id: "default", label: "Default", adjust: NO_ADJUST },
  { id: "contrast", label: "High contrast", adjust: { centerShift: 0, widthFactor: 0.5 } },
  { id: "dense", label: "Dense tissue", adjust: { centerShift: 0.2, widthFactor: 0.6 } },
  { id: "skin", label: "Skin line", adjust: { centerShift: -0.3, widthFactor: 0.7 } },
  { id: "wide", label: "Wide", adjust: { centerShift: 0, widthFactor: 2 } },
];
