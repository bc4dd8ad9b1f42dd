"use client";

import { useEffect, useState } from "react";
import { colourHeatmap } from "@/viewer/heatmap-colormap";

const cache = new Map<string, Promise<HTMLCanvasElement>>();

async function loadColoured(url: string): Promise<HTMLCanvasElement> {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`heatmap could not be loaded (HTTP ${response.status})`);
  const bitmap = await createImageBitmap(await response.blob());
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
  colourHeatmap(data.data);
  ctx.putImageData(data, 0, 0);
  return canvas;
}

/** A Grad-CAM PNG coloured with the heat scale, ready to draw over the image. */
export function useHeatmap(url: string | null): { canvas: HTMLCanvasElement | null; error: string | null } {
  const [state, setState] = useState<{ url: string | null; canvas: HTMLCanvasElement | null; error: string | null }>({
    url: null,
    canvas: null,
    error: null,
  });
  useEffect(() => {
    if (!url) return;
    let isCurrent = true;
    let promise = cache.get(url);
    if (!promise) {
      promise = loadColoured(url);
      promise.catch(() => cache.delete(url));
      cache.set(url, promise);
    }
    promise.then(
      (canvas) => isCurrent && setState({ url, canvas, error: null }),
      (error: unknown) =>
        isCurrent && setState({ url, canvas: null, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      isCurrent = false;
    };
  }, [url]);
  return state.url === url && url ? { canvas: state.canvas, error: state.error } : { canvas: null, error: null };
}
