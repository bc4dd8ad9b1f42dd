/**
 * The heatmap colour scale (a "jet"-like ramp: blue low, red high). Low values fade out so the
 * mammogram shows through where the model did not look.
 */
export function heatColor(v: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, v));
  const r = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 3)));
  const g = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 2)));
  const b = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 1)));
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)];
}

/** Alpha (0..1) of a heatmap value before the user's opacity: 0 below 0.1, full from 0.5 up. */
export const heatAlpha = (v: number) => Math.min(1, Math.max(0, (v - 0.1) / 0.4));

/** Colours an 8-bit heatmap (RGBA ImageData bytes, value in the red channel) in place. */
export function colourHeatmap(rgba: Uint8ClampedArray): void {
  const table = Array.from(
    { length: 256 },
    (_, i) => [...heatColor(i / 255), Math.round(heatAlpha(i / 255) * 255)] as const,
  );
  for (let i = 0; i < rgba.length; i += 4) {
    const c = table[rgba[i]!]!;
    rgba[i] = c[0];
    rgba[i + 1] = c[1];
    rgba[i + 2] = c[2];
    rgba[i + 3] = c[3];
  }
}

/** CSS gradient of the scale, for the legend. */
export const heatGradientCss = () =>
  `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => `rgb(${heatColor(t).join(",")}) ${t * 100}%`).join(", ")})`;
