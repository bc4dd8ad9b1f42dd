/** Pixels of one greyscale frame as a codec returns them: row-major, top row first. */
export type DecodedSamples = Uint8Array | Uint16Array | Int16Array;

export type FrameGeometry = {
  widthPx: number;
  heightPx: number;
  bitsAllocated: 8 | 16;
  isSigned: boolean;
};

/** Reinterprets decoded bytes as samples of the frame's geometry (copying, so WASM memory can be freed). */
export function samplesFromBytes(bytes: Uint8Array, frame: FrameGeometry): DecodedSamples {
  if (frame.bitsAllocated === 8) return new Uint8Array(bytes);
  const copy = new Uint8Array(bytes); // aligned copy
  return frame.isSigned
    ? new Int16Array(copy.buffer, 0, copy.byteLength >> 1)
    : new Uint16Array(copy.buffer, 0, copy.byteLength >> 1);
}
