import { code, newResultInstance, newUid, writePart10, type ResultImage, type ResultInput } from "./result-context.ts";

export const COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";

/** A region on an image, in pixels of that image (origin at the top-left corner of the top-left pixel). */
export type ReportRegion = {
  image: ResultImage;
  shape: "POINT" | "POLYLINE" | "ELLIPSE";
  /** POINT: [x, y]; POLYLINE: closed outline [x1, y1, ..., x1, y1]; ELLIPSE: major axis ends then minor axis ends (8 values). */
  points: number[];
  /** What was found there, e.g. code("SOLID", "99MAMMO", "Solid-type invasive ductal carcinoma"). */
  finding: { CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string };
  trackingId: string;
  /** Free text kept with the region (e.g. who drew it, the AI's probability). */
  comment?: string;
};

export type MeasurementReportInput = ResultInput & {
  regions: ReportRegion[];
  seriesDescription?: string;
};

const SCHEME_NAMES: Record<string, string> = { "99MAMMO": "Mammo research platform local codes" };

/**
 * A DICOM Structured Report after TID 1500 (Measurement Report): an image library of the
 * referenced images and one TID 1410 planar-ROI measurement group per region, each with its
 * finding and an SCOORD selected from its image. Comprehensive SR, Explicit VR Little Endian.
 */
