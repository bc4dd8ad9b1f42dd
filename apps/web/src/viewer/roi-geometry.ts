/** Regions of interest in image pixel coordinates (origin top-left), as the API stores them. */
export type RoiShape = "POINT" | "BOX" | "ELLIPSE" | "POLYGON";
export type Roi =
  | { shape: "POINT"; geometry: { x: number; y: number } }
  | { shape: "BOX"; geometry: { x: number; y: number; width: number; height: number } }
  | { shape: "ELLIPSE"; geometry: { cx: number; cy: number; rx: number; ry: number; rotationRad: number } }
  | { shape: "POLYGON"; geometry: { points: [number, number][] } };

export type Point = [number, number];

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round1 = (v: number) => Math.round(v * 10) / 10;

/** Reads an API geometry (JSON) as a Roi; null when it does not fit the shape. */
export function roiFromApi(shape: string, geometry: unknown): Roi | null {
  const g = geometry as Record<string, unknown>;
  const num = (k: string) => (typeof g?.[k] === "number" ? (g[k] as number) : NaN);
  if (shape === "POINT" && Number.isFinite(num("x") + num("y")))
    return { shape, geometry: { x: num("x"), y: num("y") } };
  if (shape === "BOX" && Number.isFinite(num("x") + num("y") + num("width") + num("height")))
    return { shape, geometry: { x: num("x"), y: num("y"), width: num("width"), height: num("height") } };
  if (shape === "ELLIPSE" && Number.isFinite(num("cx") + num("cy") + num("rx") + num("ry")))
    return {
      shape,
      geometry: {
        cx: num("cx"),
        cy: num("cy"),
        rx: num("rx"),
        ry: num("ry"),
        rotationRad: Number.isFinite(num("rotationRad")) ? num("rotationRad") : 0,
      },
    };
  if (shape === "POLYGON" && Array.isArray(g?.points) && g.points.length >= 3)
    return { shape, geometry: { points: (g.points as [number, number][]).map(([x, y]) => [x, y]) } };
  return null;
}

/** A box or ellipse spanned by a drag from a to b (any direction). */
export function roiFromDrag(shape: "BOX" | "ELLIPSE", a: Point, b: Point): Roi {
  const x = Math.min(a[0], b[0]);
  const y = Math.min(a[1], b[1]);
  const width = Math.abs(b[0] - a[0]);
  const height = Math.abs(b[1] - a[1]);
  if (shape === "BOX") return { shape, geometry: { x, y, width, height } };
  return { shape, geometry: { cx: x + width / 2, cy: y + height / 2, rx: width / 2, ry: height / 2, rotationRad: 0 } };
}

/** Keeps the region inside the image and rounds coordinates to 0.1 px (the API refuses regions outside). */
export function clampRoi(roi: Roi, widthPx: number, heightPx: number): Roi {
  const cx = (v: number) => round1(clamp(v, 0, widthPx));
  const cy = (v: number) => round1(clamp(v, 0, heightPx));
  switch (roi.shape) {
    case "POINT":
      return { shape: "POINT", geometry: { x: cx(roi.geometry.x), y: cy(roi.geometry.y) } };
    case "BOX": {
      const x = cx(roi.geometry.x);
      const y = cy(roi.geometry.y);
      return {
        shape: "BOX",
        geometry: {
          x,
          y,
          width: round1(clamp(roi.geometry.width, 0, widthPx - x)),
          height: round1(clamp(roi.geometry.height, 0, heightPx - y)),
        },
      };
    }
    case "ELLIPSE": {
      const g = roi.geometry;
      const centerX = cx(g.cx);
      const centerY = cy(g.cy);
      const rx = round1(clamp(g.rx, 0.5, Math.min(centerX, widthPx - centerX)));
      const ry = round1(clamp(g.ry, 0.5, Math.min(centerY, heightPx - centerY)));
      return { shape: "ELLIPSE", geometry: { cx: centerX, cy: centerY, rx, ry, rotationRad: g.rotationRad } };
    }
    case "POLYGON":
      return { shape: "POLYGON", geometry: { points: roi.geometry.points.map(([x, y]) => [cx(x), cy(y)]) } };
  }
}

