import dcmjs, { type DicomDataset, type DicomDict, type DicomElement } from "dcmjs";
import { concatBytes } from "../bytes/concat-bytes.ts";
import { describeThrown, ImagingError } from "../errors.ts";
import { BASIC_PROFILE, type ProfileAction } from "./basic-profile-table.ts";
import { replacementUid, shiftDate, shiftDateTime } from "./pseudonyms.ts";

const { DicomDict: DicomDictClass } = dcmjs.data;

export type DeidentifyOptions = {
  /** DEID_SECRET: keys the UID mapping. */
  secret: string;
  /** Replaces Patient's Name and Patient ID: the site-local pseudonym. */
  patientPseudonym: string;
  /** The patient's date offset in days (every date of the patient moves by the same amount). */
  dateShiftDays: number;
};

export type DeidentifyResult = {
  bytes: Uint8Array;
  /** The replacement SOP Instance UID. */
  sopInstanceUid?: string;
  /** The shifted Study Date (YYYYMMDD), if the file had a valid one. */
  studyDate?: string;
  /** The replacement Study Instance UID. */
  studyInstanceUid?: string;
  warnings: string[];
};

// De-identification Method (0012,0063) is LO (64 characters a value) with any number of values:
// one statement per value, so nothing is cut.
export const DEIDENTIFICATION_METHOD: readonly string[] = [
  "PS3.15 E.1.1 Basic Application Confidentiality Profile",
  "Retain Longitudinal Temporal Information Modified Dates Option",
  "dates shifted by a fixed number of days per patient",
  "UIDs replaced by HMAC-SHA256 under a secret key",
];

// De-identification Method Code Sequence (PS3.16 CID 7050).
const METHOD_CODES: [string, string][] = [
  ["113100", "Basic Application Confidentiality Profile"],
  ["113107", "Retain Longitudinal Temporal Information Modified Dates Option"],
];

// Referenced SOP Class UID, Referenced SOP Instance UID, Referenced Frame Number, Referenced Segment Number.
const REFERENCE_ELEMENTS = new Set(["00081150", "00081155", "00081160", "0062000B"]);

// Meta header elements that could identify the sender.
const META_REMOVE = new Set(["00020016", "00020017", "00020018", "00020100", "00020102"]);
// PS3.15 E.1.1 (7): the file meta information describes the de-identifying application, not the
// source's. A UUID-derived UID (PS3.5 B.2) of this application.
const IMPLEMENTATION_CLASS_UID = "2.25.296423974051332919636503230883638087296";
const IMPLEMENTATION_VERSION_NAME = "MAMMO_DEID_1";

/**
 * De-identifies a parsed DICOM file in place and writes it out again, following PS3.15 Annex E's
 * Basic Profile (Table E.1-1) at every nesting level, removing all private attributes, replacing
 * UIDs consistently (HMAC of the secret), shifting every date by the patient's offset (emptying
 * the birth date) and recording Patient Identity Removed = YES with the method used. Pixel data
 * is written back unchanged (compressed data stays compressed, bit for bit).
 */
export function deidentifyDicom(file: DicomDict, options: DeidentifyOptions): DeidentifyResult {
  const warnings: string[] = [];
  const context = { ...options, warnings };
  cleanDataset(file.dict, context);

  const ds = file.dict;
  set(ds, "00100010", "PN", [{ Alphabetic: options.patientPseudonym }]);
  set(ds, "00100020", "LO", [options.patientPseudonym]);
  set(ds, "00120062", "CS", ["YES"]);
  set(ds, "00120063", "LO", [...DEIDENTIFICATION_METHOD]);
  set(
    ds,
    "00120064",
    "SQ",
    METHOD_CODES.map(([code, meaning]) => ({
      "00080100": { vr: "SH", Value: [code] },
      "00080102": { vr: "SH", Value: ["DCM"] },
      "00080104": { vr: "LO", Value: [meaning] },
    })),
  );
  set(ds, "00280303", "CS", ["MODIFIED"]);

  // One frame, one item: fragments read as separate values are joined again.
  const pixel = ds["7FE00010"];
  if (pixel?.Value && pixel.Value.length > 1 && pixel.Value.every((v) => v instanceof ArrayBuffer)) {
    pixel.Value = [concatBytes((pixel.Value as ArrayBuffer[]).map((b) => new Uint8Array(b))).buffer];
  }

  const meta: DicomDataset = {};
  for (const [tag, element] of Object.entries(file.meta)) if (!META_REMOVE.has(tag)) meta[tag] = element;
  const sopInstanceUid = firstString(ds["00080018"]);
  if (sopInstanceUid) meta["00020003"] = { vr: "UI", Value: [sopInstanceUid] };
  meta["00020012"] = { vr: "UI", Value: [IMPLEMENTATION_CLASS_UID] };
  meta["00020013"] = { vr: "SH", Value: [IMPLEMENTATION_VERSION_NAME] };

  let bytes: Uint8Array;
  try {
    bytes = writeFile(meta, ds);
  } catch (error) {
    throw new ImagingError("MALFORMED_DICOM", `de-identified DICOM could not be written: ${describeThrown(error)}`, {
      cause: error,
    });
  }
  return {
    bytes,
    sopInstanceUid,
    studyDate: firstString(ds["00080020"]),
    studyInstanceUid: firstString(ds["0020000D"]),
    warnings,
  };
}

