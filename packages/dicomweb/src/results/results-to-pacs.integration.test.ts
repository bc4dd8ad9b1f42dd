/* eslint-disable @typescript-eslint/no-explicit-any -- datasets read back from the PACS are checked field by field */
import dcmjs from "dcmjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dciodvfy, dsrdump, validatorsMissing } from "../../test/dicom-validators.ts";
import {
  fourViewStudy,
  instanceUidOf,
  seriesUidOf,
  studyUidOf,
  type StudyIdentity,
} from "../../test/four-view-study.ts";
import { orthancMissing, startOrthanc, type OrthancServer } from "../../test/orthanc-server.ts";
import { createDicomwebClient, type DicomwebClient } from "../dicomweb-client.ts";
import { buildHeatmapCapture, SECONDARY_CAPTURE } from "./heatmap-secondary-capture.ts";
import { buildMeasurementReport, COMPREHENSIVE_SR } from "./measurement-report-sr.ts";
import { code, type ResultImage } from "./result-context.ts";

// Must show 2: the SR (TID 1500) and the heatmap Secondary Capture, valid by dciodvfy and
// dsrdump, stored into the study's original UIDs on a real PACS (STOW-RS) and read back.
const STUDY: StudyIdentity = {
  patientId: "MRN-8801",
  patientName: "Result^Rose",
  accessionNumber: "ACC-8801",
  studyDate: "20220505",
  uidStem: "1.2.826.0.1.3680043.8.498.88001",
};
const MG = "1.2.840.10008.5.1.4.1.1.1.2";
const AUTHOR = {
  manufacturer: "Mammo Research Platform",
  softwareVersion: "test",
  deviceUid: "2.25.42",
  deviceName: "vgg16-test v3",
};
const image = (i: number, laterality: "R" | "L"): ResultImage => ({
  sopClassUid: MG,
  sopInstanceUid: instanceUidOf(STUDY, i),
  seriesInstanceUid: seriesUidOf(STUDY),
  widthPx: 64,
  heightPx: 80,
  laterality,
});
const natural = (bytes: Uint8Array) =>
  dcmjs.data.DicomMetaDictionary.naturalizeDataset(
    dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict,
  ) as Record<string, any>;

