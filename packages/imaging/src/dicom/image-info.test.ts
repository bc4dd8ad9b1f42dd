import { describe, expect, it } from "vitest";
import { buildDicom } from "../../test/fixtures/synthetic-dicom.ts";
import { DEFAULT_IMAGING_LIMITS } from "../limits.ts";
import { readImageInfo } from "./image-info.ts";
import { readDicomFile } from "./read-dicom.ts";

const info = (options: Parameters<typeof buildDicom>[0]) =>
  readImageInfo(readDicomFile(buildDicom(options)), DEFAULT_IMAGING_LIMITS);
const codeItem = (value: string, scheme: string, meaning: string) => ({
  CodeValue: value,
  CodingSchemeDesignator: scheme,
  CodeMeaning: meaning,
});

describe("mammography header", () => {
  it("takes laterality from Image Laterality (0020,0062), else Laterality (0020,0060)", () => {
    expect(info({ attributes: { ImageLaterality: "R" } }).laterality).toBe("R");
    expect(info({ attributes: { ImageLaterality: undefined, Laterality: "L" } }).laterality).toBe("L");
    expect(info({ attributes: { ImageLaterality: "B" } }).laterality).toBeUndefined();
  });

  it("takes the view from View Position (0018,5101) or the View Code Sequence", () => {
    expect(info({ attributes: { ViewPosition: "MLO" } })).toMatchObject({ view: "MLO" });
    expect(
      info({
        attributes: { ViewPosition: undefined, ViewCodeSequence: [codeItem("R-10242", "SRT", "cranio-caudal")] },
      }),
    ).toMatchObject({ view: "CC" });
    expect(
      info({
        attributes: {
          ViewPosition: undefined,
          ViewCodeSequence: [codeItem("399368009", "SCT", "medio-lateral oblique")],
        },
      }),
    ).toMatchObject({ view: "MLO" });
    expect(
      info({
        attributes: {
          ViewPosition: "",
          ViewCodeSequence: [codeItem("R-1024A", "SRT", "cranio-caudal exaggerated laterally")],
        },
      }),
    ).toMatchObject({ view: "OTHER", viewCode: "XCCL" });
    expect(info({ attributes: { ViewPosition: "ML" } })).toMatchObject({ view: "OTHER", viewCode: "ML" });
  });

  it("records view modifiers from the View Modifier Code Sequence (CID 4015), not a plain CC", () => {
    // A spot compression CC as vendors write it: the modifier nested in the view code item.
    const spot = info({
      attributes: {
        ViewPosition: "CC",
        ViewCodeSequence: [
          {
            ...codeItem("R-10242", "SRT", "cranio-caudal"),
            ViewModifierCodeSequence: [codeItem("R-102D7", "SRT", "Spot Compression")],
          },
        ],
      },
    });
    expect(spot).toMatchObject({ view: "CC", viewModifiers: ["SPOT_COMPRESSION"] });
    // SNOMED CT codes, several modifiers, and the sequence at the top level as some writers put it.
    const magnifiedSpot = info({
      attributes: {
        ViewPosition: undefined,
        ViewCodeSequence: [codeItem("399368009", "SCT", "medio-lateral oblique")],
        ViewModifierCodeSequence: [
          codeItem("399163009", "SCT", "Magnification"),
          codeItem("399055006", "SCT", "Spot Compression"),
        ],
      },
    });
    expect(magnifiedSpot).toMatchObject({ view: "MLO", viewModifiers: ["MAGNIFICATION", "SPOT_COMPRESSION"] });
    const implant = info({
      attributes: {
        ViewCodeSequence: [
          {
            ...codeItem("R-10242", "SRT", "cranio-caudal"),
            ViewModifierCodeSequence: [codeItem("R-102D5", "SRT", "Implant Displaced")],
          },
        ],
      },
    });
    expect(implant.viewModifiers).toEqual(["IMPLANT_DISPLACED"]);
    const unknown = info({
      attributes: { ViewModifierCodeSequence: [codeItem("99X-1", "99LOCAL", "Local modifier")] },
    });
    expect(unknown.viewModifiers).toEqual(["OTHER"]);
    expect(unknown.warnings.join()).toMatch(/View Modifier code 99X-1 is not in CID 4015/);
    expect(info({}).viewModifiers).toEqual([]);
  });

  it("reads View Position's ACR abbreviations and CID 4014 codes for the other views", () => {
    const position = (ViewPosition: string) => {
      const { view, viewCode, viewModifiers } = info({ attributes: { ViewPosition } });
      return { view, viewCode, viewModifiers };
    };
    expect(position("SCC")).toEqual({ view: "CC", viewCode: undefined, viewModifiers: ["SPOT_COMPRESSION"] });
    expect(position("MMLO")).toEqual({ view: "MLO", viewCode: undefined, viewModifiers: ["MAGNIFICATION"] });
    expect(position("MLOID")).toEqual({ view: "MLO", viewCode: undefined, viewModifiers: ["IMPLANT_DISPLACED"] });
    expect(position("MCCID")).toEqual({
      view: "CC",
      viewCode: undefined,
      viewModifiers: ["IMPLANT_DISPLACED", "MAGNIFICATION"],
    });
    expect(position("L CC")).toEqual({ view: "CC", viewCode: undefined, viewModifiers: [] });
    expect(position("XCCL")).toEqual({ view: "OTHER", viewCode: "XCCL", viewModifiers: [] });
    expect(position("CV")).toEqual({ view: "OTHER", viewCode: "CV", viewModifiers: ["CLEAVAGE"] });
    expect(position("SIO")).toEqual({ view: "OTHER", viewCode: "SIO", viewModifiers: [] });
    const coded = (value: string) =>
      info({ attributes: { ViewPosition: undefined, ViewCodeSequence: [codeItem(value, "SCT", "")] } }).viewCode;
    expect([coded("399192008"), coded("441555000"), coded("399196006")]).toEqual(["XCCL", "ISO", "FB"]);
  });

  it("recognises mammography by SOP Class UID when Modality is missing, and refuses other modalities", () => {
    expect(info({ attributes: { Modality: undefined } })).toMatchObject({
      modality: undefined,
      presentationIntent: "FOR_PRESENTATION",
    });
    expect(() => info({ attributes: { Modality: "CT", SOPClassUID: "1.2.840.10008.5.1.4.1.1.2" } })).toThrow(
      /not a mammogram: Modality is CT/,
    );
  });

  it("tells FOR PRESENTATION from FOR PROCESSING (attribute first, else SOP Class)", () => {
    expect(info({ attributes: { PresentationIntentType: "FOR PROCESSING" } }).presentationIntent).toBe(
      "FOR_PROCESSING",
    );
    expect(
      info({ attributes: { PresentationIntentType: undefined, SOPClassUID: "1.2.840.10008.5.1.4.1.1.1.2.1" } })
        .presentationIntent,
    ).toBe("FOR_PROCESSING");
  });

  it("reads Pixel Spacing, else Imager Pixel Spacing", () => {
    expect(info({ attributes: { PixelSpacing: [0.07, 0.065] } }).pixelSpacingMm).toEqual({ row: 0.07, col: 0.065 });
    expect(info({ attributes: { ImagerPixelSpacing: [0.1, 0.1] } }).pixelSpacingMm).toEqual({ row: 0.1, col: 0.1 });
  });

  it("reads UTF-8 text under Specific Character Set ISO_IR 192", () => {
    const file = readDicomFile(
      buildDicom({
        attributes: {
          SpecificCharacterSet: "ISO_IR 192",
          PatientName: "山田^花子",
          StudyDescription: "マンモグラフィ",
        },
      }),
    );
    expect(file.dict["00081030"]!.Value).toEqual(["マンモグラフィ"]);
    expect(file.dict["00100010"]!.Value).toEqual([{ Alphabetic: "山田^花子" }]);
  });

  it("ignores malformed values instead of failing: invalid Patient's Age, DS garbage, zero window width", () => {
    const result = info({
      attributes: { PatientAge: "45 years", RescaleSlope: undefined, WindowCenter: 100, WindowWidth: 0 },
      elements: { "00281053": { vr: "DS", Value: ["abc"] }, "00280030": { vr: "DS", Value: ["x", "y"] } },
    });
    expect(result.rescaleSlope).toBe(1);
    expect(result.windows).toEqual([]);
    expect(result.pixelSpacingMm).toBeUndefined();
    expect(result.warnings.join("; ")).toMatch(
      /Rescale Slope is not a number.*Window Width 0 is below 1.*Pixel Spacing is malformed/,
    );
  });

  it("refuses images over the pixel limit before decoding anything", () => {
    const file = readDicomFile(buildDicom({ widthPx: 100, heightPx: 100 }));
    expect(() => readImageInfo(file, { ...DEFAULT_IMAGING_LIMITS, maxPixels: 9_999 })).toThrow(
      /100x100 = 10000 pixels; the limit is 9999/,
    );
  });

  it("refuses colour images and missing geometry with errors that name the attribute", () => {
    expect(() => info({ photometric: "RGB" })).toThrow(
      /only greyscale images are accepted \(Photometric Interpretation RGB/,
    );
    expect(() => info({ attributes: { Rows: undefined } })).toThrow(/Rows \(0028,0010\) is missing/);
  });
});
