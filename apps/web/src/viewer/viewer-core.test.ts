import { describe, expect, it } from "vitest";
import { chestWallSide } from "./chest-wall.ts";
import { buildPyramid, levelForScale, screenLevelFor, wantedLevel } from "./pyramid.ts";
import { renderGrey } from "./render-grey.ts";
import { clampRoi, dragHandle, moveRoi, regionOnImage, roiContains, roiFromApi, roiFromDrag } from "./roi-geometry.ts";
import { affineOf, imageToScreen, panBy, screenToImage, zoomAt, type Placement } from "./view-transform.ts";
import { adjustedWindow, buildWindowLut, dragWindow } from "./window-lut.ts";

const header = {
  minStored: 0,
  maxStored: 4095,
  rescaleSlope: 1,
  rescaleIntercept: 0,
  padding: null,
  voiLutFunction: "LINEAR",
};

describe("window/level lookup table", () => {
  it("maps a 12-bit window to 0..255 at full precision: values one step apart inside a narrow window differ", () => {
    const lut = buildWindowLut(header, { center: 1000.5, width: 10 }, false);
    const grey = (v: number) => lut.table[v - lut.offset];
    expect(grey(990)).toBe(0);
    expect(grey(1011)).toBe(255);
    expect(grey(1001)).toBeGreaterThan(grey(1000)!);
    expect(grey(4095)).toBe(255);
  });

  it("inverts, and shows padding black whatever the window", () => {
    const lut = buildWindowLut({ ...header, padding: { from: 0, to: 10 } }, { center: 2048, width: 4096 }, true);
    expect(lut.table[4095 - lut.offset]).toBe(0);
    expect(lut.table[100 - lut.offset]).toBeGreaterThan(240);
    expect(lut.table[5 - lut.offset]).toBe(0);
  });

  it("drags relative to the image's default window: right widens, down raises the level", () => {
    const adjust = dragWindow({ centerShift: 0, widthFactor: 1 }, 100, 50);
    const window = adjustedWindow({ center: 2000, width: 1000 }, adjust);
    expect(window.width).toBeGreaterThan(1000);
    expect(window.center).toBeGreaterThan(2000);
  });
});

describe("pyramid and rendering", () => {
  const w = 8;
  const h = 4;
  const ramp = Uint16Array.from({ length: w * h }, (_, i) => (i % w) * 500); // 0..3500 across columns

  it("halves by 2x2 means, keeping 16-bit values", () => {
    const levels = buildPyramid({ widthPx: w, heightPx: h, samples: ramp }, 2);
    expect(levels.map((l) => [l.widthPx, l.heightPx])).toEqual([
      [8, 4],
      [4, 2],
      [2, 1],
    ]);
    expect([...levels[1]!.samples.slice(0, 4)]).toEqual([250, 1250, 2250, 3250]);
    expect(levelForScale(levels, 1).level).toBe(0);
    expect(levelForScale(levels, 0.5).level).toBe(1);
    expect(levelForScale(levels, 0.3).level).toBe(1);
  });

  it("numbers a pyramid built from a fetched level from that level, so the finest held one is used when zoomed past it", () => {
    const levels = buildPyramid({ level: 2, widthPx: w, heightPx: h, samples: ramp }, 2);
    expect(levels.map((l) => l.level)).toEqual([2, 3, 4]);
    expect(levelForScale(levels, 1).level).toBe(2); // wants full resolution; level 2 is the finest held
    expect(levelForScale(levels, 1 / 8).level).toBe(3);
    expect(wantedLevel(1, 6)).toBe(0);
    expect(wantedLevel(1 / 5, 6)).toBe(2);
  });

  it("fetches first the coarsest level that still fills the fitted viewport's device pixels", () => {
    const mammogram = { widthPx: 3328, heightPx: 4096 };
    // A 1x4 column at 1920x1080: about 470 x 980 CSS px; fitted by width, 0.14 device px per image px.
    expect(screenLevelFor(mammogram, { widthPx: 470, heightPx: 980 }, 6)).toBe(2); // 832x1024 samples
    expect(screenLevelFor(mammogram, { widthPx: 940, heightPx: 1960 }, 6)).toBe(1); // the same at device pixel ratio 2
    expect(screenLevelFor({ widthPx: 1024, heightPx: 1024 }, { widthPx: 470, heightPx: 980 }, 6)).toBe(1);
    expect(screenLevelFor(mammogram, { widthPx: 4000, heightPx: 5000 }, 6)).toBe(0);
  });

  it("draws the windowed image where the transform puts it, flipped when asked, black outside", () => {
    const levels = buildPyramid({ widthPx: w, heightPx: h, samples: ramp }, 64);
    const lut = buildWindowLut(header, { center: 1750.5, width: 3501 }, false);
    const out = new Uint32Array(10 * 4);
    const placement: Placement = { hug: "left", flip: false, mirror: false };
    const affine = affineOf(
      { zoom: 1, offsetX: 0, offsetY: 0 },
      { widthPx: 10, heightPx: 4 },
      { widthPx: w, heightPx: h },
      placement,
    );
    renderGrey(levels, lut, affine, 1, 10, 4, out);
    const grey = (i: number) => out[i]! & 0xff;
    expect(grey(0)).toBe(0);
    expect(grey(7)).toBe(255);
    expect(out[8]).toBe(0xff000000); // right of the image: black
    const flipped = affineOf(
      { zoom: 1, offsetX: 0, offsetY: 0 },
      { widthPx: 10, heightPx: 4 },
      { widthPx: w, heightPx: h },
      { ...placement, flip: true },
    );
    renderGrey(levels, lut, flipped, 1, 10, 4, out);
    expect(grey(0)).toBe(255);
    expect(grey(7)).toBe(0);
  });
});

