/** Guards against oversized uploads and decompression bombs. */
export type ImagingLimits = {
  /** Largest accepted file, in bytes. */
  maxFileBytes: number;
  /** Largest accepted image, in pixels (rows x columns), checked before any pixel is decoded. */
  maxPixels: number;
};

// A 3328 x 4096 full-field digital mammogram is 13.6 Mpx; tomosynthesis-sized frames go higher.
export const DEFAULT_IMAGING_LIMITS: ImagingLimits = {
  maxFileBytes: 256 * 1024 * 1024,
  maxPixels: 40_000_000,
};
