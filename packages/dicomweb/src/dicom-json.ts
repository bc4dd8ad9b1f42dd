/** One dataset in the DICOM JSON model (PS3.18 F.2): tag "GGGGEEEE" -> { vr, Value }. */
export type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;

/** Tags the client reads from QIDO-RS answers. */
export const TAGS = {
  StudyInstanceUID: "0020000D",
  SeriesInstanceUID: "0020000E",
  SOPInstanceUID: "00080018",
  SOPClassUID: "00080016",
  PatientID: "00100020",
  PatientName: "00100010",
  AccessionNumber: "00080050",
  StudyDate: "00080020",
  StudyDescription: "00081030",
  ModalitiesInStudy: "00080061",
  Modality: "00080060",
  NumberOfStudyRelatedInstances: "00201208",
  ImageLaterality: "00200062",
  ViewPosition: "00185101",
  ContentDate: "00080023",
  SeriesDescription: "0008103E",
  FailedSOPSequence: "00081198",
  ReferencedSOPSequence: "00081199",
  FailureReason: "00081197",
} as const;

/** The first value of a tag as a string ("" when absent); PN values give their Alphabetic form. */
export function stringOf(dataset: DicomJson, tag: string): string {
  const value = dataset[tag]?.Value?.[0];
  if (value === undefined || value === null) return "";
  if (typeof value === "object" && value && "Alphabetic" in value)
    return String((value as { Alphabetic: string }).Alphabetic);
  return String(value);
}

export function stringsOf(dataset: DicomJson, tag: string): string[] {
  return (dataset[tag]?.Value ?? []).map(String);
}

export function numberOf(dataset: DicomJson, tag: string): number | undefined {
  const value = dataset[tag]?.Value?.[0];
  return value === undefined || value === null ? undefined : Number(value);
}
