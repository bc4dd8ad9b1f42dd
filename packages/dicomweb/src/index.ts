// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the declarations of dcmjs (untyped) that imaging keeps, for every program that compiles this package
/// <reference path="../../imaging/src/vendor-modules.d.ts" />
export { DicomwebError, isDicomwebError, type DicomwebErrorCode } from "./dicomweb-error.ts";
export {
  createDicomwebClient,
  normaliseBaseUrl,
  type DicomwebAuth,
  type DicomwebClient,
  type DicomwebClientOptions,
  type InstanceRef,
  type StoreResult,
  type StudyQuery,
  type StudySummary,
} from "./dicomweb-client.ts";
export { TAGS, stringOf, stringsOf, numberOf, type DicomJson } from "./dicom-json.ts";
export { parseMultipart, buildMultipart, type MultipartPart } from "./multipart.ts";
export { sealCredentials, openCredentials, sealJson, openJson } from "./sealed-credentials.ts";
export { newUid, code, type ResultStudy, type ResultImage, type ResultAuthor } from "./results/result-context.ts";
export {
  buildMeasurementReport,
  COMPREHENSIVE_SR,
  type ReportRegion,
  type MeasurementReportInput,
} from "./results/measurement-report-sr.ts";
export {
  buildHeatmapCapture,
  SECONDARY_CAPTURE,
  jet,
  type HeatmapCaptureInput,
} from "./results/heatmap-secondary-capture.ts";
