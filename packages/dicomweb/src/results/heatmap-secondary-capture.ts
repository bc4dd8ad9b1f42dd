import { code, newResultInstance, writePart10, type ResultImage, type ResultInput } from "./result-context.ts";

export const SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

export type HeatmapCaptureInput = ResultInput & {
  source: ResultImage;
  /** The source image as shown (8-bit grey, row-major, source.widthPx x source.heightPx). */
  display: Uint8Array;
  /** The saliency map in [0, 1], any size (bilinearly resized to the image). */
  heatmap: { width: number; height: number; data: Float32Array };
  method: string;
  layerName: string;
  className: string;
  score: number;
  modelVersion: string;
  /** Opacity of the heatmap over the image, 0-1 (default 0.45). */
  opacity?: number;
};

/**
 * A Grad-CAM heatmap as a DICOM Secondary Capture a PACS viewer shows next to the image: the
 * heatmap (jet colour map) blended over the grey image, pixel for pixel on the source's grid,
 * referring to the source image (Source Image Sequence) and saying in its description what it
 * is: method, layer, class, score and model version.
 */
export function buildHeatmapCapture(input: HeatmapCaptureInput): {
  bytes: Uint8Array;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  description: string;
} {
  const { widthPx, heightPx } = input.source;
  if (input.display.length !== widthPx * heightPx)
    throw new Error(`the display image has ${input.display.length} pixels, not ${widthPx}x${heightPx}`);
  const { sopInstanceUid, seriesInstanceUid, attributes } = newResultInstance(input, {
    sopClassUid: SECONDARY_CAPTURE,
    modality: "OT",
    seriesNumber: 9002,
    seriesDescription: `AI heatmap (${input.method})`,
  });
  const description = `${input.method} heatmap, layer ${input.layerName}, class ${input.className}, score ${input.score.toFixed(3)}, model ${input.modelVersion}`;
  const dataset = {
    ...attributes,
    Laterality: input.source.laterality ?? "",
    ConversionType: "SYN",
    PatientOrientation: "",
    ImageType: ["DERIVED", "SECONDARY"],
    DerivationDescription: description.slice(0, 1024),
    ImageComments: description,
    BurnedInAnnotation: "NO",
    SourceImageSequence: [
      {
        ReferencedSOPClassUID: input.source.sopClassUid,
        ReferencedSOPInstanceUID: input.source.sopInstanceUid,
        PurposeOfReferenceCodeSequence: [code("121322", "DCM", "Source image for image processing operation")],
      },
    ],
    SamplesPerPixel: 3,
    PhotometricInterpretation: "RGB",
    PlanarConfiguration: 0,
    Rows: heightPx,
    Columns: widthPx,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: blend(input).buffer,
    _vrMap: { PixelData: "OB" },
  };
  return { bytes: writePart10(dataset), sopInstanceUid, seriesInstanceUid, description };
}

function blend(input: HeatmapCaptureInput): Uint8Array {
  const { widthPx, heightPx } = input.source;
  const opacity = input.opacity ?? 0.45;
  const rgb = new Uint8Array(widthPx * heightPx * 3);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      const v = sample(
        input.heatmap,
        ((x + 0.5) / widthPx) * input.heatmap.width - 0.5,
        ((y + 0.5) / heightPx) * input.heatmap.height - 0.5,
      );
      const grey = input.display[y * widthPx + x]!;
      const [r, g, b] = jet(v);
      const o = (y * widthPx + x) * 3;
      rgb[o] = Math.round(grey * (1 - opacity) + r * opacity);
      rgb[o + 1] = Math.round(grey * (1 - opacity) + g * opacity);
      rgb[o + 2] = Math.round(grey * (1 - opacity) + b * opacity);
    }
  }
  return rgb;
}

/** Bilinear sample at (x, y) in the map's pixel centres, clamped at the edges. */
function sample(map: HeatmapCaptureInput["heatmap"], x: number, y: number): number {
  const cx = Math.min(Math.max(x, 0), map.width - 1);
  const cy = Math.min(Math.max(y, 0), map.height - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, map.width - 1);
  const y1 = Math.min(y0 + 1, map.height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const at = (xx: number, yy: number) => map.data[yy * map.width + xx]!;
  return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
}

/** The jet colour map: 0 blue, 0.5 green, 1 red. */
export function jet(v: number): [number, number, number] {
  const t = Math.min(Math.max(v, 0), 1);
  const channel = (centre: number) => Math.round(255 * Math.min(Math.max(1.5 - Math.abs(4 * t - centre), 0), 1));
  return [channel(3), channel(2), channel(1)];
}
