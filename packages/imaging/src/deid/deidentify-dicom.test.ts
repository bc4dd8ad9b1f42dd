import dcmjs, { type DicomDataset } from "dcmjs";
import { describe, expect, it } from "vitest";
import { buildDicom, patternPixels, transcode } from "../../test/fixtures/synthetic-dicom.ts";
import { decodeDicomPixels } from "../dicom/decode-pixels.ts";
import { readImageInfo } from "../dicom/image-info.ts";
import { readDicomFile } from "../dicom/read-dicom.ts";
import { DEFAULT_IMAGING_LIMITS } from "../limits.ts";
import { BASIC_PROFILE } from "./basic-profile-table.ts";
import { DEIDENTIFICATION_METHOD, deidentifyDicom } from "./deidentify-dicom.ts";
import { replacementUid } from "./pseudonyms.ts";

const { dictionary } = dcmjs.data.DicomMetaDictionary;
const SECRET = "test-deid-secret";
const options = { secret: SECRET, patientPseudonym: "P-0042", dateShiftDays: -100 };

// Canary values: text that must not survive anywhere in the output, per value representation.
const TEXT_VRS = new Set(["AE", "AS", "CS", "LO", "LT", "SH", "ST", "UC", "UT", "UR"]);
const CANARY_DATE = "19770707";
const CANARY_TIME = "235959";

type Planted = { tags: string[]; uids: string[] };

/** Plants a canary in every Table E.1-1 attribute whose VR can carry one; returns what was planted. */
function plantCanaries(where: string, uidBase: string): { elements: DicomDataset; planted: Planted } {
  const elements: DicomDataset = {};
  const planted: Planted = { tags: [], uids: [] };
  for (const tag of BASIC_PROFILE.keys()) {
    const group = tag.slice(0, 4);
    if (["0000", "0002", "0004", "FFFA", "FFFC"].includes(group)) continue; // command, meta, DICOMDIR, trailing
    const entry = dictionary[`(${group},${tag.slice(4)})`];
    if (!entry) continue;
    const vr = entry.vr;
    let value: unknown[] | undefined;
    if (TEXT_VRS.has(vr)) value = [`CANARY${where}${tag}`];
    else if (vr === "PN") value = [{ Alphabetic: `CANARY${where}^${tag}` }];
    else if (vr === "DA") value = [CANARY_DATE];
    else if (vr === "DT") value = [`${CANARY_DATE}101010`];
    else if (vr === "TM") value = [CANARY_TIME];
    else if (vr === "UI") {
      const uid = `${uidBase}.${parseInt(tag, 16)}`;
      planted.uids.push(uid);
      value = [uid];
    } else if (vr === "SQ") value = [{ "00080104": { vr: "LO", Value: [`CANARY${where}SQ${tag}`] } }];
    if (!value) continue;
    elements[tag] = { vr, Value: value };
    planted.tags.push(tag);
  }
  // Private attributes (creator + element), and an overlay comment and curve data (group rules).
  elements["00090010"] = { vr: "LO", Value: [`CANARY${where}PRIVATECREATOR`] };
  elements["00091001"] = { vr: "LO", Value: [`CANARY${where}PRIVATE`] };
  elements["60004000"] = { vr: "LT", Value: [`CANARY${where}OVERLAY`] };
  elements["50000022"] = { vr: "LO", Value: [`CANARY${where}CURVE`] };
  return { elements, planted };
}

function fixture() {
  const top = plantCanaries("TOP", "1.2.999.1");
  const nested = plantCanaries("NESTED", "1.2.999.2");
  const referenced = "1.2.999.3.77";
  const elements: DicomDataset = {
    ...top.elements,
    // A sequence the profile keeps: everything inside it must be cleaned too.
    "00082218": { vr: "SQ", Value: [{ ...nested.elements, "00080100": { vr: "SH", Value: ["T-04000"] } }] },
    // X/Z/U*: kept, its instance UIDs replaced.
    "00081140": {
      vr: "SQ",
      Value: [
        {
          "00081150": { vr: "UI", Value: ["1.2.840.10008.5.1.4.1.1.1.2"] },
          "00081155": { vr: "UI", Value: [referenced] },
        },
      ],
    },
  };
  const attributes = { Manufacturer: "KEEP-ACME", SpecificCharacterSet: "ISO_IR 192", BodyPartExamined: "BREAST" };
  return { bytes: buildDicom({ attributes, elements }), top, nested, referenced };
}

