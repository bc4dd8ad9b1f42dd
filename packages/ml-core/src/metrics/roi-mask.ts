import { invalidArgument } from "../errors/ml-core-error.ts";

/**
 * A region of interest in image pixel coordinates: origin at the top-left pixel's corner, x to
 * the right, y down (as Annotation.geometry in prisma/schema.prisma). Ellipse rotation turns its
 * x radius from the x axis towards the y axis (clockwise as displayed).
 */
export type Roi =
  | { shape: "POINT"; geometry: { x: number; y: number } }
  | { shape: "BOX"; geometry: { x: number; y: number; width: number; height: number } }
  | { shape: "ELLIPSE"; geometry: { cx: number; cy: number; rx: number; ry: number; rotationRad?: number } }
  | { shape: "POLYGON"; geometry: { points: Array<[number, number]> } };

/** A binary mask, row-major: 1 inside the region. */
export type RegionMask = { width: number; height: number; data: Uint8Array };

export type RasterOptions = {
  /** Size of the image the ROI's coordinates refer to, when the mask's grid is coarser or finer (default: the grid). */
  imageSize?: { width: number; height: number };
  /** A POINT marks every pixel within this radius (image pixels) of it; 0 = just the pixel that holds it. */
  pointRadiusPx?: number;
};

const finite = (field: string, value: unknown) => {
  if (typeof value !== "number" || !Number.isFinite(value))
    throw invalidArgument(field, `must be a finite number, got ${String(value)}`);
  return value;
};

type Bounds = [minX: number, minY: number, maxX: number, maxY: number];

/** The region's own test for an image-coordinate point, its bounds, and a point surely inside it (for tiny regions). */
function describe(
  roi: Roi,
  pointRadiusPx: number,
): { contains: (x: number, y: number) => boolean; centre: [number, number]; bounds: Bounds } {
  const g = roi.geometry as Record<string, unknown>;
  switch (roi.shape) {
    case "POINT": {
      const [x, y] = [finite("roi.geometry.x", g.x), finite("roi.geometry.y", g.y)];
      const r = pointRadiusPx;
      return {
        contains: (px, py) => (px - x) ** 2 + (py - y) ** 2 <= r ** 2,
        centre: [x, y],
        bounds: [x - r, y - r, x + r, y + r],
      };
    }
    case "BOX": {
      const [x, y, w, h] = [
        finite("roi.geometry.x", g.x),
        finite("roi.geometry.y", g.y),
        finite("roi.geometry.width", g.width),
        finite("roi.geometry.height", g.height),
      ];
      if (w <= 0 || h <= 0)
        throw invalidArgument("roi.geometry", `a box needs positive width and height, got ${w}x${h}`);
      return {
        contains: (px, py) => px >= x && px < x + w && py >= y && py < y + h,
        centre: [x + w / 2, y + h / 2],
        bounds: [x, y, x + w, y + h],
      };
    }
    case "ELLIPSE": {
      const [cx, cy, rx, ry] = [
        finite("roi.geometry.cx", g.cx),
        finite("roi.geometry.cy", g.cy),
        finite("roi.geometry.rx", g.rx),
        finite("roi.geometry.ry", g.ry),
      ];
      const angle = g.rotationRad === undefined ? 0 : finite("roi.geometry.rotationRad", g.rotationRad);
      if (rx <= 0 || ry <= 0)
        throw invalidArgument("roi.geometry", `an ellipse needs positive radii, got ${rx}, ${ry}`);
      const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
      return {
        contains: (px, py) => {
          const [dx, dy] = [px - cx, py - cy];
          const u = dx * cos + dy * sin;
          const v = -dx * sin + dy * cos;
          return (u / rx) ** 2 + (v / ry) ** 2 <= 1;
        },
        centre: [cx, cy],
        bounds: [cx - Math.max(rx, ry), cy - Math.max(rx, ry), cx + Math.max(rx, ry), cy + Math.max(rx, ry)],
      };
    }
    case "POLYGON": {
      const points = g.points;
      if (!Array.isArray(points) || points.length < 3)
        throw invalidArgument("roi.geometry.points", "a polygon needs at least 3 [x, y] points");
      const pts = points.map((p, i) => {
        if (!Array.isArray(p) || p.length !== 2) throw invalidArgument(`roi.geometry.points[${i}]`, "must be [x, y]");
        return [finite(`roi.geometry.points[${i}][0]`, p[0]), finite(`roi.geometry.points[${i}][1]`, p[1])] as const;
      });
      const contains = (px: number, py: number) => {
        let inside = false; // even-odd rule
        for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
          const [xi, yi] = pts[i]!;
          const [xj, yj] = pts[j]!;
          if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
      };
      const centre: [number, number] = [
        pts.reduce((s, p) => s + p[0], 0) / pts.length,
        pts.reduce((s, p) => s + p[1], 0) / pts.length,
      ];
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      return { contains, centre, bounds: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] };
    }
    default:
      throw invalidArgument(
        "roi.shape",
        `must be POINT, BOX, ELLIPSE or POLYGON, got ${String((roi as { shape: unknown }).shape)}`,
      );
  }
}

/**
 * Rasterises a ROI onto a width x height grid: a cell is inside when its centre is. A region too
 * small to hold any cell centre (or a POINT) marks the cell that holds its centre, so no region
 * is ever empty while it lies in the image.
 */
export function roiToMask(roi: Roi, width: number, height: number, options: RasterOptions = {}): RegionMask {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw invalidArgument("mask size", `must be positive integers, got ${width}x${height}`);
  const image = options.imageSize ?? { width, height };
  const [sx, sy] = [image.width / width, image.height / height];
  const { contains, centre, bounds } = describe(roi, options.pointRadiusPx ?? 0);
  const data = new Uint8Array(width * height);
  let count = 0;
  // Only cells whose centres can lie inside the bounds need testing.
  const [x0, y0] = [Math.max(0, Math.floor(bounds[0] / sx - 0.5)), Math.max(0, Math.floor(bounds[1] / sy - 0.5))];
  const [x1, y1] = [Math.min(width - 1, Math.ceil(bounds[2] / sx)), Math.min(height - 1, Math.ceil(bounds[3] / sy))];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (contains((x + 0.5) * sx, (y + 0.5) * sy)) {
        data[y * width + x] = 1;
        count++;
      }
    }
  }
  const [cx, cy] = [Math.floor(centre[0] / sx), Math.floor(centre[1] / sy)];
  if (count === 0 && cx >= 0 && cx < width && cy >= 0 && cy < height) data[cy * width + cx] = 1;
  return { width, height, data };
}
