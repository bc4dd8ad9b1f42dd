import type { DicomDataset, DicomDict } from "dcmjs";
import { ImagingError } from "../errors.ts";
import type { ImagingLimits } from "../limits.ts";
import { numberValue, numberValues, sequenceItems, stringValue, stringValues } from "./dataset-values.ts";
import { readMammographyView, type ViewModifier, type ViewPosition } from "./mammography-views.ts";
import { transferSyntaxOf, type PixelEncoding } from "./transfer-syntax.ts";

export type Laterality = "R" | "L";
export type { ViewModifier, ViewPosition } from "./mammography-views.ts";
export type VoiLutFunction = "LINEAR" | "LINEAR_EXACT" | "SIGMOID";
export type DisplayWindow = { center: number; width: number; explanation?: string };
export type VoiLut = { firstMapped: number; bitsPerEntry: number; data: number[] };

/** What the pipeline needs from a DICOM header: geometry, display, and mammography metadata. */
export type DicomImageInfo = {
  transferSyntaxUid: string;
  encoding: PixelEncoding;
  sopClassUid?: string;
  modality?: string;
  widthPx: number;
  heightPx: number;
  bitsAllocated: 8 | 16;
  bitsStored: number;
  isSigned: boolean;
  photometric: "MONOCHROME1" | "MONOCHROME2";
  rescaleSlope: number;
  rescaleIntercept: number;
  windows: DisplayWindow[];
  voiLutFunction: VoiLutFunction;
  voiLut?: VoiLut;
  presentationLutShape?: "IDENTITY" | "INVERSE";
  pixelPaddingValue?: number;
  pixelPaddingRangeLimit?: number;
  pixelSpacingMm?: { row: number; col: number };
  laterality?: Laterality;
  view?: ViewPosition;
  /** The original view code when view is OTHER (e.g. "XCCL", "ML"). */
  viewCode?: string;
  /** Spot compression, magnification, implant displaced... (CID 4015). */
  viewModifiers: ViewModifier[];
  presentationIntent?: "FOR_PRESENTATION" | "FOR_PROCESSING";
  burnedInAnnotation?: string;
  studyDate?: string;
  /** Values that were present but unusable, and were ignored. */
  warnings: string[];
};

export const MAMMOGRAPHY_SOP_CLASSES: Record<string, "FOR_PRESENTATION" | "FOR_PROCESSING" | undefined> = {
  "1.2.840.10008.5.1.4.1.1.1.2": "FOR_PRESENTATION", // Digital Mammography X-Ray Image - For Presentation
  "1.2.840.10008.5.1.4.1.1.1.2.1": "FOR_PROCESSING", // Digital Mammography X-Ray Image - For Processing
};