describe("de-identification (PS3.15 Annex E Basic Profile)", () => {
  it("leaves no canary from any Table E.1-1 attribute, at the top level, nested or private", () => {
    const { bytes, top, nested } = fixture();
    expect(top.planted.tags.length).toBeGreaterThan(300);
    expect(nested.planted.tags.length).toBe(top.planted.tags.length);
    expect(Buffer.from(bytes).toString("latin1")).toContain("CANARYTOP");

    const result = deidentifyDicom(readDicomFile(bytes), options);
    const text = Buffer.from(result.bytes).toString("utf8");
    const survivors = [...text.matchAll(/CANARY[A-Z]*[0-9A-F]*/g)].map((m) => m[0]);
    expect(survivors).toEqual([]);
    for (const uid of [...top.planted.uids, ...nested.planted.uids]) expect(text).not.toContain(uid);
    expect(text).not.toContain(CANARY_DATE);
    expect(text).not.toContain(CANARY_TIME);
    expect(text).not.toContain("Test^Patient");
    expect(text).not.toContain("PID-0001");
    expect(text).toContain("KEEP-ACME"); // attributes outside the table are kept
  });

  it("records the de-identification and replaces the patient with the pseudonym", () => {
    const result = deidentifyDicom(readDicomFile(fixture().bytes), options);
    const ds = readDicomFile(result.bytes).dict;
    expect(ds["00120062"]!.Value).toEqual(["YES"]);
    expect(ds["00120063"]!.Value![0]).toBe(DEIDENTIFICATION_METHOD.slice(0, 64));
    expect((ds["00120064"]!.Value as DicomDataset[]).map((item) => item["00080100"]!.Value![0])).toEqual([
      "113100",
      "113107",
    ]);
    expect(ds["00100010"]!.Value).toEqual([{ Alphabetic: "P-0042" }]);
    expect(ds["00100020"]!.Value).toEqual(["P-0042"]);
    expect((ds["00100030"]?.Value ?? []).filter((v) => v !== "")).toEqual([]); // birth date emptied, not shifted
    expect(ds["00080020"]!.Value).toEqual(["19770329"]); // the planted 1977-07-07, 100 days earlier
  });

  it("maps UIDs consistently and unguessably: same original, same replacement, across files", () => {
    const first = fixture();
    const a = readDicomFile(deidentifyDicom(readDicomFile(first.bytes), options).bytes).dict;
    const b = readDicomFile(deidentifyDicom(readDicomFile(first.bytes), options).bytes).dict;
    const study = a["0020000D"]!.Value![0] as string;
    expect(study).toBe(b["0020000D"]!.Value![0]);
    expect(study).toMatch(/^2\.25\.\d{10,39}$/);
    const originalStudyUid = `1.2.999.1.${parseInt("0020000D", 16)}`; // as planted
    expect(study).toBe(replacementUid(SECRET, originalStudyUid));
    expect(replacementUid("another-secret", originalStudyUid)).not.toBe(study);
    // A reference to another instance maps to that instance's new UID; class UIDs are kept.
    const reference = (a["00081140"]!.Value as DicomDataset[])[0]!;
    expect(reference["00081155"]!.Value).toEqual([replacementUid(SECRET, first.referenced)]);
    expect(reference["00081150"]!.Value).toEqual(["1.2.840.10008.5.1.4.1.1.1.2"]);
    // The file meta header carries the new SOP Instance UID too.
    expect(readDicomFile(deidentifyDicom(readDicomFile(first.bytes), options).bytes).meta["00020003"]!.Value).toEqual([
      a["00080018"]!.Value![0],
    ]);
  });

  it("keeps the pixels bit for bit: native (explicit and implicit VR) and compressed", async () => {
    const pixels = patternPixels(48, 40, 12);
    const native = buildDicom({ pixels });
    const inputs = [
      native,
      buildDicom({ pixels, transferSyntaxUid: "1.2.840.10008.1.2" }),
      await transcode(native, "JpegLsLossless"),
      await transcode(native, "RleLossless"),
    ];
    for (const input of inputs) {
      const out = deidentifyDicom(readDicomFile(input), options).bytes;
      const file = readDicomFile(out);
      const image = await decodeDicomPixels(file, readImageInfo(file, DEFAULT_IMAGING_LIMITS));
      expect(Array.from(image.samples)).toEqual(Array.from(pixels));
    }
  });

  it("removes a malformed date it cannot shift, and keeps going", () => {
    const result = deidentifyDicom(readDicomFile(buildDicom({ attributes: { StudyDate: "2020-13-45" } })), options);
    expect(result.studyDate).toBeUndefined();
    expect(result.warnings.join()).toMatch(/0008,0020 holds a malformed date; removed/);
  });
});
