import type { RoiShape } from "@mammo/db";
import { z } from "zod";
import { AppError } from "../../errors/app-error.ts";

// A reader's region mark, in the pixel coordinates of the stored image (origin at the top-left
// pixel's corner, x right, y down), the convention of Annotation.geometry in schema.prisma.
const finite = z.number().finite();
const GEOMETRY = {
  POINT: z.object({ x: finite, y: finite }).strict(),
  BOX: z.object({ x: finite, y: finite, width: finite.positive(), height: finite.positive() }).strict(),
  ELLIPSE: z
    .object({ cx: finite, cy: finite, rx: finite.positive(), ry: finite.positive(), rotationRad: finite.default(0) })
    .strict(),
  POLYGON: z
    .object({
      points: z
        .array(z.tuple([finite, finite]))
        .min(3, "a polygon needs at least 3 points")
        .max(1000),
    })
    .strict(),
} as const;

export type RoiGeometry =
  | z.infer<(typeof GEOMETRY)["POINT"]>
  | z.infer<(typeof GEOMETRY)["BOX"]>
  | z.infer<(typeof GEOMETRY)["ELLIPSE"]>
  | z.infer<(typeof GEOMETRY)["POLYGON"]>;

const inside = (x: number, y: number, widthPx: number, heightPx: number) =>
  x >= 0 && y >= 0 && x <= widthPx && y <= heightPx;

/**
 * Validates a region against its shape and the image it is drawn on. Returns the normalised
 * geometry; throws VALIDATION naming `field` (e.g. "roi.geometry") otherwise.
 */
export function parseRoiGeometry(
  shape: RoiShape,
  geometry: unknown,
  image: { widthPx: number; heightPx: number },
  field: string,
): RoiGeometry {
  const result = GEOMETRY[shape].safeParse(geometry);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const at = [field, ...issue.path.map(String)].join(".");
    throw new AppError("VALIDATION", `${at}: ${issue.message} (a ${shape} is ${describe(shape)})`, { field });
  }
  const g = result.data as RoiGeometry;
  if (!isInside(shape, g, image.widthPx, image.heightPx))
    throw new AppError("VALIDATION", `${field}: the region lies outside the ${image.widthPx}x${image.heightPx} image`, {
      field,
    });
  return g;
}

function isInside(shape: RoiShape, g: RoiGeometry, w: number, h: number): boolean {
  switch (shape) {
    case "POINT": {
      const p = g as z.infer<(typeof GEOMETRY)["POINT"]>;
      return inside(p.x, p.y, w, h);
    }
    case "BOX": {
      const b = g as z.infer<(typeof GEOMETRY)["BOX"]>;
      return inside(b.x, b.y, w, h) && inside(b.x + b.width, b.y + b.height, w, h);
    }
    case "ELLIPSE": {
      const e = g as z.infer<(typeof GEOMETRY)["ELLIPSE"]>;
      return inside(e.cx, e.cy, w, h) && e.rx <= w && e.ry <= h;
    }
    case "POLYGON":
      return (g as z.infer<(typeof GEOMETRY)["POLYGON"]>).points.every(([x, y]) => inside(x, y, w, h));
  }
}

function describe(shape: RoiShape): string {
  switch (shape) {
    case "POINT":
      return "{x, y}";
    case "BOX":
      return "{x, y, width, height}";
    case "ELLIPSE":
      return "{cx, cy, rx, ry, rotationRad}";
    case "POLYGON":
      return "{points: [[x, y], ...]}";
  }
}
