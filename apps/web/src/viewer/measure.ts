import type { Measurement } from "@/components/viewer/viewer-types";

type Spacing = { row: number; col: number } | null | undefined;

/**
 * A measurement's value in millimetres (length) or square millimetres (area) from the image's
 * pixel spacing (rows are y, columns x); in pixels when the spacing is unknown.
 */
export function measurementValue(m: Measurement, spacing: Spacing): { value: number; unit: string } {
  if (m.kind === "length") {
    const dx = m.to[0] - m.from[0];
    const dy = m.to[1] - m.from[1];
    return spacing
      ? { value: Math.hypot(dx * spacing.col, dy * spacing.row), unit: "mm" }
      : { value: Math.hypot(dx, dy), unit: "px" };
  }
  const area = Math.PI * m.rx * m.ry;
  return spacing ? { value: area * spacing.col * spacing.row, unit: "mm²" } : { value: area, unit: "px²" };
}

export function measurementText(m: Measurement, spacing: Spacing): string {
  const { value, unit } = measurementValue(m, spacing);
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${unit}`;
}
