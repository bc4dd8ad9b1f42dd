// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the declarations of dcmjs (untyped) that imaging keeps, for every program that compiles this package
/// <reference path="../../imaging/src/vendor-modules.d.ts" />
// Test helpers other workspaces use (entry @mammo/dicomweb/testing): a real PACS (Orthanc), a
// synthetic four-view study as a PACS holds it, and Debian's DICOM validators.
export { orthancMissing, startOrthanc, type OrthancServer } from "./orthanc-server.ts";
export { fourViewStudy, instanceUidOf, seriesUidOf, studyUidOf, VIEWS, type StudyIdentity } from "./four-view-study.ts";
export { dciodvfy, dsrdump, validatorsMissing } from "./dicom-validators.ts";
