import type { DicomDataset } from "dcmjs";
import { describe, expect, it } from "vitest";
import { buildDicom, patternPixels, transcode } from "../../test/fixtures/synthetic-dicom.ts";
import { decodeDicomPixels } from "../dicom/decode-pixels.ts";
import { readImageInfo } from "../dicom/image-info.ts";
import { readDicomFile } from "../dicom/read-dicom.ts";
import { DEFAULT_IMAGING_LIMITS } from "../limits.ts";
import { DEIDENTIFICATION_METHOD, deidentifyDicom } from "./deidentify-dicom.ts";
import { replacementUid } from "./pseudonyms.ts";

const SECRET = "test-deid-secret";
const options = { secret: SECRET, patientPseudonym: "P-0042", dateShiftDays: -100 };
const ORIGINAL_STUDY_UID = "1.2.999.1.2097165";

// Every Table E.1-1 row is checked against the published table in deidentify-standard.test.ts;
// these tests cover what the table does not say: the pseudonym, the record of the method, the UID
// mapping, the pixels and malformed values.
function fixture() {
  const referenced = "1.2.999.3.77";
  const elements: DicomDataset = {
    "0020000D": { vr: "UI", Value: [ORIGINAL_STUDY_UID] },
    "00080020": { vr: "DA", Value: ["19770707"] },
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
  return { bytes: buildDicom({ attributes, elements }), referenced };
}

describe("de-identification (PS3.15 Annex E Basic Profile)", () => {
  it("records the de-identification and replaces the patient with the pseudonym", () => {
    const result = deidentifyDicom(readDicomFile(fixture().bytes), options);
    const ds = readDicomFile(result.bytes).dict;
    expect(ds["00120062"]!.Value).toEqual(["YES"]);
    // LO allows 64 characters a value: the method is stated whole, one statement per value.
    expect(ds["00120063"]!.Value).toEqual([...DEIDENTIFICATION_METHOD]);
    expect((ds["00120063"]!.Value as string[]).every((v) => v.length <= 64)).toBe(true);
    expect((ds["00120063"]!.Value as string[]).join("; ")).toMatch(/Modified Dates Option.*HMAC-SHA256/);
    expect((ds["00120064"]!.Value as DicomDataset[]).map((item) => item["00080100"]!.Value![0])).toEqual([
      "113100",
      "113107",
    ]);
    expect(ds["00100010"]!.Value).toEqual([{ Alphabetic: "P-0042" }]);
    expect(ds["00100020"]!.Value).toEqual(["P-0042"]);
    expect(ds["00080070"]!.Value).toEqual(["KEEP-ACME"]); // attributes outside the table are kept
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
    expect(study).toBe(replacementUid(SECRET, ORIGINAL_STUDY_UID));
    expect(replacementUid("another-secret", ORIGINAL_STUDY_UID)).not.toBe(study);
    // A reference to another instance maps to that instance's new UID; class UIDs are kept.
    const reference = (a["00081140"]!.Value as DicomDataset[])[0]!;
    expect(reference["00081155"]!.Value).toEqual([replacementUid(SECRET, first.referenced)]);
    expect(reference["00081150"]!.Value).toEqual(["1.2.840.10008.5.1.4.1.1.1.2"]);
    // The file meta header names this de-identifier, not the source's implementation (E.1.1, 7).
    const meta = readDicomFile(deidentifyDicom(readDicomFile(first.bytes), options).bytes).meta;
    expect(meta["00020012"]!.Value).toEqual(["2.25.296423974051332919636503230883638087296"]);
    expect(meta["00020013"]!.Value).toEqual(["MAMMO_DEID_1"]);
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