describe.skipIf(orthancMissing() ?? validatorsMissing())("results to the PACS: SR and heatmap", () => {
  let orthanc: OrthancServer;
  let pacs: DicomwebClient;
  beforeAll(async () => {
    orthanc = await startOrthanc();
    for (const file of await fourViewStudy(STUDY)) await orthanc.upload(file);
    pacs = createDicomwebClient({ baseUrl: orthanc.dicomwebUrl, auth: { kind: "NONE" } });
  });
  afterAll(async () => orthanc?.stop());

  const study = { ...STUDY, studyInstanceUid: studyUidOf(STUDY) };

  it("writes a TID 1500 Measurement Report that dciodvfy and dsrdump accept, and that comes back from the PACS with its references, codes and geometry", async () => {
    const outline = [10, 12, 40, 12, 40, 50, 10, 50, 10, 12];
    const report = buildMeasurementReport({
      study,
      author: AUTHOR,
      regions: [
        {
          image: image(0, "R"),
          shape: "POLYLINE",
          points: outline,
          finding: code("SOLID", "99MAMMO", "Solid type"),
          trackingId: "lesion 1",
        },
        {
          image: image(2, "R"),
          shape: "POINT",
          points: [31.5, 44],
          finding: code("SOLID", "99MAMMO", "Solid type"),
          trackingId: "lesion 1 (MLO)",
        },
      ],
    });
    const checked = await dciodvfy(report.bytes);
    expect(checked.errors, checked.lines.join("\n")).toEqual([]);
    const dump = await dsrdump(report.bytes);
    expect(dump.status, dump.output).toBe(0);
    expect(dump.output).toContain('<CONTAINER:(126000,DCM,"Imaging Measurement Report")=SEPARATE>');
    expect(dump.output).toContain(
      '<contains SCOORD:(111030,DCM,"Image Region")=(POLYLINE,10/12,40/12,40/50,10/50,10/12)>',
    );

    expect((await pacs.storeInstances([report.bytes])).storedSopInstanceUids).toEqual([report.sopInstanceUid]);
    const instances = await pacs.searchInstances(studyUidOf(STUDY));
    const stored = instances.find((i) => i.sopInstanceUid === report.sopInstanceUid)!;
    expect(stored).toMatchObject({ sopClassUid: COMPREHENSIVE_SR, studyInstanceUid: studyUidOf(STUDY) });
    const back = natural(await pacs.retrieveInstance(stored));
    expect([back.PatientID, back.AccessionNumber]).toEqual([STUDY.patientId, STUDY.accessionNumber]);
    expect(back.ContentTemplateSequence[0]).toMatchObject({ MappingResource: "DCMR", TemplateIdentifier: "1500" });
    const measurements = back.ContentSequence.find((c: any) => c.ConceptNameCodeSequence[0].CodeValue === "126010");
    const [first, second] = measurements.ContentSequence;
    const scoord = first.ContentSequence.find((c: any) => c.ValueType === "SCOORD");
    expect(scoord.GraphicType).toBe("POLYLINE");
    expect(scoord.GraphicData).toEqual(outline);
    expect(scoord.ContentSequence[0].ReferencedSOPSequence[0]).toMatchObject({
      ReferencedSOPClassUID: MG,
      ReferencedSOPInstanceUID: instanceUidOf(STUDY, 0),
    });
    expect(first.ContentSequence.find((c: any) => c.ValueType === "CODE").ConceptCodeSequence[0]).toMatchObject({
      CodeValue: "SOLID",
      CodingSchemeDesignator: "99MAMMO",
    });
    const point = second.ContentSequence.find((c: any) => c.ValueType === "SCOORD");
    expect([point.GraphicType, point.GraphicData]).toEqual(["POINT", [31.5, 44]]);
    expect(point.ContentSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID).toBe(instanceUidOf(STUDY, 2));
  });

  it("writes the heatmap as a Secondary Capture on the source image's grid, valid by dciodvfy, stored and read back", async () => {
    const display = new Uint8Array(64 * 80).fill(100);
    // A heatmap that peaks at its top-right cell: the capture must be red there and blue at the opposite corner.
    const heatmap = { width: 4, height: 5, data: new Float32Array(20) };
    heatmap.data[3] = 1;
    const capture = buildHeatmapCapture({
      study,
      author: AUTHOR,
      source: image(1, "L"),
      display,
      heatmap,
      method: "GRAD_CAM",
      layerName: "block5_conv3",
      className: "SCIRRHOUS",
      score: 0.8123,
      modelVersion: "vgg16-test v3",
    });
    const checked = await dciodvfy(capture.bytes);
    expect(checked.errors, checked.lines.join("\n")).toEqual([]);

    await pacs.storeInstances([capture.bytes]);
    const [ref] = (await pacs.searchInstances(studyUidOf(STUDY))).filter((i) => i.sopClassUid === SECONDARY_CAPTURE);
    const back = natural(await pacs.retrieveInstance(ref!));
    expect([back.Rows, back.Columns, back.SamplesPerPixel, back.PhotometricInterpretation]).toEqual([80, 64, 3, "RGB"]);
    expect(back.SourceImageSequence[0]).toMatchObject({
      ReferencedSOPClassUID: MG,
      ReferencedSOPInstanceUID: instanceUidOf(STUDY, 1),
    });
    expect(back.DerivationDescription).toBe(
      "GRAD_CAM heatmap, layer block5_conv3, class SCIRRHOUS, score 0.812, model vgg16-test v3",
    );
    expect(back.StudyInstanceUID).toBe(studyUidOf(STUDY));
    const rgb = new Uint8Array(back.PixelData[0]);
    const at = (x: number, y: number) => [...rgb.subarray((y * 64 + x) * 3, (y * 64 + x) * 3 + 3)];
    const [r1, , b1] = at(60, 2); // inside the peak cell
    const [r2, , b2] = at(2, 78); // far from it
    expect(r1).toBeGreaterThan(b1! + 50);
    expect(b2).toBeGreaterThan(r2! + 50);
  });
});
