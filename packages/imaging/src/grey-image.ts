/**
 * A decoded greyscale image: stored pixel values, row-major, top row first, before any modality
 * or display transform. `samples.length === widthPx * heightPx`.
 */
export type GreyImage = {
  widthPx: number;
  heightPx: number;
  samples: Uint8Array | Uint16Array | Int16Array;
  bitsStored: number;
  isSigned: boolean;
};
