import { describe, expect, it } from "vitest";
import { type RegionMask, roiToMask } from "./roi-mask.ts";

const cells = (mask: RegionMask) => {
  const out: string[] = [];
  mask.data.forEach((v, i) => v && out.push(`${i % mask.width},${Math.floor(i / mask.width)}`));
  return out;
};
const count = (mask: RegionMask) => mask.data.reduce((s, v) => s + v, 0);

describe("roiToMask", () => {
  it("marks the cells whose centres lie in a box (origin top-left, x right, y down)", () => {
    const mask = roiToMask({ shape: "BOX", geometry: { x: 2, y: 1, width: 3, height: 2 } }, 8, 6);
    expect(cells(mask)).toEqual(["2,1", "3,1", "4,1", "2,2", "3,2", "4,2"]);
  });

  it("rasterises a polygon by the even-odd rule", () => {
    // Triangle x + y < 8: cell centres with x + y < 7, i.e. 7 + 6 + ... + 1 = 28 cells.
    const mask = roiToMask(
      {
        shape: "POLYGON",
        geometry: {
          points: [
            [0, 0],
            [8, 0],
            [0, 8],
          ],
        },
      },
      8,
      8,
    );
    expect(count(mask)).toBe(28);
    expect(mask.data[0]).toBe(1);
    expect(mask.data[7 * 8 + 7]).toBe(0);
  });

  it("rotates ellipses: a quarter turn swaps the radii", () => {
    const rotated = roiToMask(
      { shape: "ELLIPSE", geometry: { cx: 10, cy: 10, rx: 8, ry: 3, rotationRad: Math.PI / 2 } },
      20,
      20,
    );
    const swapped = roiToMask({ shape: "ELLIPSE", geometry: { cx: 10, cy: 10, rx: 3, ry: 8 } }, 20, 20);
    expect(cells(rotated)).toEqual(cells(swapped));
    expect(rotated.data[10 * 20 + 17]).toBe(0); // 7.5 px right of centre: outside the 3 px radius along x
    expect(rotated.data[17 * 20 + 10]).toBe(1); // 7.5 px below: inside the 8 px radius along y
  });

  it("marks a point's pixel, or the pixels within a radius of it", () => {
    expect(cells(roiToMask({ shape: "POINT", geometry: { x: 4.2, y: 3.9 } }, 8, 8))).toEqual(["4,3"]);
    expect(count(roiToMask({ shape: "POINT", geometry: { x: 4.5, y: 4.5 } }, 10, 10, { pointRadiusPx: 1.5 }))).toBe(9);
  });

  it("maps image coordinates onto a coarser grid, and never loses a region smaller than a cell", () => {
    const half = roiToMask({ shape: "BOX", geometry: { x: 0, y: 0, width: 50, height: 100 } }, 10, 10, {
      imageSize: { width: 100, height: 100 },
    });
    expect(count(half)).toBe(50);
    expect(half.data[4]).toBe(1);
    expect(half.data[5]).toBe(0);
    const tiny = roiToMask({ shape: "BOX", geometry: { x: 31, y: 72, width: 2, height: 2 } }, 10, 10, {
      imageSize: { width: 100, height: 100 },
    });
    expect(cells(tiny)).toEqual(["3,7"]);
  });

  it("names what is wrong in a bad region", () => {
    expect(() =>
      roiToMask(
        {
          shape: "POLYGON",
          geometry: {
            points: [
              [0, 0],
              [1, 1],
            ],
          },
        },
        4,
        4,
      ),
    ).toThrow(/roi.geometry.points: a polygon needs at least 3/);
    expect(() => roiToMask({ shape: "BOX", geometry: { x: 0, y: 0, width: -1, height: 2 } }, 4, 4)).toThrow(
      /positive width and height/,
    );
    expect(() => roiToMask({ shape: "ELLIPSE", geometry: { cx: Number.NaN, cy: 0, rx: 1, ry: 1 } }, 4, 4)).toThrow(
      /roi.geometry.cx: must be a finite number/,
    );
  });
});
