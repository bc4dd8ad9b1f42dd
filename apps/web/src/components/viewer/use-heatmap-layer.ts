"use client";

import { useEffect, type RefObject } from "react";
import type { Affine, ImageSize, ViewportSize } from "@/viewer/view-transform";

type HeatInput = {
  heatmap: HTMLCanvasElement | null;
  isShown: boolean;
  affine: Affine | null;
  size: ViewportSize;
  image: ImageSize;
};

/** The coloured Grad-CAM stretched over the image with the grey layer's transform. */
export function useHeatmapLayer(canvasRef: RefObject<HTMLCanvasElement | null>, input: HeatInput): void {
  const { heatmap, isShown, affine, size, image } = input;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !affine) return;
    const dpr = globalThis.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(size.widthPx * dpr));
    canvas.height = Math.max(1, Math.round(size.heightPx * dpr));
    const ctx = canvas.getContext("2d")!;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!heatmap || !isShown) return;
    ctx.setTransform(affine.scaleX * dpr, 0, 0, affine.scale * dpr, affine.translateX * dpr, affine.translateY * dpr);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(heatmap, 0, 0, image.widthPx, image.heightPx);
  }, [canvasRef, heatmap, isShown, affine, size, image.widthPx, image.heightPx]);
}
