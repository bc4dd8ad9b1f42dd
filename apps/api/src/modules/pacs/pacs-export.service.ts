import dcmjs from "dcmjs";
import type { Db, Prisma } from "@mammo/db";
import {
  buildHeatmapCapture,
  buildMeasurementReport,
  code,
  openJson,
  type ReportRegion,
  type ResultImage,
  type ResultStudy,
} from "@mammo/dicomweb";
import { renderDisplayPixels } from "@mammo/imaging";
import { readHeatmapPng } from "@mammo/ml-core/heatmap-png";
import type { BlobStore } from "@mammo/storage";
import { z } from "zod";
import { hasRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { visibleCasesWhere } from "../cases/case.service.ts";
import { callPacs } from "./pacs-errors.ts";
import { openPacs, PACS_ROLES } from "./pacs.service.ts";

const exportInput = z.object({
  caseId: z.uuid(),
  connectionId: z.uuid(),
  /** ORIGINAL: the PACS's own UIDs and patient (the case must have come from this PACS); DEIDENTIFIED: the platform's. */
  identifiers: z.enum(["ORIGINAL", "DEIDENTIFIED"]),
  includeRegions: z.boolean(),
  saliencyMapIds: z.array(z.uuid()).max(16),
});

const SUBTYPE_MEANINGS: Record<string, string> = {
  TUBULE_FORMING: "Invasive ductal carcinoma, tubule forming type",
  SOLID: "Invasive ductal carcinoma, solid type",
  SCIRRHOUS: "Invasive ductal carcinoma, scirrhous type",
  OTHER_INVASIVE: "Other invasive carcinoma",
  BENIGN: "Benign",
  NORMAL: "Normal",
};

const AUTHOR = {
  manufacturer: "Mammo Research Platform",
  softwareVersion: "1",
  deviceUid: "2.25.186083311917035374924463893802553212947",
  deviceName: "mammo research platform",
};

type CaseImage = {
  id: string;
  sopInstanceUid: string | null;
  storageKey: string;
  widthPx: number;
  heightPx: number;
  laterality: "R" | "L";
};

/**
 * Sends a case's results to a PACS (STOW-RS): its regions of interest as one TID 1500 SR and
 * each chosen heatmap as a Secondary Capture, referring to the study as that PACS knows it
 * (ORIGINAL, from the site's de-identification map) or as the platform stores it (DEIDENTIFIED).
 */
export async function exportResultsToPacs(
  deps: { db: Db; blobs: BlobStore; sealingSecret: string },
  viewer: Viewer,
  input: z.input<typeof exportInput>,
  requestId?: string,
) {
  const { db } = deps;
  const args = parseInput(exportInput, input);
  const exam = await db.case.findFirst({
    where: { AND: [visibleCasesWhere(viewer), { id: args.caseId }] },
    include: {
      patient: true,
      images: { where: { status: "ACTIVE" }, orderBy: [{ laterality: "asc" }, { view: "asc" }] },
      pacsStudyLinks: { include: { instances: true } },
    },
  });
  if (!exam) throw new AppError("NOT_FOUND", "caseId: case not found", { field: "caseId" });
  if (!hasRole(viewer, exam.siteId, ...PACS_ROLES))
    throw forbidden("only the site's admins and coordinators send results to a PACS");
  const { connection, client } = await openPacs(db, deps.sealingSecret, viewer, args.connectionId);
  if (connection.siteId !== exam.siteId)
    throw new AppError("VALIDATION", "connectionId: the PACS belongs to another site", { field: "connectionId" });

  const resolved =
    args.identifiers === "ORIGINAL"
      ? originalIdentifiers(exam, connection.id, deps.sealingSecret)
      : await deidentifiedIdentifiers(deps.blobs, exam);
  const files: Uint8Array[] = [];
  const created: { kind: string; sopInstanceUid: string }[] = [];

  if (args.includeRegions) {
    const regions = await regionsOf(db, exam.images, resolved.images);
    if (regions.length === 0)
      throw new AppError("VALIDATION", "includeRegions: the case has no regions of interest", {
        field: "includeRegions",
      });
    const report = buildMeasurementReport({ study: resolved.study, author: AUTHOR, regions });
    files.push(report.bytes);
    created.push({ kind: "MEASUREMENT_REPORT", sopInstanceUid: report.sopInstanceUid });
  }
  for (const capture of await heatmapsOf(deps, exam, resolved, args.saliencyMapIds)) {
    files.push(capture.bytes);
    created.push({ kind: "HEATMAP", sopInstanceUid: capture.sopInstanceUid });
  }
  if (files.length === 0)
    throw new AppError("VALIDATION", "nothing to send: choose regions or heatmaps", { field: "saliencyMapIds" });

  await callPacs(() => client.storeInstances(files));
  await db.$transaction((tx) =>
    recordAudit(tx, {
      actorId: viewer.userId,
      siteId: exam.siteId,
      action: "pacs.exportResults",
      entityType: "Case",
      entityId: exam.id,
      after: { connection: connection.name, identifiers: args.identifiers, objects: created },
      requestId,
    }),
  );
  return { studyInstanceUid: resolved.study.studyInstanceUid, objects: created };
}

type Resolved = { study: ResultStudy; images: Map<string, ResultImage> };
type ExamRow = Prisma.CaseGetPayload<{
  include: { patient: true; images: true; pacsStudyLinks: { include: { instances: true } } };
}>;

function originalIdentifiers(exam: ExamRow, connectionId: string, secret: string): Resolved {
  const link = exam.pacsStudyLinks.find((l) => l.connectionId === connectionId);
  if (!link)
    throw new AppError(
      "VALIDATION",
      "identifiers: this case did not come from that PACS; send it with DEIDENTIFIED identifiers",
      {
        field: "identifiers",
      },
    );
  const identity = openJson<{ patientId: string; patientName: string; accessionNumber: string; studyDate: string }>(
    secret,
    `study-link:${link.siteId}:${link.originalStudyUid}`,
    link.sealedIdentity,
  );
  const images = new Map<string, ResultImage>();
  for (const image of exam.images) {
    const original = link.instances.find((i) => i.deidSopUid === image.sopInstanceUid);
    if (!original) continue;
    images.set(image.id, {
      sopClassUid: original.sopClassUid,
      sopInstanceUid: original.originalSopUid,
      seriesInstanceUid: original.originalSeriesUid,
      widthPx: image.widthPx,
      heightPx: image.heightPx,
      laterality: image.laterality,
    });
  }
  return { study: { studyInstanceUid: link.originalStudyUid, ...identity }, images };
}

async function deidentifiedIdentifiers(blobs: BlobStore, exam: ExamRow): Promise<Resolved> {
  const images = new Map<string, ResultImage>();
  let studyInstanceUid = "";
  for (const image of exam.images) {
    if (!image.sopInstanceUid) continue; // PNG/JPEG imports have no DICOM identity to refer to
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(
      dcmjs.data.DicomMessage.readFile(new Uint8Array(await blobs.get(image.storageKey)).buffer).dict,
    );
    studyInstanceUid ||= String(ds.StudyInstanceUID);
    images.set(image.id, {
      sopClassUid: String(ds.SOPClassUID),
      sopInstanceUid: image.sopInstanceUid,
      seriesInstanceUid: String(ds.SeriesInstanceUID),
      widthPx: image.widthPx,
      heightPx: image.heightPx,
      laterality: image.laterality,
    });
  }
  if (!studyInstanceUid)
    throw new AppError("VALIDATION", "identifiers: the case has no DICOM images to refer to", { field: "identifiers" });
  const pseudonym = exam.patient.pseudonym;
  return {
    study: {
      studyInstanceUid,
      patientId: pseudonym,
      patientName: pseudonym,
      accessionNumber: exam.accessionKey.slice(0, 16),
      studyDate: exam.examDate ? exam.examDate.toISOString().slice(0, 10).replace(/-/g, "") : "",
    },
    images,
  };
}

async function regionsOf(db: Db, images: CaseImage[], resolved: Map<string, ResultImage>): Promise<ReportRegion[]> {
  const annotations = await db.annotation.findMany({
    where: { imageId: { in: images.map((i) => i.id) }, deletedAt: null, purpose: { in: ["LESION", "FINDING"] } },
    include: { finding: { select: { truthSubtype: true } } }, // a region is named by its finding's truth
    orderBy: { createdAt: "asc" },
  });
  return annotations.flatMap((a, i) => {
    const image = resolved.get(a.imageId);
    if (!image) return [];
    const subtype = a.finding?.truthSubtype;
    return [
      {
        image,
        ...scoordOf(a.shape, a.geometry as Record<string, unknown>),
        finding: subtype
          ? code(subtype, "99MAMMO", SUBTYPE_MEANINGS[subtype] ?? subtype)
          : code(a.purpose, "99MAMMO", a.purpose === "LESION" ? "Lesion" : "Finding"),
        trackingId: `region ${i + 1}`,
        comment: a.note ?? undefined,
      },
    ];
  });
}

/** The platform's ROI geometry (pixels, top-left origin) as SR SCOORD graphic data. */
export function scoordOf(shape: string, g: Record<string, unknown>): Pick<ReportRegion, "shape" | "points"> {
  const n = (k: string) => Number(g[k]);
  switch (shape) {
    case "POINT":
      return { shape: "POINT", points: [n("x"), n("y")] };
    case "BOX": {
      const [x, y, w, h] = [n("x"), n("y"), n("width"), n("height")];
      return { shape: "POLYLINE", points: [x, y, x + w, y, x + w, y + h, x, y + h, x, y] };
    }
    case "ELLIPSE": {
      const [cx, cy, rx, ry, rot] = [n("cx"), n("cy"), n("rx"), n("ry"), Number(g.rotationRad ?? 0)];
      const axis = (r: number, angle: number) => [
        cx - r * Math.cos(angle),
        cy - r * Math.sin(angle),
        cx + r * Math.cos(angle),
        cy + r * Math.sin(angle),
      ];
      // Major axis first (PS3.3 C.18.6.1.2), then the minor one.
      return rx >= ry
        ? { shape: "ELLIPSE", points: [...axis(rx, rot), ...axis(ry, rot + Math.PI / 2)] }
        : { shape: "ELLIPSE", points: [...axis(ry, rot + Math.PI / 2), ...axis(rx, rot)] };
    }
    default: {
      const points = (g.points as [number, number][]).flat();
      return { shape: "POLYLINE", points: [...points, points[0]!, points[1]!] };
    }
  }
}

async function heatmapsOf(deps: { db: Db; blobs: BlobStore }, exam: ExamRow, resolved: Resolved, ids: string[]) {
  if (ids.length === 0) return [];
  const maps = await deps.db.saliencyMap.findMany({
    where: { id: { in: ids }, prediction: { imageId: { in: exam.images.map((i) => i.id) } } },
    include: { prediction: { include: { modelVersion: { select: { name: true, version: true, classNames: true } } } } },
  });
  if (maps.length !== new Set(ids).size)
    throw new AppError("NOT_FOUND", "saliencyMapIds: a heatmap is not of this case's images", {
      field: "saliencyMapIds",
    });
  const out = [];
  for (const map of maps) {
    const source = resolved.images.get(map.prediction.imageId);
    const image = exam.images.find((i) => i.id === map.prediction.imageId)!;
    if (!source)
      throw new AppError("VALIDATION", "saliencyMapIds: a heatmap's image has no DICOM identity to refer to", {
        field: "saliencyMapIds",
      });
    const display = await renderDisplayPixels(await deps.blobs.get(image.storageKey));
    const model = map.prediction.modelVersion;
    out.push(
      buildHeatmapCapture({
        study: resolved.study,
        author: { ...AUTHOR, deviceName: `${model.name} v${model.version}` },
        source: { ...source, widthPx: display.widthPx, heightPx: display.heightPx },
        display: display.pixels,
        heatmap: await readHeatmapPng(await deps.blobs.get(map.storageKey)),
        method: map.method,
        layerName: map.layerName,
        className: model.classNames[map.classIndex] ?? String(map.classIndex),
        score: map.prediction.probabilities[map.classIndex] ?? 0,
        modelVersion: `${model.name} v${model.version}`,
      }),
    );
  }
  return out;
}