/** Reads and checks the header of a parsed DICOM file; refuses what cannot be shown as greyscale. */
export function readImageInfo(file: DicomDict, limits: ImagingLimits): DicomImageInfo {
  const ds = file.dict;
  const warnings: string[] = [];
  const transferSyntaxUid = stringValue(file.meta, "00020010") ?? "";
  const { encoding } = transferSyntaxOf(transferSyntaxUid);
  const sopClassUid = stringValue(ds, "00080016") ?? stringValue(file.meta, "00020002");
  const modality = stringValue(ds, "00080060");
  if (modality && modality !== "MG" && !(sopClassUid && sopClassUid in MAMMOGRAPHY_SOP_CLASSES)) {
    throw new ImagingError("UNSUPPORTED_IMAGE", `not a mammogram: Modality is ${modality}`);
  }
  if (!modality && !(sopClassUid && sopClassUid in MAMMOGRAPHY_SOP_CLASSES)) {
    throw new ImagingError(
      "UNSUPPORTED_IMAGE",
      `not recognisable as a mammogram: no Modality and SOP Class UID ${sopClassUid ?? "(none)"} is not a Digital Mammography class`,
    );
  }

  const heightPx = requiredInteger(ds, "00280010", "Rows");
  const widthPx = requiredInteger(ds, "00280011", "Columns");
  if (widthPx < 1 || heightPx < 1)
    throw new ImagingError("MALFORMED_DICOM", `image has no pixels (${widthPx}x${heightPx})`);
  if (widthPx * heightPx > limits.maxPixels) {
    throw new ImagingError(
      "TOO_MANY_PIXELS",
      `image is ${widthPx}x${heightPx} = ${widthPx * heightPx} pixels; the limit is ${limits.maxPixels}`,
    );
  }
  const bitsAllocated = requiredInteger(ds, "00280100", "Bits Allocated");
  if (bitsAllocated !== 8 && bitsAllocated !== 16)
    throw new ImagingError("UNSUPPORTED_IMAGE", `Bits Allocated ${bitsAllocated} is not supported (8 or 16)`);
  let bitsStored = numberValue(ds, "00280101") ?? bitsAllocated;
  if (!Number.isInteger(bitsStored) || bitsStored < 1 || bitsStored > bitsAllocated) {
    warnings.push(`Bits Stored ${bitsStored} is invalid; using ${bitsAllocated}`);
    bitsStored = bitsAllocated;
  }
  const isSigned = numberValue(ds, "00280103") === 1;
  if (isSigned && bitsAllocated === 8)
    throw new ImagingError("UNSUPPORTED_IMAGE", "signed 8-bit pixel data is not supported");
  const samplesPerPixel = numberValue(ds, "00280002") ?? 1;
  const photometric = stringValue(ds, "00280004");
  if (samplesPerPixel !== 1 || (photometric !== "MONOCHROME1" && photometric !== "MONOCHROME2")) {
    throw new ImagingError(
      "UNSUPPORTED_IMAGE",
      `only greyscale images are accepted (Photometric Interpretation ${photometric ?? "missing"}, Samples per Pixel ${samplesPerPixel})`,
    );
  }
  const frames = numberValue(ds, "00280008") ?? 1;
  if (frames > 1)
    throw new ImagingError("UNSUPPORTED_IMAGE", `multi-frame images are not supported (Number of Frames ${frames})`);
  if (!ds["7FE00010"]) throw new ImagingError("MALFORMED_DICOM", "DICOM file has no Pixel Data (7FE0,0010)");

  const rescaleSlope = optionalNumber(ds, "00281053", "Rescale Slope", warnings) ?? 1;
  const rescaleIntercept = optionalNumber(ds, "00281052", "Rescale Intercept", warnings) ?? 0;
  const intent = stringValue(ds, "00080068");
  const presentationIntent =
    intent === "FOR PRESENTATION"
      ? "FOR_PRESENTATION"
      : intent === "FOR PROCESSING"
        ? "FOR_PROCESSING"
        : sopClassUid
          ? MAMMOGRAPHY_SOP_CLASSES[sopClassUid]
          : undefined;
  const shape = stringValue(ds, "20500020");

  return {
    transferSyntaxUid,
    encoding,
    sopClassUid,
    modality,
    widthPx,
    heightPx,
    bitsAllocated,
    bitsStored,
    isSigned,
    photometric,
    rescaleSlope: rescaleSlope === 0 ? 1 : rescaleSlope,
    rescaleIntercept,
    windows: readWindows(ds, warnings),
    voiLutFunction: readVoiLutFunction(ds, warnings),
    voiLut: readVoiLut(ds, warnings),
    presentationLutShape: shape === "INVERSE" || shape === "IDENTITY" ? shape : undefined,
    pixelPaddingValue: numberValue(ds, "00280120"),
    pixelPaddingRangeLimit: numberValue(ds, "00280121"),
    pixelSpacingMm: readPixelSpacing(ds, warnings),
    laterality: readLaterality(ds),
    ...readMammographyView(ds, warnings),
    presentationIntent,
    burnedInAnnotation: stringValue(ds, "00280301"),
    studyDate: stringValue(ds, "00080020"),
    warnings,
  };
}