describe("view transform", () => {
  const viewport = { widthPx: 400, heightPx: 500 };
  const image = { widthPx: 3328, heightPx: 4096 };

  it("hugs the chest-wall side at fit and keeps the point under the cursor when zooming", () => {
    const placement: Placement = { hug: "right", flip: false, mirror: false };
    const fit = affineOf({ zoom: 1, offsetX: 0, offsetY: 0 }, viewport, image, placement);
    expect(imageToScreen(fit, image.widthPx, 0)[0]).toBeCloseTo(400); // right edge at the viewport's right
    const zoomed = zoomAt({ zoom: 1, offsetX: 0, offsetY: 0 }, 4, 300, 200, viewport, image, placement);
    const [ix, iy] = screenToImage(fit, 300, 200);
    const after = imageToScreen(affineOf(zoomed, viewport, image, placement), ix, iy);
    expect(after[0]).toBeCloseTo(300);
    expect(after[1]).toBeCloseTo(200);
  });

  it("mirrors a shared pan in the opposite breast's view", () => {
    const right: Placement = { hug: "right", flip: false, mirror: false };
    const left: Placement = { hug: "left", flip: false, mirror: true };
    const state = panBy({ zoom: 2, offsetX: 0, offsetY: 0 }, 40, 0, viewport, right);
    const moveR =
      affineOf(state, viewport, image, right).translateX -
      affineOf({ ...state, offsetX: 0 }, viewport, image, right).translateX;
    const moveL =
      affineOf(state, viewport, image, left).translateX -
      affineOf({ ...state, offsetX: 0 }, viewport, image, left).translateX;
    expect(moveR).toBeCloseTo(40);
    expect(moveL).toBeCloseTo(-40);
  });
});

describe("chest wall side", () => {
  it("finds the edge the breast touches (bright tissue, dark background), also for inverted images", () => {
    const w = 20;
    const h = 10;
    const samples = Uint16Array.from({ length: w * h }, (_, i) => {
      const x = i % w;
      const y = Math.floor(i / w);
      return x < 12 - Math.abs(y - 5) ? 3000 : 100; // breast against the left edge
    });
    expect(chestWallSide({ level: 0, widthPx: w, heightPx: h, samples }, false)).toBe("left");
    const inverted = samples.map((v) => 4095 - v);
    expect(chestWallSide({ level: 0, widthPx: w, heightPx: h, samples: inverted }, true)).toBe("left");
    const mirrored = Uint16Array.from({ length: w * h }, (_, i) => samples[Math.floor(i / w) * w + (w - 1 - (i % w))]!);
    expect(chestWallSide({ level: 0, widthPx: w, heightPx: h, samples: mirrored }, false)).toBe("right");
  });
});

describe("ROI geometry", () => {
  it("builds boxes and ellipses from drags in any direction and resizes from the opposite corner", () => {
    const box = roiFromDrag("BOX", [50, 40], [10, 20]);
    expect(box).toEqual({ shape: "BOX", geometry: { x: 10, y: 20, width: 40, height: 20 } });
    expect(dragHandle(box, 2, [70, 80])).toEqual({ shape: "BOX", geometry: { x: 10, y: 20, width: 60, height: 60 } });
    const ellipse = roiFromDrag("ELLIPSE", [0, 0], [20, 10]);
    expect(ellipse.geometry).toEqual({ cx: 10, cy: 5, rx: 10, ry: 5, rotationRad: 0 });
    expect(roiContains(ellipse, 10, 5)).toBe(true);
    expect(roiContains(ellipse, 30, 30)).toBe(false);
  });

  it("keeps moved regions inside the image (the API refuses regions outside)", () => {
    const polygon = roiFromApi("POLYGON", {
      points: [
        [1, 1],
        [10, 1],
        [5, 8],
      ],
    })!;
    expect(clampRoi(moveRoi(polygon, -5, 0), 100, 100).geometry).toEqual({
      points: [
        [0, 1],
        [5, 1],
        [0, 8],
      ],
    });
    expect(roiContains(polygon, 5, 3)).toBe(true);
    expect(roiFromApi("POLYGON", { points: [[1, 1]] })).toBeNull();
    expect(clampRoi({ shape: "BOX", geometry: { x: 90, y: 90, width: 30, height: 5 } }, 100, 100).geometry).toEqual({
      x: 90,
      y: 90,
      width: 10,
      height: 5,
    });
  });
});

describe("a region drawn off the image", () => {
  // The e2e reader drew an ellipse in the black beside a left breast: clamped, it had rx 0, and the
  // API refused the read with "roi.geometry.rx: Too small" (the old check looked at the drag).
  it("leaves nothing, for an ellipse or a box wholly beside a 100x80 image", () => {
    expect(regionOnImage(roiFromDrag("ELLIPSE", [110, 20], [140, 50]), 100, 80)).toBeNull();
    expect(regionOnImage(roiFromDrag("BOX", [120, 10], [150, 30]), 100, 80)).toBeNull();
  });

  it("keeps the part on the image of one drawn across its edge", () => {
    expect(regionOnImage(roiFromDrag("BOX", [90, 10], [130, 30]), 100, 80)).toEqual({
      shape: "BOX",
      geometry: { x: 90, y: 10, width: 10, height: 20 },
    });
    const ellipse = regionOnImage(roiFromDrag("ELLIPSE", [80, 20], [110, 50]), 100, 80)!;
    expect(ellipse.geometry).toMatchObject({ cx: 95, cy: 35, rx: 5, ry: 15 });
  });
});
