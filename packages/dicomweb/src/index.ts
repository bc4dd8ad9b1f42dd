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
