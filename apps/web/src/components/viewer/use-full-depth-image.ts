"use client";

import { MAX_LEVEL } from "@mammo/wire-formats";
import { useCallback, useEffect, useState } from "react";
import { loadLevel, rememberScreenLevel, type LoadedImage } from "@/viewer/image-cache";
import { screenLevelFor } from "@/viewer/pyramid";

export type { LoadedImage };
type State = { status: "loading" } | { status: "error"; message: string } | { status: "ready"; loaded: LoadedImage };

/**
 * The image's full-depth pixels, progressively: `screenLevel` first (the coarsest level that still
 * fills the viewport's device pixels, null until the viewport is measured), full resolution once
 * `isFullWanted` (the reader zoomed past the level held). Each level is loaded once per URL.
 */
export function useFullDepthImage(url: string, screenLevel: number | null, isFullWanted: boolean): State {
  const [state, setState] = useState<{ url: string; state: State }>({ url, state: { status: "loading" } });
  const level = isFullWanted ? 0 : screenLevel;
  useEffect(() => {
    if (level === null) return;
    if (!isFullWanted) rememberScreenLevel(level);
    let isCurrent = true;
    // A finer level already held (full resolution after a zoom, say) is used as it is.
    loadLevel(url, level).then(
      (loaded) => isCurrent && setState({ url, state: { status: "ready", loaded } }),
      (error: unknown) =>
        isCurrent &&
        setState((previous) =>
          // A failed full-resolution fetch keeps the screen level on screen.
          previous.url === url && previous.state.status === "ready" && isFullWanted
            ? previous
            : { url, state: { status: "error", message: error instanceof Error ? error.message : String(error) } },
        ),
    );
    return () => {
      isCurrent = false;
    };
  }, [url, level, isFullWanted]);
  return state.url === url ? state.state : { status: "loading" };
}

/**
 * The progressive loading of one viewport: the screen level for its size first, full resolution
 * once the reader zooms past that level (`showScale`) or asks for it (`wantFull`, the magnifier).
 */
export function useProgressiveImage(
  image: { pixelsUrl: string; widthPx: number; heightPx: number },
  size: { widthPx: number; heightPx: number },
) {
  const dpr = globalThis.devicePixelRatio || 1;
  // bench:viewer measures today's path (full resolution first) against this one in the same run.
  const isFullFirst = Boolean((globalThis as { __MAMMO_FULL_FIRST__?: boolean }).__MAMMO_FULL_FIRST__);
  const screenLevel = isFullFirst
    ? 0
    : size.widthPx > 0
      ? screenLevelFor(image, { widthPx: size.widthPx * dpr, heightPx: size.heightPx * dpr }, MAX_LEVEL)
      : null;
  const [isFullWanted, setFullWanted] = useState(false);
  const state = useFullDepthImage(image.pixelsUrl, screenLevel, isFullWanted);
  const loaded = state.status === "ready" ? state.loaded : null;
  const heldLevel = loaded?.levels[0]?.level ?? null;
  /** The image is shown at `scale` CSS px per image px: fetch full resolution when the level held is too coarse. */
  const showScale = useCallback(
    (scale: number) => {
      if (heldLevel !== null && heldLevel > 0 && 2 ** heldLevel * scale * dpr > 1.001) setFullWanted(true);
    },
    [heldLevel, dpr],
  );
  const wantFull = useCallback(() => setFullWanted(true), []);
  return { state, loaded, heldLevel, showScale, wantFull };
}
