// Decoded full-depth images by URL and resolution level, shared by every viewport and the
// prefetch of the next case: a level is fetched and decoded once, and a finer level held serves
// any coarser request. Least recently used images are dropped past a budget of samples.
import { MAX_LEVEL, type FullDepthImage } from "@mammo/wire-formats";
import { chestWallSide } from "./chest-wall.ts";
import { fetchFullDepthImage } from "./full-depth-image.ts";
import { buildPyramid, type PyramidLevel } from "./pyramid.ts";

export type LoadedImage = { image: FullDepthImage; levels: PyramidLevel[]; chestWall: "left" | "right" };

type Entry = { levels: Map<number, Promise<LoadedImage>>; samples: Map<number, number> };
const images = new Map<string, Entry>();
// About 24 screen-level mammograms plus 6 at full resolution (2 bytes a sample).
const SAMPLE_BUDGET = 6 * 3328 * 4096 + 24 * 832 * 1024;

/** The level's URL: the API serves `?level=k` (0 = full resolution). */
export const levelUrl = (url: string, level: number) => `${url}${url.includes("?") ? "&" : "?"}level=${level}`;

function touch(url: string): Entry {
  let entry = images.get(url);
  if (entry) images.delete(url);
  else entry = { levels: new Map(), samples: new Map() };
  images.set(url, entry);
  return entry;
}

function evict() {
  let total = 0;
  for (const entry of images.values()) for (const n of entry.samples.values()) total += n;
  for (const [url, entry] of images) {
    if (total <= SAMPLE_BUDGET || images.size <= 1) break;
    for (const n of entry.samples.values()) total -= n;
    images.delete(url);
  }
}

/** The finest level of `url` already loaded or loading that is at least as fine as `level`. */
export function heldLevel(url: string, level: number): Promise<LoadedImage> | null {
  const entry = images.get(url);
  if (!entry) return null;
  const finer = [...entry.levels.keys()].filter((k) => k <= level).sort((a, b) => a - b);
  return finer.length ? entry.levels.get(finer[0]!)! : null;
}

/** Loads a level of an image (or finds it, or a finer one, already loaded). */
export function loadLevel(url: string, level: number): Promise<LoadedImage> {
  const wanted = Math.max(0, Math.min(MAX_LEVEL, level));
  const held = heldLevel(url, wanted);
  const entry = touch(url);
  if (held) return held;
  const promise = fetchFullDepthImage(levelUrl(url, wanted)).then((image) => {
    const levels = buildPyramid(image);
    entry.samples.set(wanted, image.samples.length);
    evict();
    return { image, levels, chestWall: chestWallSide(levels[levels.length - 1]!, image.isInverted) };
  });
  promise.catch(() => entry.levels.delete(wanted));
  entry.levels.set(wanted, promise);
  return promise;
}

// The level the viewports last fetched first, so the next case is prefetched at the same one.
let lastScreenLevel: number | null = null;
export const rememberScreenLevel = (level: number) => {
  lastScreenLevel = level;
};

/** Fetches and decodes images ahead (the reader's next case), at the level the viewports use. */
export function prefetchImages(urls: readonly string[]): Promise<unknown> {
  // bench:viewer's switch for today's path, which fetched nothing ahead.
  if ((globalThis as { __MAMMO_NO_PREFETCH__?: boolean }).__MAMMO_NO_PREFETCH__) return Promise.resolve();
  const level = lastScreenLevel ?? 0;
  return Promise.allSettled(urls.map((url) => loadLevel(url, level)));
}
