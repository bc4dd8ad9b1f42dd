"use client";

import { useEffect, useRef } from "react";
import { renderGrey } from "@/viewer/render-grey";
import type { Point } from "@/viewer/roi-geometry";
import { screenToImage, type Affine } from "@/viewer/view-transform";
import { buildWindowLut } from "@/viewer/window-lut";
import type { LoadedImage } from "./use-full-depth-image";

const SIZE_PX = 200;

/**
 * A loupe under the pointer: the same window, at about one image pixel per device pixel (at least
 * twice the current zoom), drawn from the finest level held (full resolution is fetched for it).
 */
export function Magnifier({
  at,
  loaded,
  affine,
  window,
  isInverted,
}: {
  at: Point;
  loaded: LoadedImage;
  affine: Affine;
  window: { center: number; width: number };
  isInverted: boolean;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const dpr = globalThis.devicePixelRatio || 1;
  const factor = Math.max(2, Math.min(8, 1 / (affine.scale * dpr)));
  useEffect(() => {
    const canvas = ref.current!;
    const side = Math.round(SIZE_PX * dpr);
    canvas.width = side;
    canvas.height = side;
    const [ix, iy] = screenToImage(affine, at[0], at[1]);
    const scale = affine.scale * factor;
    const sign = Math.sign(affine.scaleX);
    const zoomed: Affine = {
      scale,
      scaleX: sign * scale,
      translateX: SIZE_PX / 2 - sign * scale * ix,
      translateY: SIZE_PX / 2 - scale * iy,
    };
    const ctx = canvas.getContext("2d")!;
    const data = ctx.createImageData(side, side);
    const lut = buildWindowLut(loaded.image, window, isInverted);
    renderGrey(loaded.levels, lut, zoomed, dpr, side, side, new Uint32Array(data.data.buffer));
    ctx.putImageData(data, 0, 0);
  }, [at, loaded, affine, window, isInverted, factor, dpr]);
  return (
    <canvas
      ref={ref}
      className="magnifier"
      data-testid="magnifier"
      aria-hidden="true"
      style={{ left: at[0] - SIZE_PX / 2, top: at[1] - SIZE_PX / 2, width: SIZE_PX, height: SIZE_PX }}
    />
  );
}
