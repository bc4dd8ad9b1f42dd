import { deidentifyDicom } from "../deid/deidentify-dicom.ts";
import { frameLevelsOf, gzipLevel, IMPORT_LEVELS } from "../derived/full-depth-levels.ts";
import { displayTransformOf, plainDisplayTransform, type DisplayTransform } from "../display/display-transform.ts";
import type { GreyImage } from "../grey-image.ts";
import { decodeDicomPixels } from "../dicom/decode-pixels.ts";
import { readImageInfo, type Laterality, type ViewModifier, type ViewPosition } from "../dicom/image-info.ts";
import { readDicomFile } from "../dicom/read-dicom.ts";
import { ImagingError } from "../errors.ts";
import { detectFormat, type FileFormat } from "../format/detect-format.ts";
import type { ImagingLimits } from "../limits.ts";
import { decodeRaster } from "../raster/decode-raster.ts";
import { stripJpegMetadata, stripPngMetadata } from "../raster/strip-metadata.ts";
import { pixelSha256 } from "./pixel-identity.ts";

export type DeidContext = {
  secret: string;
  patientPseudonym: string;
  dateShiftDays: number;
};

/** A file made ready to store: de-identified bytes and the metadata of its Image row. */
export type IngestedImage = {
  sourceFormat: FileFormat;
  mediaType: "application/dicom" | "image/png" | "image/jpeg";
  /** The bytes to store: de-identified DICOM, or PNG/JPEG without metadata chunks. */
  storedBytes: Uint8Array;
  widthPx: number;
  heightPx: number;
  bitsStored: number;
  photometric: "MONOCHROME1" | "MONOCHROME2";
  presentationIntent?: "FOR_PRESENTATION" | "FOR_PROCESSING";
  windowCenter?: number;
  windowWidth?: number;
  pixelSpacingRowMm?: number;
  pixelSpacingColMm?: number;
  laterality?: Laterality;
  view?: ViewPosition;
  viewCode?: string;
  viewModifiers: ViewModifier[];
  /** sha256 of the decoded pixels (pixel-identity.ts): the same image in another file. */
  pixelSha256: string;
  /** The replacement SOP Instance UID (DICOM only). */
  sopInstanceUid?: string;
  /** The replacement Study Instance UID (DICOM only). */
  studyInstanceUid?: string;
  /** Exam date, already shifted by the patient's offset: YYYY-MM-DD. */
  examDate?: string;
  /** Set when a person must review the image before it is used (e.g. burned-in annotation). */
  quarantineReason?: string;
  /** Unusable header values that were ignored or removed. */
  warnings: string[];
  /** The viewer's screen levels, gzipped (IngestOptions), stored after the case commits. */
  screenLevels?: { level: number; bytes: Uint8Array }[];
};

export type IngestOptions = {
  /**
   * Also make the viewer's screen levels (IMPORT_LEVELS, derived/full-depth-levels.ts) from the
   * pixels the ingest decodes anyway: a reader's first open of the case then reads four small
   * files instead of waiting for the API to decode four mammograms.
   */
  withScreenLevels?: boolean;
};

/** The screen levels, gzipped, as plain Uint8Arrays (what arrives from a worker thread). */
async function screenLevelsOf(image: GreyImage, transform: DisplayTransform) {
  const encoded = await Promise.all(frameLevelsOf(image, transform, IMPORT_LEVELS).map(gzipLevel));
  return encoded.map(({ level, bytes }) => ({
    level,
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  }));
}

/**
 * One file from a user's disk to a stored-ready, de-identified image. The format comes from the
 * content; the pixels are decoded once to prove they are readable; nothing identifying leaves
 * this function. Throws ImagingError for every problem with the input.
 */
export async function ingestFile(
  bytes: Uint8Array,
  deid: DeidContext,
  limits: ImagingLimits,
  options: IngestOptions = {},
): Promise<IngestedImage> {
  if (bytes.length > limits.maxFileBytes) {
    throw new ImagingError("FILE_TOO_LARGE", `file is ${bytes.length} bytes; the limit is ${limits.maxFileBytes}`);
  }
  const format = detectFormat(bytes);
  if (format === "DICOM") return ingestDicom(bytes, deid, limits, options);

  const storedBytes = format === "PNG" ? stripPngMetadata(bytes) : stripJpegMetadata(bytes);
  const image = await decodeRaster(storedBytes, format, limits);
  return {
    ...(options.withScreenLevels && {
      screenLevels: await screenLevelsOf(image, plainDisplayTransform(image.bitsStored)),
    }),
    sourceFormat: format,
    mediaType: format === "PNG" ? "image/png" : "image/jpeg",
    storedBytes,
    widthPx: image.widthPx,
    heightPx: image.heightPx,
    bitsStored: image.bitsStored,
    photometric: "MONOCHROME2",
    viewModifiers: [],
    pixelSha256: pixelSha256(image),
    warnings: [],
  };
}

async function ingestDicom(
  bytes: Uint8Array,
  deid: DeidContext,
  limits: ImagingLimits,
  options: IngestOptions,
): Promise<IngestedImage> {
  const file = readDicomFile(bytes);
  const info = readImageInfo(file, limits);
  const pixels = await decodeDicomPixels(file, info); // refuse what cannot be decoded before storing anything
  // From the pixels just decoded: de-identification changes neither them nor how they are displayed.
  const screenLevels = options.withScreenLevels ? await screenLevelsOf(pixels, displayTransformOf(info)) : undefined;
  const result = deidentifyDicom(file, deid);
  const burnedIn = info.burnedInAnnotation?.toUpperCase();
  const window = info.windows[0];
  return {
    ...(screenLevels && { screenLevels }),
    sourceFormat: "DICOM",
    mediaType: "application/dicom",
    storedBytes: result.bytes,
    widthPx: info.widthPx,
    heightPx: info.heightPx,
    bitsStored: info.bitsStored,
    photometric: info.photometric,
    presentationIntent: info.presentationIntent,
    windowCenter: window?.center,
    windowWidth: window?.width,
    pixelSpacingRowMm: info.pixelSpacingMm?.row,
    pixelSpacingColMm: info.pixelSpacingMm?.col,
    laterality: info.laterality,
    view: info.view,
    viewCode: info.viewCode,
    viewModifiers: info.viewModifiers,
    pixelSha256: pixelSha256(pixels),
    sopInstanceUid: result.sopInstanceUid,
    studyInstanceUid: result.studyInstanceUid,
    examDate: result.studyDate
      ? `${result.studyDate.slice(0, 4)}-${result.studyDate.slice(4, 6)}-${result.studyDate.slice(6, 8)}`
      : undefined,
    quarantineReason:
      burnedIn === "NO"
        ? undefined
        : `Burned In Annotation (0028,0301) is ${burnedIn ? JSON.stringify(burnedIn) : "missing"}: the pixels may show identifying text`,
    warnings: [...info.warnings, ...result.warnings],
  };
}
