import { invalidArgument } from "../errors/ml-core-error.ts";
import { roiToMask } from "../metrics/roi-mask.ts";
import { SeededRng } from "../random/seeded-rng.ts";
import { type BreastAnatomy, drawBreast, type Laterality, type View } from "./breast-anatomy.ts";
import { LESION_DRAWERS, type LesionSubtype } from "./lesions.ts";

export type PhantomClass = LesionSubtype | "NORMAL";
export const PHANTOM_CLASSES: readonly PhantomClass[] = ["TUBULE_FORMING", "SOLID", "SCIRRHOUS", "NORMAL"];

export type PhantomOptions = {
  seed: number | string;
  subtype: PhantomClass;
  /** Drawn from the seed when not given. */
  view?: View;
  laterality?: Laterality;
  widthPx?: number;
  heightPx?: number;
  /** Lesion size relative to the default (about 6-8% of the image width in radius). */
  lesionScale?: number;
  /** Also return 16-bit pixels (full 0..65535 range) from the same drawing. */
  with16Bit?: boolean;
};

export type PhantomLesion = {
  centre: { x: number; y: number };
  /** The largest distance from the centre to the outline, px. */
  radiusPx: number;
  /** Closed outline in image pixel coordinates (an Annotation POLYGON's `points`). */
  outline: Array<[number, number]>;
  boundingBox: { x: number; y: number; width: number; height: number };
};

export type Phantom = {
  seed: number | string;
  subtype: PhantomClass;
  view: View;
  laterality: Laterality;
  width: number;
  height: number;
  image8: Uint8Array;
  image16: Uint16Array | null;
  /** 1 inside the lesion outline; all 0 for NORMAL. */
  lesionMask: Uint8Array;
  lesion: PhantomLesion | null;
  breastMask: Uint8Array;
};

/** A lesion centre well inside the breast: away from the skin, the chest wall and the pectoral muscle. */
function placeLesion(
  anatomy: BreastAnatomy,
  width: number,
  height: number,
  radiusPx: number,
  rng: SeededRng,
): [number, number] {
  const { breastMask, pectoralMask, depthPx, fromChestWall, reachPx } = anatomy;
  const clearOfPectoral = (x: number, y: number) => {
    for (let a = 0; a < 8; a++) {
      const px = Math.round(x + 1.6 * radiusPx * Math.cos((a * Math.PI) / 4));
      const py = Math.round(y + 1.6 * radiusPx * Math.sin((a * Math.PI) / 4));
      if (px >= 0 && py >= 0 && px < width && py < height && pectoralMask[py * width + px]) return false;
    }
    return true;
  };
  for (let attempt = 0; attempt < 400; attempt++) {
    const x = rng.uniform(0, width);
    const y = rng.uniform(0, height);
    const i = Math.floor(y) * width + Math.floor(x);
    const u = fromChestWall(x) / reachPx;
    if (breastMask[i] && depthPx.data[i]! >= 2.2 * radiusPx && u > 0.15 && u < 0.8 && clearOfPectoral(x, y))
      return [x, y];
  }
  // A small breast: the deepest point.
  let deepest = 0;
  depthPx.data.forEach((d, i) => {
    if (d > depthPx.data[deepest]! && !pectoralMask[i]) deepest = i;
  });
  return [deepest % width, Math.floor(deepest / width)];
}

/**
 * A seeded synthetic mammogram: breast outline, fibroglandular texture, skin line, pectoral
 * muscle in MLO, hung for reading (chest wall on the image's right for R, left for L), with a
 * lesion whose morphology follows the subtype, or none (NORMAL). The same options give the same
 * pixels. Returns 8-bit (and optionally 16-bit) pixels, the lesion mask and geometry.
 */
export function generatePhantom(options: PhantomOptions): Phantom {
  const width = options.widthPx ?? 256;
  const height = options.heightPx ?? 320;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 64 || height < 64)
    throw invalidArgument("phantom size", `must be integers of at least 64, got ${width}x${height}`);
  if (!PHANTOM_CLASSES.includes(options.subtype))
    throw invalidArgument("subtype", `must be one of ${PHANTOM_CLASSES.join(", ")}, got ${String(options.subtype)}`);
  const rng = SeededRng.fromSeed(`phantom/${options.seed}`);
  const view: View = options.view ?? (rng.bool() ? "CC" : "MLO");
  const laterality: Laterality = options.laterality ?? (rng.bool() ? "R" : "L");
  const anatomy = drawBreast(width, height, view, laterality, rng);
  const tissue = anatomy.tissue;

  let lesion: PhantomLesion | null = null;
  let lesionMask: Uint8Array = new Uint8Array(width * height);
  if (options.subtype !== "NORMAL") {
    const radiusPx = width * rng.uniform(0.06, 0.08) * (options.lesionScale ?? 1);
    const centre = placeLesion(anatomy, width, height, radiusPx, rng);
    const drawn = LESION_DRAWERS[options.subtype](tissue, centre, radiusPx, rng, anatomy.depthPx);
    lesionMask = roiToMask({ shape: "POLYGON", geometry: { points: drawn.outline } }, width, height).data;
    const xs = drawn.outline.map((p) => p[0]);
    const ys = drawn.outline.map((p) => p[1]);
    const [minX, minY] = [Math.max(0, Math.min(...xs)), Math.max(0, Math.min(...ys))];
    const [maxX, maxY] = [Math.min(width, Math.max(...xs)), Math.min(height, Math.max(...ys))];
    lesion = {
      centre: { x: +centre[0].toFixed(2), y: +centre[1].toFixed(2) },
      radiusPx: +Math.max(...drawn.outline.map(([x, y]) => Math.hypot(x - centre[0], y - centre[1]))).toFixed(2),
      outline: drawn.outline,
      boundingBox: {
        x: +minX.toFixed(2),
        y: +minY.toFixed(2),
        width: +(maxX - minX).toFixed(2),
        height: +(maxY - minY).toFixed(2),
      },
    };
  }

  const image8 = new Uint8Array(width * height);
  const image16 = options.with16Bit ? new Uint16Array(width * height) : null;
  for (let i = 0; i < tissue.data.length; i++) {
    const inside = anatomy.breastMask[i] === 1;
    const noisy = inside ? tissue.data[i]! + 0.012 * rng.normal() : 0.015 * Math.abs(rng.normal());
    const value = Math.min(1, Math.max(0, noisy));
    image8[i] = Math.round(value * 255);
    if (image16) image16[i] = Math.round(value * 65535);
  }
  return {
    seed: options.seed,
    subtype: options.subtype,
    view,
    laterality,
    width,
    height,
    image8,
    image16,
    lesionMask,
    lesion,
    breastMask: anatomy.breastMask,
  };
}

/** `count` phantoms cycling through `classes` (balanced), seeds `${seed}/${i}`. */
export function generatePhantomSet(
  options: { count: number; seed: number | string; classes?: readonly PhantomClass[] } & Omit<
    PhantomOptions,
    "seed" | "subtype"
  >,
): Phantom[] {
  const classes = options.classes ?? PHANTOM_CLASSES;
  return Array.from({ length: options.count }, (_, i) =>
    generatePhantom({ ...options, seed: `${options.seed}/${i}`, subtype: classes[i % classes.length]! }),
  );
}
