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
