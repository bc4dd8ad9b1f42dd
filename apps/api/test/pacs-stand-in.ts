// A stand-in PACS and a DICOM case to send to it: for the tests of who may use a site's PACS
// (the authorisation matrix, the blinding walk), not of what a PACS answers.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "@mammo/db";
import { buildDicom } from "@mammo/imaging/testing";
import type { BlobStore } from "@mammo/storage";

const ONE_HEATMAP = [
  {
    "00080016": { vr: "UI", Value: ["1.2.840.10008.5.1.4.1.1.7"] },
    "00080018": { vr: "UI", Value: ["2.25.1001"] },
    "0020000E": { vr: "UI", Value: ["2.25.1002"] },
  },
];
/**
 * A stand-in DICOMweb server on a free port: it finds no studies, one heatmap (Secondary Capture)
 * in any study's instances, and accepts what is stored. Who may use a PACS is tested against it
 * (pacs.integration.test.ts runs a real Orthanc for what a PACS answers).
 */
export async function standInDicomweb(): Promise<string> {
  const server = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "application/dicom+json" });
    res.end(JSON.stringify(req.method === "GET" && /\/instances(\?|$)/.test(req.url ?? "") ? ONE_HEATMAP : []));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`;
}

/** A case with one (de-identified) DICOM image and a lesion box: something to send to a PACS. */
export async function dicomCaseWithRegion(
  api: { db: Db; blobs: BlobStore },
  siteId: string,
  authorId: string,
): Promise<string> {
  const { db, blobs } = api;
  const n = Math.floor(Math.random() * 1e9);
  const bytes = buildDicom({
    attributes: { SOPInstanceUID: `2.25.${n}1`, StudyInstanceUID: `2.25.${n}2`, SeriesInstanceUID: `2.25.${n}3` },
  });
  const stored = await blobs.put(bytes);
  await db.blob.create({
    data: { sha256: stored.sha256, sizeBytes: BigInt(stored.sizeBytes), mediaType: "application/dicom" },
  });
  const patient = await db.patient.create({ data: { siteId, pseudonym: `pacs-matrix-${n}`, dateShiftDays: -10 } });
  const exam = await db.case.create({ data: { siteId, patientId: patient.id, accessionKey: `pacs-matrix-${n}` } });
  const image = await db.image.create({
    data: {
      caseId: exam.id,
      laterality: "L",
      view: "CC",
      widthPx: 48,
      heightPx: 40,
      bitsStored: 12,
      photometric: "MONOCHROME2",
      sourceFormat: "DICOM",
      contentSha256: stored.sha256,
      storageKey: stored.key,
      sopInstanceUid: `2.25.${n}1`,
    },
  });
  await db.annotation.create({
    data: {
      imageId: image.id,
      authorId,
      purpose: "LESION",
      shape: "BOX",
      geometry: { x: 1, y: 1, width: 3, height: 4 },
    },
  });
  return exam.id;
}
