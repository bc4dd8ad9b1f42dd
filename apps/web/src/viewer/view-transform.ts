/**
 * Where an image sits in a viewport. `zoom` is relative to fit (1 = the whole image fits);
 * offsets move the image from its resting place in viewport fractions. A viewport hugs one side
 * (the chest wall side, so the four views hang with chest walls facing each other) and may flip
 * the image horizontally. In a linked hanging the views share one ViewState and the left-hugging
 * ones mirror it (`mirror`), so zooming into one breast zooms into the same place of the other.
 */
export type ViewState = { zoom: number; offsetX: number; offsetY: number };
export const FIT_VIEW: ViewState = { zoom: 1, offsetX: 0, offsetY: 0 };

export type Placement = { hug: "left" | "right" | "center"; flip: boolean; mirror: boolean };

export type ViewportSize = { widthPx: number; heightPx: number };
export type ImageSize = { widthPx: number; heightPx: number };

/** display = (scaleX * imageX + translateX, scale * imageY + translateY), in viewport CSS px. */
export type Affine = { scale: number; scaleX: number; translateX: number; translateY: number };

export function fitScale(viewport: ViewportSize, image: ImageSize): number {
  return Math.min(viewport.widthPx / image.widthPx, viewport.heightPx / image.heightPx);
}

export function affineOf(state: ViewState, viewport: ViewportSize, image: ImageSize, placement: Placement): Affine {
  const scale = fitScale(viewport, image) * state.zoom;
  const dw = image.widthPx * scale;
  const dh = image.heightPx * scale;
  const baseLeft =
    placement.hug === "right" ? viewport.widthPx - dw : placement.hug === "left" ? 0 : (viewport.widthPx - dw) / 2;
  const sign = placement.mirror ? -1 : 1;
  const left = baseLeft + sign * state.offsetX * viewport.widthPx;
  const top = (viewport.heightPx - dh) / 2 + state.offsetY * viewport.heightPx;
  return placement.flip
    ? { scale, scaleX: -scale, translateX: left + dw, translateY: top }
    : { scale, scaleX: scale, translateX: left, translateY: top };
}

export function imageToScreen(a: Affine, x: number, y: number): [number, number] {
  return [a.scaleX * x + a.translateX, a.scale * y + a.translateY];
}

export function screenToImage(a: Affine, sx: number, sy: number): [number, number] {
  return [(sx - a.translateX) / a.scaleX, (sy - a.translateY) / a.scale];
}

/** Zooms by `factor` keeping the image point under (sx, sy) where it is. */
export function zoomAt(
  state: ViewState,
  factor: number,
  sx: number,
  sy: number,
  viewport: ViewportSize,
  image: ImageSize,
  placement: Placement,
): ViewState {
  const zoom = Math.min(64, Math.max(0.25, state.zoom * factor));
  const before = affineOf(state, viewport, image, placement);
  const [ix, iy] = screenToImage(before, sx, sy);
  const after = affineOf({ zoom, offsetX: 0, offsetY: 0 }, viewport, image, placement);
  const [bx, by] = imageToScreen(after, ix, iy);
  const sign = placement.mirror ? -1 : 1;
  return { zoom, offsetX: (sx - bx) / viewport.widthPx / sign, offsetY: (sy - by) / viewport.heightPx };
}

/** Moves the image by a screen delta. */
export function panBy(
  state: ViewState,
  dxPx: number,
  dyPx: number,
  viewport: ViewportSize,
  placement: Placement,
): ViewState {
  const sign = placement.mirror ? -1 : 1;
  return {
    ...state,
    offsetX: state.offsetX + dxPx / viewport.widthPx / sign,
    offsetY: state.offsetY + dyPx / viewport.heightPx,
  };
}

/** One image pixel per device pixel, centred on the image point under (sx, sy). */
export function zoomToPixel(
  state: ViewState,
  sx: number,
  sy: number,
  devicePixelRatio: number,
  viewport: ViewportSize,
  image: ImageSize,
  placement: Placement,
): ViewState {
  const target = 1 / devicePixelRatio / fitScale(viewport, image);
  const zoomed = zoomAt(state, target / state.zoom, sx, sy, viewport, image, placement);
  return panBy(zoomed, viewport.widthPx / 2 - sx, viewport.heightPx / 2 - sy, viewport, placement);
}