export function moveRoi(roi: Roi, dx: number, dy: number): Roi {
  switch (roi.shape) {
    case "POINT":
      return { shape: "POINT", geometry: { x: roi.geometry.x + dx, y: roi.geometry.y + dy } };
    case "BOX":
      return { shape: "BOX", geometry: { ...roi.geometry, x: roi.geometry.x + dx, y: roi.geometry.y + dy } };
    case "ELLIPSE":
      return { shape: "ELLIPSE", geometry: { ...roi.geometry, cx: roi.geometry.cx + dx, cy: roi.geometry.cy + dy } };
    case "POLYGON":
      return { shape: "POLYGON", geometry: { points: roi.geometry.points.map(([x, y]) => [x + dx, y + dy]) } };
  }
}

/** Edit handles: box/ellipse corners of the bounding box, polygon vertices, the point itself. */
export function roiHandles(roi: Roi): Point[] {
  switch (roi.shape) {
    case "POINT":
      return [[roi.geometry.x, roi.geometry.y]];
    case "BOX": {
      const { x, y, width, height } = roi.geometry;
      return [
        [x, y],
        [x + width, y],
        [x + width, y + height],
        [x, y + height],
      ];
    }
    case "ELLIPSE": {
      const { cx, cy, rx, ry } = roi.geometry;
      return [
        [cx - rx, cy - ry],
        [cx + rx, cy - ry],
        [cx + rx, cy + ry],
        [cx - rx, cy + ry],
      ];
    }
    case "POLYGON":
      return roi.geometry.points.map((p) => [p[0], p[1]]);
  }
}

/** Drags handle `index` to `to`: corners resize from the opposite corner, vertices move alone. */
export function dragHandle(roi: Roi, index: number, to: Point): Roi {
  if (roi.shape === "POINT") return { shape: "POINT", geometry: { x: to[0], y: to[1] } };
  if (roi.shape === "POLYGON")
    return {
      shape: "POLYGON",
      geometry: { points: roi.geometry.points.map((p, i) => (i === index ? [to[0], to[1]] : p)) },
    };
  const corners = roiHandles(roi);
  const opposite = corners[(index + 2) % 4]!;
  return roiFromDrag(roi.shape, opposite, to);
}

/** Whether an image point lies in (or, for points, within `tolerancePx` of) the region. */
export function roiContains(roi: Roi, x: number, y: number, tolerancePx = 4): boolean {
  switch (roi.shape) {
    case "POINT":
      return Math.hypot(x - roi.geometry.x, y - roi.geometry.y) <= tolerancePx;
    case "BOX": {
      const g = roi.geometry;
      return (
        x >= g.x - tolerancePx &&
        x <= g.x + g.width + tolerancePx &&
        y >= g.y - tolerancePx &&
        y <= g.y + g.height + tolerancePx
      );
    }
    case "ELLIPSE": {
      const g = roi.geometry;
      const cos = Math.cos(-g.rotationRad);
      const sin = Math.sin(-g.rotationRad);
      const px = (x - g.cx) * cos - (y - g.cy) * sin;
      const py = (x - g.cx) * sin + (y - g.cy) * cos;
      return (px / (g.rx + tolerancePx)) ** 2 + (py / (g.ry + tolerancePx)) ** 2 <= 1;
    }
    case "POLYGON": {
      let inside = false;
      const pts = roi.geometry.points;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const [xi, yi] = pts[i]!;
        const [xj, yj] = pts[j]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    }
  }
}

/** Too small to be a deliberate region (a click, not a drag). */
export function isDegenerate(roi: Roi): boolean {
  if (roi.shape === "BOX") return roi.geometry.width < 2 || roi.geometry.height < 2;
  if (roi.shape === "ELLIPSE") return roi.geometry.rx < 1 || roi.geometry.ry < 1;
  if (roi.shape === "POLYGON") return roi.geometry.points.length < 3;
  return false;
}

/**
 * The region a drag leaves on the image: clamped to it, or null where nothing of it is left (drawn
 * off the image, in the black beside the breast: clamped, it would have no width, and the API
 * refuses such a region).
 */
export function regionOnImage(roi: Roi, widthPx: number, heightPx: number): Roi | null {
  const clamped = clampRoi(roi, widthPx, heightPx);
  return isDegenerate(clamped) ? null : clamped;
}

export const ROI_SHAPE_LABEL: Record<RoiShape, string> = {
  POINT: "Point",
  BOX: "Box",
  ELLIPSE: "Ellipse",
  POLYGON: "Polygon",
};
