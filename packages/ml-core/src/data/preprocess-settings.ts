// The preprocessing settings and their check, free of TensorFlow.js (see augment-settings.ts).
import { invalidArgument } from "../errors/ml-core-error.ts";

/** "square": stretch to inputSize x inputSize, as in the study. "pad": keep the aspect ratio, pad with black. */
export type ResizeMode = "square" | "pad";
/** "unit": 0..1 in all three channels (the study). "imagenet-caffe": 0..255 minus the ImageNet BGR means, as Keras' VGG16 weights expect. */
export type Normalization = "unit" | "imagenet-caffe";

export type PreprocessingSettings = {
  inputSize: number;
  resize: ResizeMode;
  normalization: Normalization;
};

export function assertPreprocessingSettings(settings: PreprocessingSettings): void {
  if (!Number.isInteger(settings.inputSize) || settings.inputSize < 32)
    throw invalidArgument("preprocessing.inputSize", `must be an integer of at least 32, got ${settings.inputSize}`);
  if (settings.resize !== "square" && settings.resize !== "pad")
    throw invalidArgument("preprocessing.resize", `must be "square" or "pad", got ${String(settings.resize)}`);
  if (settings.normalization !== "unit" && settings.normalization !== "imagenet-caffe") {
    throw invalidArgument(
      "preprocessing.normalization",
      `must be "unit" or "imagenet-caffe", got ${String(settings.normalization)}`,
    );
  }
}
