// The API's full-depth pixel file (GET /images/:id/pixels.bin): its format is defined once, in
// @mammo/wire-formats, for the API that writes it and the viewer that reads it.
import { parseFullDepthPixels, PixelFormatError, type FullDepthImage } from "@mammo/wire-formats";

/** Fetches and decodes an image's full-depth pixels (gzip decoded by the browser's stream). */
export async function fetchFullDepthImage(url: string, signal?: AbortSignal): Promise<FullDepthImage> {
  const response = await fetch(url, { signal, credentials: "same-origin" });
  if (!response.ok || !response.body)
    throw new PixelFormatError(
      response.status === 404
        ? "image not found or not visible to you"
        : `image could not be loaded (HTTP ${response.status})`,
    );
  const stream = response.body.pipeThrough(new DecompressionStream("gzip"));
  return parseFullDepthPixels(await new Response(stream).arrayBuffer());
}

/** The full-depth URL next to an image's display URL ("/images/<id>/display.png"). */
export const pixelsPathOf = (displayUrl: string) => displayUrl.replace(/\/display\.png$/, "/pixels.bin");
