// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- declarations of the untyped codec/DICOM libraries, for every program that compiles this package
/// <reference path="vendor-modules.d.ts" />
export { ImagingError, isImagingError, type ImagingErrorCode } from "./errors.ts";
export { DEFAULT_IMAGING_LIMITS, type ImagingLimits } from "./limits.ts";
export { detectFormat, type FileFormat } from "./format/detect-format.ts";
export type { GreyImage } from "./grey-image.ts";
export { readDicomFile } from "./dicom/read-dicom.ts";
export {
  readImageInfo,
  MAMMOGRAPHY_SOP_CLASSES,
  type DicomImageInfo,
  type Laterality,
  type ViewPosition,
  type ViewModifier,
  type DisplayWindow,
} from "./dicom/image-info.ts";
export { parseViewPosition, type MammographyView } from "./dicom/mammography-views.ts";
export { decodeDicomPixels } from "./dicom/decode-pixels.ts";
export { SUPPORTED_TRANSFER_SYNTAXES } from "./dicom/transfer-syntax.ts";
export { loadWasmCodecs } from "./codecs/wasm-codecs.ts";
export { deidentifyDicom, DEIDENTIFICATION_METHOD, type DeidentifyOptions } from "./deid/deidentify-dicom.ts";
export { BASIC_PROFILE } from "./deid/basic-profile-table.ts";
export { replacementUid, dateShiftDaysFor } from "./deid/pseudonyms.ts";
export { displayTransformOf, renderDisplay8, voiValue, type DisplayTransform } from "./display/display-transform.ts";
export { decodeForDisplay, renderDisplayPixels } from "./display/decode-for-display.ts";
export {
  frameFullDepthLevels,
  fullDepthKey,
  gzipLevel,
  IMPORT_LEVELS,
  SCREEN_LEVELS,
  type EncodedLevel,
  type FramedLevel,
} from "./derived/full-depth-levels.ts";
export { ingestFile, type IngestedImage, type DeidContext } from "./ingest/ingest-file.ts";
export { pixelSha256 } from "./ingest/pixel-identity.ts";
export {
  createIngestPool,
  sharedIngestPool,
  closeSharedIngestPool,
  ingestWorkerCount,
  type IngestPool,
  type IngestRunner,
} from "./ingest/ingest-pool.ts";
export {
  createDerivedImages,
  derivedKeys,
  THUMBNAIL_SIZES_PX,
  type DerivedImages,
  type ThumbnailSizePx,
  type StoredImageRef,
} from "./derived/derived-images.ts";
export { importManifest, type ImportDeps, type ImportInput, type ImportSummary } from "./import/import-service.ts";
export { parseManifest, type ManifestRow, type RowError } from "./import/manifest.ts";
export { assertSafeRelativeName, resolveInside } from "./import/safe-file-name.ts";
export { miniMiasManifest } from "./mini-mias/mini-mias-manifest.ts";
