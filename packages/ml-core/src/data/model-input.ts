// The preprocessing: grey pixels -> what the network is fed. The ONE implementation that training,
// inference and Grad-CAM use, and the one every model export carries (copied verbatim next to its
// reference script), so it imports nothing and runs anywhere TypeScript does. Its parameters are
// recorded with every run and model (PreprocessingSettings) and described in words by
// preprocessingDocument(); change the arithmetic here and every recorded model is fed differently.

/** "square": stretched to size x size (as the study). "pad": aspect ratio kept, centred, black around it. */
export type ResizeMode = "square" | "pad";
/**
 * "box-bilinear": shrink by whole factors with a box filter (the mean of each fy x fx block,
 * fy = floor(height / targetHeight), fx = floor(width / targetWidth); rows and columns left over at
 * the bottom and right are dropped), then bilinear interpolation to the exact size with half-pixel
 * centres (TensorFlow's resize_bilinear with half_pixel_centers=True; edge pixels repeat).
 */
export type Resample = "box-bilinear";
/** "unit": 0..1 in all three channels (the study). "imagenet-caffe": 0..255 minus the ImageNet BGR means, as Keras' VGG16 weights expect. */
export type Normalization = "unit" | "imagenet-caffe";

export type ModelInputSpec = { inputSize: number; resize: ResizeMode; resample: Resample };

/** Where the source image lies inside the model's inputSize x inputSize square (model pixels). */
export type Placement = {
  sourceWidth: number;
  sourceHeight: number;
  offsetX: number;
  offsetY: number;
  contentWidth: number;
  contentHeight: number;
};

/** Grey levels, row-major, top row first; `white` is the value of white (255 for 8-bit). */
export type GreyPixels = { width: number; height: number; data: ArrayLike<number>; white: number };

/** A single-channel image at the model's input size, values 0..1 (before augmentation and normalisation). */
export type PreparedImage = { size: number; pixels: Float32Array; placement: Placement };

/** Per normalisation: value = grey (0..1) * multiply - subtract[channel], the grey value in all three channels (R, G, B order). */
export const NORMALIZATIONS: Record<Normalization, { multiply: number; subtract: [number, number, number] }> = {
  unit: { multiply: 1, subtract: [0, 0, 0] },
  // Keras imagenet_utils.preprocess_input(mode="caffe"): BGR means; with equal channels the order
  // only decides which mean goes with which channel, as Keras' VGG16 weights were trained.
  "imagenet-caffe": { multiply: 255, subtract: [103.939, 116.779, 123.68] },
};

/** Where an image of this size lands in the model input. */
export function placementFor(width: number, height: number, spec: Pick<ModelInputSpec, "inputSize" | "resize">) {
  const size = spec.inputSize;
  if (spec.resize === "square")
    return {
      sourceWidth: width,
      sourceHeight: height,
      offsetX: 0,
      offsetY: 0,
      contentWidth: size,
      contentHeight: size,
    };
  const scale = size / Math.max(width, height);
  const contentWidth = Math.max(1, Math.min(size, Math.round(width * scale)));
  const contentHeight = Math.max(1, Math.min(size, Math.round(height * scale)));
  return {
    sourceWidth: width,
    sourceHeight: height,
    offsetX: Math.floor((size - contentWidth) / 2),
    offsetY: Math.floor((size - contentHeight) / 2),
    contentWidth,
    contentHeight,
  } satisfies Placement;
}

/** The mean of each fy x fx block (float64 sums), divided by `white`: [floor(h/fy), floor(w/fx)]. */
function boxShrink(image: GreyPixels, fy: number, fx: number): { width: number; height: number; data: Float32Array } {
  const width = Math.floor(image.width / fx);
  const height = Math.floor(image.height / fy);
  const sums = new Float64Array(width * height);
  for (let y = 0; y < height * fy; y++) {
    const row = y * image.width;
    const outRow = Math.floor(y / fy) * width;
    for (let x = 0; x < width * fx; x++) sums[outRow + Math.floor(x / fx)]! += image.data[row + x]!;
  }
  const divisor = fy * fx * image.white;
  return { width, height, data: Float32Array.from(sums, (s) => s / divisor) };
}

/** Bilinear resize with half-pixel centres, as tf.image.resizeBilinear(image, size, false, true). */
function bilinear(
  source: { width: number; height: number; data: Float32Array },
  width: number,
  height: number,
): Float32Array {
  if (source.width === width && source.height === height) return source.data;
  const out = new Float32Array(width * height);
  const axis = (outSize: number, inSize: number) =>
    Array.from({ length: outSize }, (_, i) => {
      const at = (inSize / outSize) * (i + 0.5) - 0.5;
      const low = Math.max(0, Math.floor(at));
      return { low, high: Math.min(inSize - 1, Math.ceil(at)), frac: at - Math.floor(at) };
    });
  const rows = axis(height, source.height);
  const cols = axis(width, source.width);
  const s = source.data;
  for (let y = 0; y < height; y++) {
    const { low: y0, high: y1, frac: fy } = rows[y]!;
    for (let x = 0; x < width; x++) {
      const { low: x0, high: x1, frac: fx } = cols[x]!;
      const top = s[y0 * source.width + x0]! + (s[y0 * source.width + x1]! - s[y0 * source.width + x0]!) * fx;
      const bottom = s[y1 * source.width + x0]! + (s[y1 * source.width + x1]! - s[y1 * source.width + x0]!) * fx;
      out[y * width + x] = top + (bottom - top) * fy;
    }
  }
  return out;
}

/**
 * Grey image of any size -> one channel at inputSize x inputSize, values 0..1: divided by white,
 * resampled (box, then bilinear) to the content size of its placement, padded with 0 around it.
 */
export function prepareModelInput(image: GreyPixels, spec: ModelInputSpec): PreparedImage {
  if (spec.resample !== "box-bilinear") throw new Error(`preprocessing: unknown resample ${String(spec.resample)}`);
  const placement = placementFor(image.width, image.height, spec);
  const { contentWidth, contentHeight, offsetX, offsetY } = placement;
  const fy = Math.max(1, Math.floor(image.height / contentHeight));
  const fx = Math.max(1, Math.floor(image.width / contentWidth));
  const content = bilinear(boxShrink(image, fy, fx), contentWidth, contentHeight);
  const size = spec.inputSize;
  const pixels = new Float32Array(size * size);
  for (let y = 0; y < contentHeight; y++)
    pixels.set(content.subarray(y * contentWidth, (y + 1) * contentWidth), (y + offsetY) * size + offsetX);
  return { size, pixels, placement };
}

/** A prepared image as the network's input values: [size, size, 3] row-major (NHWC without the batch), normalised. */
export function toRgbValues(prepared: PreparedImage, normalization: Normalization): Float32Array {
  const { multiply, subtract } = NORMALIZATIONS[normalization];
  const out = new Float32Array(prepared.pixels.length * 3);
  // Rounded to float32 after each step, as the same arithmetic on float32 tensors is.
  const offsets = subtract.map((m) => Math.fround(m));
  prepared.pixels.forEach((v, i) => {
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.fround(v * multiply) - offsets[c]!;
  });
  return out;
}