function requiredInteger(ds: DicomDataset, tag: string, name: string): number {
  const value = numberValue(ds, tag);
  if (value === undefined || !Number.isInteger(value))
    throw new ImagingError(
      "MALFORMED_DICOM",
      `${name} (${tag.slice(0, 4)},${tag.slice(4)}) is missing or not an integer`,
    );
  return value;
}

function optionalNumber(ds: DicomDataset, tag: string, name: string, warnings: string[]): number | undefined {
  const value = numberValue(ds, tag);
  if (value === undefined && ds[tag]?.Value?.length) warnings.push(`${name} is not a number; ignored`);
  return value;
}

function readWindows(ds: DicomDataset, warnings: string[]): DisplayWindow[] {
  const centers = numberValues(ds, "00281050");
  const widths = numberValues(ds, "00281051");
  const explanations = stringValues(ds, "00281055");
  const windows: DisplayWindow[] = [];
  for (let i = 0; i < Math.min(centers.length, widths.length); i++) {
    if (widths[i]! < 1) {
      warnings.push(`Window Width ${widths[i]} is below 1; ignored`);
      continue;
    }
    windows.push({ center: centers[i]!, width: widths[i]!, explanation: explanations[i] });
  }
  return windows;
}

function readVoiLutFunction(ds: DicomDataset, warnings: string[]): VoiLutFunction {
  const value = stringValue(ds, "00281056");
  if (value === undefined || value === "LINEAR") return "LINEAR";
  if (value === "LINEAR_EXACT" || value === "SIGMOID") return value;
  warnings.push(`VOI LUT Function ${value} is unknown; using LINEAR`);
  return "LINEAR";
}

function readVoiLut(ds: DicomDataset, warnings: string[]): VoiLut | undefined {
  const item = sequenceItems(ds, "00283010")[0];
  if (!item) return undefined;
  const descriptor = numberValues(item, "00283002");
  const rawData = item["00283006"]?.Value;
  if (descriptor.length < 3 || !rawData?.length) {
    warnings.push("VOI LUT Sequence has no usable LUT Descriptor / LUT Data; ignored");
    return undefined;
  }
  const entries = descriptor[0] === 0 ? 65536 : descriptor[0]!;
  const bitsPerEntry = descriptor[2]!;
  let data: number[];
  const first = rawData[0];
  if (first instanceof ArrayBuffer) {
    // Entries are 16-bit words whatever Bits per Entry says (PS3.3 C.11.2.1.1).
    const bytes = new Uint8Array(first);
    data = Array.from(new Uint16Array(bytes.slice(0, Math.min(entries * 2, bytes.length & ~1)).buffer));
  } else {
    data = rawData.map(Number).filter(Number.isFinite);
  }
  if (data.length < entries || bitsPerEntry < 1 || bitsPerEntry > 16) {
    warnings.push("VOI LUT Data is shorter than its descriptor says; ignored");
    return undefined;
  }
  return { firstMapped: descriptor[1]!, bitsPerEntry, data: data.slice(0, entries) };
}

function readPixelSpacing(ds: DicomDataset, warnings: string[]): { row: number; col: number } | undefined {
  for (const tag of ["00280030", "00181164"]) {
    const values = numberValues(ds, tag);
    if (values.length >= 2 && values[0]! > 0 && values[1]! > 0) return { row: values[0]!, col: values[1]! };
    if (ds[tag]?.Value?.length)
      warnings.push(`${tag === "00280030" ? "Pixel Spacing" : "Imager Pixel Spacing"} is malformed; ignored`);
  }
  return undefined;
}

function readLaterality(ds: DicomDataset): Laterality | undefined {
  for (const tag of ["00200062", "00200060"]) {
    const value = stringValue(ds, tag)?.toUpperCase();
    if (value === "R" || value === "L") return value;
  }
  return undefined;
}
