"use client";

import { useEffect, useRef, type RefObject } from "react";
import { renderGrey } from "@/viewer/render-grey";
import type { Affine, ViewportSize } from "@/viewer/view-transform";
import { buildWindowLut, type WindowLut } from "@/viewer/window-lut";
import type { LoadedImage } from "./use-full-depth-image";

type GreyInput = {
  loaded: LoadedImage | null;
  affine: Affine | null;
  window: { center: number; width: number } | null;
  isInverted: boolean;
  size: ViewportSize;
  /** After each frame is on the canvas. */
  onDrawn?: () => void;
};

/**
 * The windowed grey image on the canvas: one frame per change, drawn in the next animation
 * frame; the RGBA buffer and the window table are reused between frames.
 */
export function useGreyLayer(canvasRef: RefObject<HTMLCanvasElement | null>, input: GreyInput): void {
  const lutRef = useRef<WindowLut | undefined>(undefined);
  const frameRef = useRef<{ imageData: ImageData; pixels: Uint32Array } | null>(null);
  const { loaded, affine, window, isInverted, size } = input;
  const onDrawn = useRef(input.onDrawn);
  onDrawn.current = input.onDrawn;
  useEffect(() => {
    if (!loaded || !affine || !window) return;
    const canvas = canvasRef.current!;
    const frame = requestAnimationFrame(() => {
      performance.mark("viewer-frame-start");
      const dpr = globalThis.devicePixelRatio || 1;
      const width = Math.max(1, Math.round(size.widthPx * dpr));
      const height = Math.max(1, Math.round(size.heightPx * dpr));
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      const ctx = canvas.getContext("2d")!;
      const reusable = frameRef.current;
      if (!reusable || reusable.imageData.width !== width || reusable.imageData.height !== height) {
        const imageData = ctx.createImageData(width, height);
        frameRef.current = { imageData, pixels: new Uint32Array(imageData.data.buffer) };
      }
      lutRef.current = buildWindowLut(loaded.image, window, isInverted, lutRef.current);
      renderGrey(loaded.levels, lutRef.current, affine, dpr, width, height, frameRef.current!.pixels);
      ctx.putImageData(frameRef.current!.imageData, 0, 0);
      performance.measure("viewer-frame", "viewer-frame-start");
      onDrawn.current?.();
    });
    return () => cancelAnimationFrame(frame);
  }, [canvasRef, loaded, affine, window, isInverted, size]);
}