// dcmjs writes large binary values slowly (seconds for a 27 MB mammogram), so the header goes
// through dcmjs and the pixel data, normally the last element, is appended here as it is.
function writeFile(meta: DicomDataset, ds: DicomDataset): Uint8Array {
  const pixel = ds["7FE00010"];
  const chunks = (pixel?.Value ?? []).filter((v): v is ArrayBuffer => v instanceof ArrayBuffer);
  const hasLaterElements = Object.keys(ds).some((tag) => tag > "7FE00010");
  const out = new DicomDictClass(meta);
  if (!pixel || chunks.length !== 1 || hasLaterElements) {
    out.dict = ds;
    return new Uint8Array(out.write({ allowInvalidVRLength: true }));
  }
  const rest: DicomDataset = { ...ds };
  delete rest["7FE00010"];
  out.dict = rest;
  const header = new Uint8Array(out.write({ allowInvalidVRLength: true }));
  const syntax = firstString(meta["00020010"]);
  const isImplicit = syntax === "1.2.840.10008.1.2";
  const isEncapsulated = syntax !== "1.2.840.10008.1.2" && syntax !== "1.2.840.10008.1.2.1";
  const data = new Uint8Array(chunks[0]!);
  const padded = data.length % 2 === 1 ? concatBytes([data, new Uint8Array(1)]) : data;
  return concatBytes([
    header,
    pixelElement(padded, { isImplicit, isEncapsulated, vr: pixel.vr === "OB" ? "OB" : "OW" }),
  ]);
}

function pixelElement(
  data: Uint8Array,
  o: { isImplicit: boolean; isEncapsulated: boolean; vr: "OB" | "OW" },
): Uint8Array {
  const tag = [0xe0, 0x7f, 0x10, 0x00];
  const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
  if (o.isEncapsulated) {
    // OB, undefined length; an empty Basic Offset Table item, one fragment, a sequence delimiter.
    const head = [
      ...tag,
      0x4f,
      0x42,
      0,
      0,
      ...u32(0xffffffff),
      0xfe,
      0xff,
      0x00,
      0xe0,
      ...u32(0),
      0xfe,
      0xff,
      0x00,
      0xe0,
      ...u32(data.length),
    ];
    return concatBytes([Uint8Array.from(head), data, Uint8Array.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0])]);
  }
  const head = o.isImplicit
    ? [...tag, ...u32(data.length)]
    : [...tag, o.vr.charCodeAt(0), o.vr.charCodeAt(1), 0, 0, ...u32(data.length)];
  return concatBytes([Uint8Array.from(head), data]);
}

type Context = DeidentifyOptions & { warnings: string[] };

