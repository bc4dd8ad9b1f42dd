import { type SeededRng } from "../random/seeded-rng.ts";
import { addLine, distanceInside, type Field, fractalNoise, newField } from "./fields.ts";

export type View = "CC" | "MLO";
export type Laterality = "R" | "L";

/** The breast before any lesion: tissue density 0..1 and where things are. */
export type BreastAnatomy = {
  tissue: Field;
  /** 1 inside the breast (pectoral muscle included). */
  breastMask: Uint8Array;
  /** 1 on the pectoral muscle (MLO only). */
  pectoralMask: Uint8Array;
  /** Distance to the skin, px. */
  depthPx: Field;
  /** Distance of x from the chest wall, px (the chest wall is at the image's right for R, left for L). */
  fromChestWall: (x: number) => number;
  /** How far the breast reaches from the chest wall, px. */
  reachPx: number;
  nipple: [number, number];
};

const smoothstep = (e0: number, e1: number, v: number) => {
  const t = Math.min(1, Math.max(0, (v - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};

/**
 * Draws a compressed breast as hung for reading: outline (a rounded half-ellipse in CC, taller with
 * the axillary tail and the pectoral muscle at the top in MLO), density falling off towards the
 * skin, fibroglandular texture in the central breast, strands converging on the nipple, a skin line.
 */
export function drawBreast(
  width: number,
  height: number,
  view: View,
  laterality: Laterality,
  rng: SeededRng,
): BreastAnatomy {
  const fromChestWall = (x: number) => (laterality === "R" ? width - 1 - x : x);
  const reachPx = width * (view === "CC" ? rng.uniform(0.78, 0.92) : rng.uniform(0.7, 0.85));
  const centreY = height * (view === "CC" ? rng.uniform(0.45, 0.55) : rng.uniform(0.5, 0.6));
  const radiusY = height * (view === "CC" ? rng.uniform(0.4, 0.47) : rng.uniform(0.5, 0.62));
  const wobble = Array.from({ length: 3 }, (_, k) => ({
    amplitude: rng.uniform(0, 0.035) / (k + 1),
    frequency: k + 2,
    phase: rng.uniform(0, 2 * Math.PI),
  }));
  const extentAt = (y: number) => {
    const t = (y - centreY) / radiusY;
    if (Math.abs(t) >= 1) return 0;
    let extent = reachPx * Math.pow(1 - t * t, 0.55);
    if (view === "MLO" && t < 0) extent *= 0.6 + 0.4 * smoothstep(-1, -0.2, t); // axillary tail narrows upwards
    return extent * (1 + wobble.reduce((s, w) => s + w.amplitude * Math.sin(w.frequency * Math.PI * t + w.phase), 0));
  };

  const breastMask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const extent = extentAt(y);
    for (let x = 0; x < width; x++) if (fromChestWall(x) <= extent) breastMask[y * width + x] = 1;
  }
  const depthPx = distanceInside(breastMask, width, height);

  const pectoralMask = new Uint8Array(width * height);
  if (view === "MLO") {
    const baseWidth = width * rng.uniform(0.25, 0.38);
    const heightPx = height * rng.uniform(0.45, 0.65);
    const bulge = rng.uniform(0.9, 1.3);
    for (let y = 0; y < heightPx; y++) {
      const edge = baseWidth * Math.pow(1 - y / heightPx, bulge);
      for (let x = 0; x < width; x++)
        if (fromChestWall(x) <= edge && breastMask[y * width + x]) pectoralMask[y * width + x] = 1;
    }
  }

  const nipple: [number, number] = [laterality === "R" ? width - 1 - extentAt(centreY) : extentAt(centreY), centreY];
  const glands = fractalNoise(width, height, width * 0.2, 4, rng);
  const fine = fractalNoise(width, height, width * 0.03, 2, rng);
  const strands = newField(width, height);
  for (let i = 0; i < 34; i++) {
    const startY = centreY + rng.uniform(-0.85, 0.85) * radiusY * 0.8;
    const startU = rng.uniform(0.03, 0.5) * reachPx;
    const startX = laterality === "R" ? width - 1 - startU : startU;
    const endX = nipple[0] + (laterality === "R" ? 1 : -1) * rng.uniform(0.05, 0.2) * reachPx;
    const endY = nipple[1] + rng.uniform(-0.08, 0.08) * height;
    addLine(strands, [startX, startY], [endX, endY], rng.uniform(0.6, 1.1), rng.uniform(0.02, 0.05), 0.01);
  }

  const tissue = newField(width, height);
  const glandCentre = rng.uniform(0.35, 0.55);
  const glandAmount = rng.uniform(0.18, 0.32); // density varies between women
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!breastMask[i]) continue;
      const depth = depthPx.data[i]!;
      const thickness = 1 - Math.exp(-depth / (0.07 * width));
      const u = fromChestWall(x) / reachPx;
      const envelope = Math.exp(-(((u - glandCentre) / 0.32) ** 2)) * thickness;
      let value = 0.26 + 0.12 * thickness;
      value += glandAmount * smoothstep(0.42, 0.72, glands.data[i]!) * envelope;
      value += 0.06 * (fine.data[i]! - 0.5) * thickness;
      value += strands.data[i]! * thickness;
      value += 0.14 * Math.exp(-((depth - 1.2) ** 2) / 1.2); // skin line
      if (pectoralMask[i]) value = Math.max(value, 0.6 + 0.1 * fine.data[i]!);
      tissue.data[i] = value;
    }
  }
  return { tissue, breastMask, pectoralMask, depthPx, fromChestWall, reachPx, nipple };
}
