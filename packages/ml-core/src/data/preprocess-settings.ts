// The preprocessing settings and their check, free of TensorFlow.js (see augment-settings.ts).
import { invalidArgument } from "../errors/ml-core-error.ts";
import { NORMALIZATIONS, type Normalization, type Resample, type ResizeMode } from "./model-input.ts";

export type { Normalization, Resample, ResizeMode } from "./model-input.ts";

/** Recorded with every run and model: what the network is fed (model-input.ts implements it). */
export type PreprocessingSettings = {
  inputSize: number;
  /** Padding or stretching (nothing is ever cropped). */
  resize: ResizeMode;
  /** The resampling filter. */
  resample: Resample;
  /** Bits of the grey levels fed in: 8 = the image's 8-bit display rendering (its display window applied). */
  bitDepth: 8;
  normalization: Normalization;
};

/** Filled into settings recorded before these fields existed (models of earlier versions). */
export const PREPROCESSING_DEFAULTS = { resample: "box-bilinear", bitDepth: 8 } as const;

/** Settings as recorded (possibly without the later fields) -> complete settings. */
export function withPreprocessingDefaults(settings: Partial<PreprocessingSettings>): PreprocessingSettings {
  return { ...PREPROCESSING_DEFAULTS, ...settings } as PreprocessingSettings;
}

export function assertPreprocessingSettings(settings: PreprocessingSettings): void {
  if (!Number.isInteger(settings.inputSize) || settings.inputSize < 32)
    throw invalidArgument("preprocessing.inputSize", `must be an integer of at least 32, got ${settings.inputSize}`);
  if (settings.resize !== "square" && settings.resize !== "pad")
    throw invalidArgument("preprocessing.resize", `must be "square" or "pad", got ${String(settings.resize)}`);
  if (settings.resample !== "box-bilinear")
    throw invalidArgument("preprocessing.resample", `must be "box-bilinear", got ${String(settings.resample)}`);
  if (settings.bitDepth !== 8)
    throw invalidArgument(
      "preprocessing.bitDepth",
      `must be 8 (the 8-bit display rendering), got ${settings.bitDepth}`,
    );
  if (!Object.hasOwn(NORMALIZATIONS, settings.normalization)) {
    throw invalidArgument(
      "preprocessing.normalization",
      `must be ${Object.keys(NORMALIZATIONS)
        .map((n) => `"${n}"`)
        .join(" or ")}, got ${String(settings.normalization)}`,
    );
  }
}
