// A synthetic four-view mammography study as a PACS holds it: original identifiers in the header,
// two views uncompressed and two JPEG-LS compressed (an independent encoder: dcmjs-codecs).
// Every instance has pixels of its own, as real views do: ingest refuses the same pixels under
// two patients and takes them as one image within a case.
import { buildDicom, patternPixels, transcode } from "@mammo/imaging/testing";

export type StudyIdentity = {
  patientId: string;
  patientName: string;
  accessionNumber: string;
  /** YYYYMMDD */
  studyDate: string;
  /** A numeric stem: study `<stem>.1`, series `<stem>.2`, instances `<stem>.3.<n>`. */
  uidStem: string;
};

export const VIEWS = [
  { laterality: "R", view: "CC" },
  { laterality: "L", view: "CC" },
  { laterality: "R", view: "MLO" },
  { laterality: "L", view: "MLO" },
] as const;

export const studyUidOf = (s: StudyIdentity) => `${s.uidStem}.1`;
export const seriesUidOf = (s: StudyIdentity) => `${s.uidStem}.2`;
export const instanceUidOf = (s: StudyIdentity, index: number) => `${s.uidStem}.3.${index + 1}`;

export async function fourViewStudy(s: StudyIdentity, sizePx = { width: 64, height: 80 }): Promise<Uint8Array[]> {
  return Promise.all(
    VIEWS.map(async ({ laterality, view }, i) => {
      const file = buildDicom({
        widthPx: sizePx.width,
        heightPx: sizePx.height,
        pixels: ownPixels(sizePx.width, sizePx.height, instanceUidOf(s, i)),
        attributes: {
          PatientID: s.patientId,
          PatientName: s.patientName,
          AccessionNumber: s.accessionNumber,
          StudyDate: s.studyDate,
          StudyInstanceUID: studyUidOf(s),
          SeriesInstanceUID: seriesUidOf(s),
          SOPInstanceUID: instanceUidOf(s, i),
          InstitutionName: "Hospital That Must Not Leak",
          ImageLaterality: laterality,
          ViewPosition: view,
          PixelSpacing: [0.1, 0.1],
          WindowCenter: 2048,
          WindowWidth: 4096,
        },
      });
      return i % 2 === 1 ? transcode(file, "JpegLsLossless") : file;
    }),
  );
}

/** The test pattern with the instance's UID written into its first pixels. */
function ownPixels(widthPx: number, heightPx: number, uid: string): Uint16Array {
  const pixels = patternPixels(widthPx, heightPx, 12);
  for (let k = 0; k < uid.length; k++) pixels[k] = uid.charCodeAt(k);
  return pixels;
}
