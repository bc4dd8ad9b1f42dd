"use client";

import { useEffect, useState } from "react";
import { chestWallSide } from "@/viewer/chest-wall";
import type { FullDepthImage } from "@mammo/wire-formats";
import { fetchFullDepthImage } from "@/viewer/full-depth-image";
import { buildPyramid, type PyramidLevel } from "@/viewer/pyramid";

export type LoadedImage = { image: FullDepthImage; levels: PyramidLevel[]; chestWall: "left" | "right" };
type State = { status: "loading" } | { status: "error"; message: string } | { status: "ready"; loaded: LoadedImage };

// A few images stay decoded, so the side-by-side view and going back to a case cost no refetch.
const cache = new Map<string, Promise<LoadedImage>>();
const CACHE_SIZE = 8;

function load(url: string): Promise<LoadedImage> {
  const hit = cache.get(url);
  if (hit) {
    cache.delete(url);
    cache.set(url, hit);
    return hit;
  }
  const promise = fetchFullDepthImage(url).then((image) => {
    const levels = buildPyramid(image);
    return { image, levels, chestWall: chestWallSide(levels[levels.length - 1]!, image.isInverted) };
  });
  promise.catch(() => cache.delete(url));
  cache.set(url, promise);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return promise;
}

/** The image's full-depth pixels, pyramid and chest-wall side, loaded once per URL. */
export function useFullDepthImage(url: string): State {
  const [state, setState] = useState<{ url: string; state: State }>({ url, state: { status: "loading" } });
  useEffect(() => {
    let isCurrent = true;
    load(url).then(
      (loaded) => isCurrent && setState({ url, state: { status: "ready", loaded } }),
      (error: unknown) =>
        isCurrent &&
        setState({ url, state: { status: "error", message: error instanceof Error ? error.message : String(error) } }),
    );
    return () => {
      isCurrent = false;
    };
  }, [url]);
  return state.url === url ? state.state : { status: "loading" };
}