export function buildMeasurementReport(input: MeasurementReportInput): {
  bytes: Uint8Array;
  sopInstanceUid: string;
  seriesInstanceUid: string;
} {
  if (input.regions.length === 0) throw new Error("a measurement report needs at least one region");
  const { sopInstanceUid, seriesInstanceUid, attributes } = newResultInstance(input, {
    sopClassUid: COMPREHENSIVE_SR,
    modality: "SR",
    seriesNumber: 9001,
    seriesDescription: input.seriesDescription ?? "AI findings (Measurement Report)",
  });
  const images = [...new Map(input.regions.map((r) => [r.image.sopInstanceUid, r.image])).values()];
  const imageItem = (image: ResultImage, relationship: string) => ({
    RelationshipType: relationship,
    ValueType: "IMAGE",
    ReferencedSOPSequence: [
      { ReferencedSOPClassUID: image.sopClassUid, ReferencedSOPInstanceUID: image.sopInstanceUid },
    ],
  });
  const library = {
    RelationshipType: "CONTAINS",
    ValueType: "CONTAINER",
    ConceptNameCodeSequence: [code("111028", "DCM", "Image Library")],
    ContinuityOfContent: "SEPARATE",
    ContentSequence: [
      {
        RelationshipType: "CONTAINS",
        ValueType: "CONTAINER",
        ConceptNameCodeSequence: [code("126200", "DCM", "Image Library Group")],
        ContinuityOfContent: "SEPARATE",
        ContentSequence: images.map((image) => imageItem(image, "CONTAINS")),
      },
    ],
  };
  const groups = input.regions.map((region) => {
    checkRegion(region);
    return {
      RelationshipType: "CONTAINS",
      ValueType: "CONTAINER",
      ConceptNameCodeSequence: [code("125007", "DCM", "Measurement Group")],
      ContinuityOfContent: "SEPARATE",
      ContentTemplateSequence: [{ MappingResource: "DCMR", TemplateIdentifier: "1410" }],
      ContentSequence: [
        {
          RelationshipType: "HAS OBS CONTEXT",
          ValueType: "TEXT",
          ConceptNameCodeSequence: [code("112039", "DCM", "Tracking Identifier")],
          TextValue: region.trackingId,
        },
        {
          RelationshipType: "HAS OBS CONTEXT",
          ValueType: "UIDREF",
          ConceptNameCodeSequence: [code("112040", "DCM", "Tracking Unique Identifier")],
          UID: newUid(),
        },
        {
          RelationshipType: "CONTAINS",
          ValueType: "CODE",
          ConceptNameCodeSequence: [code("121071", "DCM", "Finding")],
          ConceptCodeSequence: [region.finding],
        },
        {
          RelationshipType: "CONTAINS",
          ValueType: "SCOORD",
          ConceptNameCodeSequence: [code("111030", "DCM", "Image Region")],
          GraphicType: region.shape,
          GraphicData: region.points,
          ContentSequence: [imageItem(region.image, "SELECTED FROM")],
        },
        ...(region.comment
          ? [
              {
                RelationshipType: "CONTAINS",
                ValueType: "TEXT",
                ConceptNameCodeSequence: [code("121106", "DCM", "Comment")],
                TextValue: region.comment,
              },
            ]
          : []),
      ],
    };
  });
  const schemes = [...new Set(input.regions.map((r) => r.finding.CodingSchemeDesignator))].filter(
    (s) => SCHEME_NAMES[s],
  );

  const dataset = {
    ...attributes,
    ReferencedPerformedProcedureStepSequence: [],
    PerformedProcedureCodeSequence: [],
    CompletionFlag: "COMPLETE",
    VerificationFlag: "UNVERIFIED",
    CodingSchemeIdentificationSequence: schemes.map((s) => ({
      CodingSchemeDesignator: s,
      CodingSchemeName: SCHEME_NAMES[s],
      CodingSchemeResponsibleOrganization: input.author.manufacturer,
    })),
    CurrentRequestedProcedureEvidenceSequence: [
      {
        StudyInstanceUID: input.study.studyInstanceUid,
        ReferencedSeriesSequence: [...new Set(images.map((i) => i.seriesInstanceUid))].map((series) => ({
          SeriesInstanceUID: series,
          ReferencedSOPSequence: images
            .filter((i) => i.seriesInstanceUid === series)
            .map((i) => ({ ReferencedSOPClassUID: i.sopClassUid, ReferencedSOPInstanceUID: i.sopInstanceUid })),
        })),
      },
    ],
    ValueType: "CONTAINER",
    ConceptNameCodeSequence: [code("126000", "DCM", "Imaging Measurement Report")],
    ContinuityOfContent: "SEPARATE",
    ContentTemplateSequence: [{ MappingResource: "DCMR", TemplateIdentifier: "1500" }],
    ContentSequence: [
      {
        RelationshipType: "HAS CONCEPT MOD",
        ValueType: "CODE",
        ConceptNameCodeSequence: [code("121049", "DCM", "Language of Content Item and Descendants")],
        ConceptCodeSequence: [code("eng", "RFC5646", "English")],
      },
      {
        RelationshipType: "HAS OBS CONTEXT",
        ValueType: "CODE",
        ConceptNameCodeSequence: [code("121005", "DCM", "Observer Type")],
        ConceptCodeSequence: [code("121007", "DCM", "Device")],
      },
      {
        RelationshipType: "HAS OBS CONTEXT",
        ValueType: "UIDREF",
        ConceptNameCodeSequence: [code("121012", "DCM", "Device Observer UID")],
        UID: input.author.deviceUid,
      },
      {
        RelationshipType: "HAS OBS CONTEXT",
        ValueType: "TEXT",
        ConceptNameCodeSequence: [code("121013", "DCM", "Device Observer Name")],
        TextValue: input.author.deviceName,
      },
      {
        RelationshipType: "HAS CONCEPT MOD",
        ValueType: "CODE",
        ConceptNameCodeSequence: [code("121058", "DCM", "Procedure reported")],
        ConceptCodeSequence: [code("71651007", "SCT", "Mammography")],
      },
      library,
      {
        RelationshipType: "CONTAINS",
        ValueType: "CONTAINER",
        ConceptNameCodeSequence: [code("126010", "DCM", "Imaging Measurements")],
        ContinuityOfContent: "SEPARATE",
        ContentSequence: groups,
      },
    ],
  };
  return { bytes: writePart10(dataset), sopInstanceUid, seriesInstanceUid };
}

function checkRegion(region: ReportRegion) {
  const n = region.points.length;
  const ok = region.shape === "POINT" ? n === 2 : region.shape === "ELLIPSE" ? n === 8 : n >= 8 && n % 2 === 0;
  if (!ok) throw new Error(`region ${region.trackingId}: ${n} values do not make a ${region.shape}`);
  const { widthPx, heightPx } = region.image;
  for (let i = 0; i < n; i += 2) {
    const [x, y] = [region.points[i]!, region.points[i + 1]!];
    if (!(x >= 0 && y >= 0 && x <= widthPx && y <= heightPx))
      throw new Error(`region ${region.trackingId}: point (${x}, ${y}) lies outside the ${widthPx}x${heightPx} image`);
  }
}
