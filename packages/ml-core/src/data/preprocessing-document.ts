// The preprocessing as data: what a model export carries (preprocessing.json) so that the model
// can be fed without the platform. Free of TensorFlow.js.
import { NORMALIZATIONS, type Normalization } from "./model-input.ts";
import type { PreprocessingSettings } from "./preprocess-settings.ts";

export type PreprocessingDocument = {
  format: "mammo-preprocessing";
  version: 1;
  /** The settings as recorded with the run and the model. */
  settings: PreprocessingSettings;
  steps: Array<{ step: string; description: string; parameters?: Record<string, unknown> }>;
  /** The network's input tensor. */
  output: { shape: [number, number, number]; dtype: "float32"; layout: string };
  /** The implementation shipped with the export (the platform's own, copied verbatim). */
  implementation: string;
};

const NORMALIZATION_WORDS: Record<Normalization, string> = {
  unit: "the grey value 0..1 unchanged in R, G and B (the study)",
  "imagenet-caffe":
    "the grey value times 255, minus the ImageNet means of Keras' VGG16 (preprocess_input mode 'caffe'), per channel",
};

/** The steps that turn an image into the network's input, in words and numbers. */
export function preprocessingDocument(settings: PreprocessingSettings): PreprocessingDocument {
  const size = settings.inputSize;
  const { multiply, subtract } = NORMALIZATIONS[settings.normalization];
  return {
    format: "mammo-preprocessing",
    version: 1,
    settings: { ...settings },
    steps: [
      {
        step: "grey levels",
        description:
          "The image's 8-bit display rendering, one channel: DICOM pixel data through its Modality LUT and VOI LUT or window (centre/width; MONOCHROME1 inverted); a PNG or JPEG as its grey levels (colour converted to luminance). The platform serves it as the image's display PNG.",
        parameters: { bitDepth: settings.bitDepth },
      },
      { step: "scale", description: "Grey level / 255: 0..1 (float)", parameters: { divideBy: 255 } },
      settings.resize === "square"
        ? {
            step: "resize",
            description: `Stretched to ${size} x ${size} whatever the aspect ratio (nothing cropped, no padding)`,
            parameters: { mode: "square", width: size, height: size },
          }
        : {
            step: "resize",
            description: `Longer side to ${size}, aspect ratio kept (content side = round(side * ${size} / longer side)); centred in a ${size} x ${size} square with offset floor((${size} - content) / 2), the rest 0 (black); nothing cropped`,
            parameters: { mode: "pad", size, padValue: 0 },
          },
      {
        step: "resample",
        description:
          "box-bilinear: first a box filter shrinks by whole factors fy = max(1, floor(source height / target height)), fx likewise: each output pixel is the mean of an fy x fx block, rows and columns left over at the bottom and right dropped; then bilinear interpolation to the exact target size with half-pixel centres (source coordinate = (i + 0.5) * in / out - 0.5, clamped to the edge; TensorFlow's resize_bilinear(half_pixel_centers=True))",
        parameters: { filter: settings.resample },
      },
      {
        step: "channels and normalisation",
        description: `${NORMALIZATION_WORDS[settings.normalization]}: value = grey * ${multiply} - subtract[channel]`,
        parameters: { name: settings.normalization, multiply, subtract },
      },
    ],
    output: {
      shape: [size, size, 3],
      dtype: "float32",
      layout: "[batch, height, width, channel] (NHWC), rows top to bottom, channels R, G, B",
    },
    implementation: "model-input.ts: prepareModelInput(image, settings), then toRgbValues(prepared, normalization)",
  };
}
