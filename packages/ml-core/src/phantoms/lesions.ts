import { type SeededRng } from "../random/seeded-rng.ts";
import { addBlob, addLine, type Field, sample } from "./fields.ts";

export type LesionSubtype = "TUBULE_FORMING" | "SOLID" | "SCIRRHOUS";

/** Where a lesion is and how far its outline reaches (radius in px as a function of angle). */
export type LesionOutline = {
  centre: [number, number];
  radiusAt: (angle: number) => number;
  outline: Array<[number, number]>;
};

const OUTLINE_POINTS = 96;

function outlineOf(centre: [number, number], radiusAt: (angle: number) => number): LesionOutline {
  const outline = Array.from({ length: OUTLINE_POINTS }, (_, i) => {
    const angle = (2 * Math.PI * i) / OUTLINE_POINTS;
    const r = radiusAt(angle);
    return [+(centre[0] + r * Math.cos(angle)).toFixed(2), +(centre[1] + r * Math.sin(angle)).toFixed(2)] as [
      number,
      number,
    ];
  });
  return { centre, radiusAt, outline };
}

/** Adds a mass of density `strength` bounded by radiusAt, with an edge `edgePx` wide, and mottle from `texture`. */
function addMass(
  tissue: Field,
  centre: [number, number],
  radiusAt: (angle: number) => number,
  maxRadius: number,
  strength: number,
  edgePx: number,
  mottle: number,
  rng: SeededRng,
): void {
  const [cx, cy] = centre;
  const reach = Math.ceil(maxRadius + 2 * edgePx + 1);
  const phase = rng.uniform(0, 100);
  for (let y = Math.max(0, Math.floor(cy) - reach); y <= Math.min(tissue.height - 1, Math.ceil(cy) + reach); y++) {
    for (let x = Math.max(0, Math.floor(cx) - reach); x <= Math.min(tissue.width - 1, Math.ceil(cx) + reach); x++) {
      const rho = Math.hypot(x - cx, y - cy);
      const edge = radiusAt(Math.atan2(y - cy, x - cx));
      const inside = Math.min(1, Math.max(0, (edge - rho) / edgePx + 0.5));
      if (inside <= 0) continue;
      const texture = 1 + mottle * Math.sin(0.9 * x + phase) * Math.sin(0.7 * y - phase);
      tissue.data[y * tissue.width + x]! += strength * inside * texture;
    }
  }
}

/**
 * Solid type: a round, well-circumscribed dense mass with sharp corners (a superellipse with a
 * crisp margin): the evidence is in its edges and corners.
 */
export function drawSolid(tissue: Field, centre: [number, number], radiusPx: number, rng: SeededRng): LesionOutline {
  const exponent = rng.uniform(2.6, 3.6);
  const a = radiusPx * rng.uniform(0.95, 1.1);
  const b = radiusPx * rng.uniform(0.8, 0.95);
  const rotation = rng.uniform(0, Math.PI);
  const radiusAt = (angle: number) => {
    const t = angle - rotation;
    return Math.pow(Math.abs(Math.cos(t) / a) ** exponent + Math.abs(Math.sin(t) / b) ** exponent, -1 / exponent);
  };
  addMass(tissue, centre, radiusAt, a * 1.3, rng.uniform(0.32, 0.4), 0.8, 0.03, rng);
  return outlineOf(centre, radiusAt);
}

/**
 * Tubule-forming type: a lobulated, moderately dense mass with a soft margin, and its evidence
 * around it: a faint halo and tubular densities scattered in its surroundings. The densities
 * scale with the lesion (not fixed pixels) and are denser than the tissue's texture, so they stay
 * visible when the image is shrunk to a network's input size (drawn at 1-2 px, they vanished at
 * 64 px and the type had no local evidence).
 */
