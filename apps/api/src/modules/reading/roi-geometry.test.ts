import { describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error.ts";
import { parseRoiGeometry } from "./roi-geometry.ts";

const image = { widthPx: 100, heightPx: 80 };
const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? `${error.code} ${error.field} ${error.message}` : String(error);
  }
  return "accepted";
};

describe("a reader's ROI mark", () => {
  it("accepts each shape inside the image, in pixel coordinates", () => {
    expect(parseRoiGeometry("POINT", { x: 0, y: 80 }, image, "roi.geometry")).toEqual({ x: 0, y: 80 });
    expect(parseRoiGeometry("BOX", { x: 10, y: 10, width: 90, height: 70 }, image, "roi.geometry")).toMatchObject({
      width: 90,
    });
    expect(parseRoiGeometry("ELLIPSE", { cx: 50, cy: 40, rx: 10, ry: 5 }, image, "roi.geometry")).toEqual({
      cx: 50,
      cy: 40,
      rx: 10,
      ry: 5,
      rotationRad: 0,
    });
    expect(
      parseRoiGeometry(
        "POLYGON",
        {
          points: [
            [1, 1],
            [99, 1],
            [50, 79],
          ],
        },
        image,
        "roi.geometry",
      ),
    ).toMatchObject({
      points: [
        [1, 1],
        [99, 1],
        [50, 79],
      ],
    });
  });

  it("rejects regions outside the image, malformed geometry and shape mismatches, naming the field", () => {
    expect(fieldOf(() => parseRoiGeometry("POINT", { x: 101, y: 5 }, image, "roi.geometry"))).toMatch(
      /^VALIDATION roi.geometry .*outside the 100x80 image/,
    );
    expect(
      fieldOf(() => parseRoiGeometry("BOX", { x: 50, y: 10, width: 51, height: 5 }, image, "roi.geometry")),
    ).toMatch(/outside/);
    expect(fieldOf(() => parseRoiGeometry("BOX", { x: 5, y: 10, width: 0, height: 5 }, image, "roi.geometry"))).toMatch(
      /roi.geometry.width/,
    );
    expect(
      fieldOf(() =>
        parseRoiGeometry(
          "POLYGON",
          {
            points: [
              [1, 1],
              [2, 2],
            ],
          },
          image,
          "roi.geometry",
        ),
      ),
    ).toMatch(/at least 3 points/);
    expect(
      fieldOf(() =>
        parseRoiGeometry(
          "POLYGON",
          {
            points: [
              [1, 1],
              [2, 2],
              [200, 2],
            ],
          },
          image,
          "roi.geometry",
        ),
      ),
    ).toMatch(/outside/);
    expect(fieldOf(() => parseRoiGeometry("ELLIPSE", { x: 1, y: 1 }, image, "roi.geometry"))).toMatch(
      /\{cx, cy, rx, ry, rotationRad\}/,
    );
    expect(fieldOf(() => parseRoiGeometry("POINT", { x: 1, y: Number.NaN }, image, "roi.geometry"))).toMatch(
      /VALIDATION/,
    );
  });
});