function cleanDataset(ds: DicomDataset, ctx: Context): void {
  for (const tag of Object.keys(ds)) {
    const element = ds[tag]!;
    const action = actionFor(tag);
    if (action === "REMOVE") {
      delete ds[tag];
      continue;
    }
    if (element.vr === "DA" || element.vr === "DT") {
      cleanDateElement(ds, tag, element, action, ctx);
      continue;
    }
    switch (action) {
      case "KEEP":
        if (element.vr === "SQ") for (const item of items(element)) cleanDataset(item, ctx);
        break;
      case "X/Z/U*":
        // A reference sequence: only the references survive (class and instance UIDs, frame
        // numbers), with instance UIDs replaced by their own rule.
        for (const item of items(element)) {
          for (const inner of Object.keys(item)) if (!REFERENCE_ELEMENTS.has(inner)) delete item[inner];
          cleanDataset(item, ctx);
        }
        break;
      case "X":
      case "X/D":
        delete ds[tag];
        break;
      case "Z":
      case "X/Z":
      case "Z/D":
      case "X/Z/D":
        element.Value = [];
        break;
      case "D":
        // A UID's dummy is its consistent replacement, so references to it still resolve.
        element.Value = element.vr === "UI" ? replacedUids(element, ctx) : dummyValue(element.vr);
        break;
      case "U":
        element.Value = replacedUids(element, ctx);
        break;
    }
    delete element._rawValue;
  }
}

function actionFor(tag: string): ProfileAction | "KEEP" | "REMOVE" {
  const group = parseInt(tag.slice(0, 4), 16);
  if (group % 2 === 1) return "REMOVE"; // private attributes and their creators
  if (tag.startsWith("50")) return "REMOVE"; // Curve Data (50xx,xxxx)
  if (tag.startsWith("60") && (tag.endsWith("3000") || tag.endsWith("4000"))) return "REMOVE"; // Overlay Data / Comments
  return BASIC_PROFILE.get(tag) ?? "KEEP";
}

// Dates follow the Modified Dates option: shifted by the patient's offset wherever they are kept;
// the birth date is emptied; a date that cannot be parsed cannot be shifted, so it goes.
function cleanDateElement(
  ds: DicomDataset,
  tag: string,
  element: DicomElement,
  action: ReturnType<typeof actionFor>,
  ctx: Context,
) {
  if (action === "X") {
    delete ds[tag];
    return;
  }
  if (tag === "00100030") {
    element.Value = [];
    return;
  }
  const shift = element.vr === "DA" ? shiftDate : shiftDateTime;
  const values = (element.Value ?? []).flatMap((v) => String(v).split("\\")).filter((v) => v.trim() !== "");
  const shifted = values.map((v) => shift(v, ctx.dateShiftDays));
  if (shifted.some((v) => v === undefined)) {
    ctx.warnings.push(`${tag.slice(0, 4)},${tag.slice(4)} holds a malformed date; removed`);
    delete ds[tag];
    return;
  }
  element.Value = shifted as string[];
  delete element._rawValue;
}

function replacedUids(element: DicomElement, ctx: Context): unknown[] {
  return (element.Value ?? []).map((uid) =>
    typeof uid === "string" && uid.trim() !== "" ? replacementUid(ctx.secret, uid.replace(/\0/g, "").trim()) : uid,
  );
}

// D: "a non-zero length value that may be a dummy value and consistent with the VR" (PS3.15 E.1.1).
function dummyValue(vr: string): unknown[] {
  switch (vr) {
    case "PN":
      return [{ Alphabetic: "ANONYMIZED" }];
    case "AE":
    case "LO":
    case "SH":
    case "ST":
    case "LT":
    case "UT":
    case "UC":
    case "UR":
    case "CS":
      return ["ANONYMIZED"];
    case "AS":
      return ["000D"];
    case "TM":
      return ["000000"];
    case "US":
    case "SS":
    case "UL":
    case "SL":
    case "FL":
    case "FD":
    case "IS":
    case "DS":
      return [0];
    case "SQ":
      return [{}]; // one empty item: the sequence and all its contents replaced
    default:
      return [new ArrayBuffer(2)]; // binary VRs (OB, OW, UN...): two zero bytes
  }
}

function items(element: DicomElement): DicomDataset[] {
  return (element.Value ?? []).filter(
    (v): v is DicomDataset => typeof v === "object" && v !== null && !(v instanceof ArrayBuffer),
  );
}

function set(ds: DicomDataset, tag: string, vr: string, value: unknown[]) {
  ds[tag] = { vr, Value: value };
}

function firstString(element: DicomElement | undefined): string | undefined {
  const value = element?.Value?.[0];
  return typeof value === "string" && value.trim() !== "" ? value.replace(/\0/g, "").trim() : undefined;
}