export function drawTubuleForming(
  tissue: Field,
  centre: [number, number],
  radiusPx: number,
  rng: SeededRng,
): LesionOutline {
  const lobes = 3 + rng.int(3);
  const [p1, p2] = [rng.uniform(0, 2 * Math.PI), rng.uniform(0, 2 * Math.PI)];
  const radiusAt = (angle: number) =>
    radiusPx * (1 + 0.17 * Math.sin(lobes * angle + p1) + 0.07 * Math.sin((lobes + 2) * angle + p2));
  addMass(tissue, centre, radiusAt, radiusPx * 1.25, rng.uniform(0.2, 0.26), 2.2, 0.08, rng);
  const [cx, cy] = centre;
  const reach = Math.ceil(radiusPx * 2.4);
  for (let y = Math.max(0, Math.floor(cy) - reach); y <= Math.min(tissue.height - 1, Math.ceil(cy) + reach); y++) {
    for (let x = Math.max(0, Math.floor(cx) - reach); x <= Math.min(tissue.width - 1, Math.ceil(cx) + reach); x++) {
      const rho = Math.hypot(x - cx, y - cy) / radiusPx;
      tissue.data[y * tissue.width + x]! += 0.07 * Math.exp(-(((rho - 1.45) / 0.4) ** 2));
    }
  }
  // Sizes relative to a lesion of 18 px radius (the default lesion scale in a 256 px wide image).
  const size = radiusPx / 18;
  const tubules = 16 + rng.int(10);
  for (let i = 0; i < tubules; i++) {
    const angle = rng.uniform(0, 2 * Math.PI);
    const rho = radiusPx * rng.uniform(1.15, 2.1);
    const [x, y] = [cx + rho * Math.cos(angle), cy + rho * Math.sin(angle)];
    if (rng.bool(0.6)) {
      addBlob(tissue, x, y, size * rng.uniform(1.1, 2.2), rng.uniform(0.12, 0.2));
    } else {
      const length = radiusPx * rng.uniform(0.25, 0.5);
      const turn = angle + rng.uniform(-0.6, 0.6);
      addLine(
        tissue,
        [x, y],
        [x + length * Math.cos(turn), y + length * Math.sin(turn)],
        size * rng.uniform(0.8, 1.3),
        0.14,
        0.07,
      );
    }
  }
  return outlineOf(centre, radiusAt);
}

/**
 * Scirrhous type: a small irregular dense core with spicules radiating from it, and architectural
 * distortion: the surrounding tissue pulled in towards the core.
 */
export function drawScirrhous(
  tissue: Field,
  centre: [number, number],
  radiusPx: number,
  rng: SeededRng,
  depthPx: Field,
): LesionOutline {
  const [cx, cy] = centre;
  // Architectural distortion first: resample the tissue pulled towards the centre (not at the skin).
  const pullRadius = radiusPx * 2.4;
  const pull = rng.uniform(0.45, 0.6);
  const source = { ...tissue, data: Float32Array.from(tissue.data) };
  const reach = Math.ceil(pullRadius * 2.5);
  for (let y = Math.max(0, Math.floor(cy) - reach); y <= Math.min(tissue.height - 1, Math.ceil(cy) + reach); y++) {
    for (let x = Math.max(0, Math.floor(cx) - reach); x <= Math.min(tissue.width - 1, Math.ceil(cx) + reach); x++) {
      const i = y * tissue.width + x;
      const nearSkin = Math.min(1, depthPx.data[i]! / (1.5 * radiusPx));
      if (nearSkin === 0) continue;
      const [dx, dy] = [x - cx, y - cy];
      const s = 1 + nearSkin * pull * Math.exp(-(dx * dx + dy * dy) / (2 * pullRadius * pullRadius));
      const warped = sample(source, cx + dx * s, cy + dy * s);
      if (warped > 0) tissue.data[i] = warped;
    }
  }
  const harmonics = Array.from({ length: 3 }, (_, k) => ({
    amplitude: rng.uniform(0.05, 0.14),
    frequency: k + 2 + rng.int(3),
    phase: rng.uniform(0, 2 * Math.PI),
  }));
  const core = radiusPx * rng.uniform(0.55, 0.7);
  const coreAt = (angle: number) =>
    core * (1 + harmonics.reduce((s, h) => s + h.amplitude * Math.sin(h.frequency * angle + h.phase), 0));
  const count = 10 + rng.int(7);
  const spicules = Array.from({ length: count }, (_, i) => ({
    angle: (2 * Math.PI * (i + rng.uniform(-0.3, 0.3))) / count,
    length: radiusPx * rng.uniform(1.7, 2.9),
  }));
  for (const s of spicules) {
    const start = coreAt(s.angle) * 0.8;
    const bend = rng.uniform(-0.12, 0.12);
    const from: [number, number] = [cx + start * Math.cos(s.angle), cy + start * Math.sin(s.angle)];
    const to: [number, number] = [cx + s.length * Math.cos(s.angle + bend), cy + s.length * Math.sin(s.angle + bend)];
    addLine(tissue, from, to, rng.uniform(0.9, 1.4), rng.uniform(0.16, 0.24), 0.02);
  }
  addMass(tissue, centre, coreAt, core * 1.5, rng.uniform(0.28, 0.36), 1.4, 0.06, rng);
  // The outline a reader would draw: the core plus the inner half of each spicule.
  const radiusAt = (angle: number) =>
    Math.max(
      coreAt(angle),
      ...spicules.map(
        (s) => coreAt(angle) + 0.5 * (s.length - coreAt(angle)) * Math.max(0, Math.cos(angle - s.angle)) ** 60,
      ),
    );
  return outlineOf(centre, radiusAt);
}

export const LESION_DRAWERS: Record<
  LesionSubtype,
  (tissue: Field, centre: [number, number], radiusPx: number, rng: SeededRng, depthPx: Field) => LesionOutline
> = {
  TUBULE_FORMING: drawTubuleForming,
  SOLID: drawSolid,
  SCIRRHOUS: drawScirrhous,
};
