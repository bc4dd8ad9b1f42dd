import { describe, expect, it } from "vitest";
import { buildPyramid, halveLevel, levelOf } from "./pyramid.ts";

describe("resolution levels", () => {
  it("halves by rounded 2x2 means, repeating the edge at odd sizes (values worked out by hand)", () => {
    // 3x3:  10 20 30 / 40 50 60 / 70 80 90
    const full = { level: 0, widthPx: 3, heightPx: 3, samples: Uint16Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90]) };
    const half = halveLevel(full);
    expect(half).toMatchObject({ level: 1, widthPx: 2, heightPx: 2 });
    // (10+20+40+50)/4 = 30; (30+30+60+60)/4 = 45; (70+80+70+80)/4 = 75; (90+90+90+90)/4 = 90
    expect([...half.samples]).toEqual([30, 45, 75, 90]);
    expect([...levelOf(full, 2).samples]).toEqual([60]); // (30+45+75+90)/4
  });

  it("keeps signed samples signed and 16-bit values whole", () => {
    const signed = halveLevel({ level: 0, widthPx: 2, heightPx: 1, samples: Int16Array.from([-1000, -3000]) });
    expect(signed.samples).toBeInstanceOf(Int16Array);
    expect([...signed.samples]).toEqual([-2000]);
    const high = halveLevel({
      level: 0,
      widthPx: 2,
      heightPx: 2,
      samples: Uint16Array.from([65535, 65535, 65534, 65534]),
    });
    expect([...high.samples]).toEqual([65535]); // 65534.5 rounds up
  });

  it("builds down to the size asked for, numbered from the level given", () => {
    const levels = buildPyramid({ level: 1, widthPx: 16, heightPx: 8, samples: new Uint16Array(128) }, 4);
    expect(levels.map((l) => [l.level, l.widthPx, l.heightPx])).toEqual([
      [1, 16, 8],
      [2, 8, 4],
      [3, 4, 2],
    ]);
  });
});
