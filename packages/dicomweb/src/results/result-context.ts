import { randomUUID } from "node:crypto";
import dcmjs from "dcmjs";

/** The study the results go into: the PACS's original identifiers, or the de-identified ones for exports outside the site. */
export type ResultStudy = {
  studyInstanceUid: string;
  patientId: string;
  patientName: string;
  accessionNumber: string;
  /** YYYYMMDD or "" */
  studyDate: string;
};

/** An image a result refers to, by the UIDs of the study above. */
export type ResultImage = {
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  widthPx: number;
  heightPx: number;
  laterality?: "R" | "L";
};

export type ResultAuthor = { manufacturer: string; softwareVersion: string; deviceUid: string; deviceName: string };

/** What every result object is built from: its study, its author and when it is made (default: now). */
export type ResultInput = { study: ResultStudy; author: ResultAuthor; now?: Date };

export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
// Implementation Class UID of this platform's writer (a UUID-derived UID, PS3.5 B.2).
const IMPLEMENTATION_CLASS_UID = "2.25.186083311917035374924463893802553212946";

/** A new UID (UUID-derived, PS3.5 B.2). */
export const newUid = () => `2.25.${BigInt(`0x${randomUUID().replace(/-/g, "")}`).toString(10)}`;

export const code = (value: string, scheme: string, meaning: string) => ({
  CodeValue: value,
  CodingSchemeDesignator: scheme,
  CodeMeaning: meaning,
});

/** Patient, General Study and equipment attributes every result object carries. */
export function studyAttributes(study: ResultStudy, author: ResultAuthor, now: Date) {
  const date = now.toISOString().slice(0, 10).replace(/-/g, "");
  const time = now.toISOString().slice(11, 19).replace(/:/g, "");
  return {
    SpecificCharacterSet: "ISO_IR 192",
    PatientName: study.patientName,
    PatientID: study.patientId,
    PatientBirthDate: "",
    PatientSex: "",
    StudyInstanceUID: study.studyInstanceUid,
    StudyDate: study.studyDate,
    StudyTime: "",
    ReferringPhysicianName: "",
    StudyID: "",
    AccessionNumber: study.accessionNumber,
    Manufacturer: author.manufacturer,
    SoftwareVersions: author.softwareVersion,
    ContentDate: date,
    ContentTime: time,
    InstanceCreationDate: date,
    InstanceCreationTime: time,
  };
}

/**
 * What opens every result object: patient, study and equipment (studyAttributes), the object's
 * SOP class with a new instance UID, and a new series of its own holding just this instance.
 */
export function newResultInstance(
  input: ResultInput,
  series: { sopClassUid: string; modality: string; seriesNumber: number; seriesDescription: string },
) {
  const sopInstanceUid = newUid();
  const seriesInstanceUid = newUid();
  const attributes = {
    ...studyAttributes(input.study, input.author, input.now ?? new Date()),
    SOPClassUID: series.sopClassUid,
    SOPInstanceUID: sopInstanceUid,
    Modality: series.modality,
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: series.seriesNumber,
    SeriesDescription: series.seriesDescription,
    InstanceNumber: 1,
  };
  return { sopInstanceUid, seriesInstanceUid, attributes };
}

/** A Part 10 file (Explicit VR Little Endian) from a naturalized dataset. */
export function writePart10(dataset: Record<string, unknown>): Uint8Array {
  const meta = {
    "00020001": { vr: "OB", Value: [new Uint8Array([0, 1]).buffer] },
    "00020002": { vr: "UI", Value: [dataset.SOPClassUID] },
    "00020003": { vr: "UI", Value: [dataset.SOPInstanceUID] },
    "00020010": { vr: "UI", Value: [EXPLICIT_VR_LITTLE_ENDIAN] },
    "00020012": { vr: "UI", Value: [IMPLEMENTATION_CLASS_UID] },
    "00020013": { vr: "SH", Value: ["MAMMO_PLATFORM"] },
  };
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
