import { createHmac } from "node:crypto";
import dcmjs from "dcmjs";
import { type Prisma } from "@mammo/db";
import {
  createDicomwebClient,
  isDicomwebError,
  openCredentials,
  sealJson,
  type DicomwebClient,
  type InstanceRef,
} from "@mammo/dicomweb";
import { importManifest, MAMMOGRAPHY_SOP_CLASSES, replacementUid } from "@mammo/imaging";
import { badInput } from "../errors/trainer-error.ts";
import type { JobContext } from "../queue/job-handler.ts";
import type { TrainerServices } from "../services.ts";
import { pacsSecretsFromEnv, type PacsSecrets } from "./pacs-secrets.ts";

type StudyRow = { id: string; position: number; studyInstanceUid: string };
type InstanceError = { sopInstanceUid: string; code: string; message: string };

/**
 * A PACS import (the `pacs-import` job): each study of the request, in order, retrieved over
 * WADO-RS with bounded concurrency and passed through the same ingest as file imports
 * (de-identified, checked, quarantined where needed, one case per study in one transaction).
 * A study's status is written when it is done, so a worker killed mid-import resumes with the
 * first study not done; a study whose instances this site already holds is not retrieved again.
 */
export async function runPacsImport(
  services: TrainerServices,
  pacsImportId: string,
  ctx: JobContext,
): Promise<Record<string, unknown>> {
  const { db } = services;
  const request = await db.pacsImport.findUnique({
    where: { id: pacsImportId },
    include: { connection: true, studies: { where: { status: "PENDING" }, orderBy: { position: "asc" } } },
  });
  if (!request) return { outcome: "the import no longer exists" };
  if (request.status === "SUCCEEDED" || request.status === "FAILED")
    return { outcome: `nothing to do: the import is ${request.status.toLowerCase()}` };
  const secrets = pacsSecretsFromEnv();
  await db.pacsImport.update({
    where: { id: pacsImportId },
    data: { status: "RUNNING", startedAt: request.startedAt ?? new Date() },
  });

  const { connection } = request;
  const client = createDicomwebClient({
    baseUrl: connection.baseUrl,
    auth: connection.sealedAuth
      ? openCredentials(secrets.credentialSecret, connection.id, connection.sealedAuth)
      : { kind: "NONE" },
  });
  const context = { services, secrets, client, request, ctx };
  let imported = 0;
  for (const study of request.studies) {
    if (ctx.isStopRequested()) return { outcome: "given back", studiesLeft: request.studies.length - imported };
    try {
      await importStudy(context, study);
    } catch (error) {
      // Credentials, configuration or a missing study: retrying cannot help.
      if (isDicomwebError(error) && error.code !== "UNREACHABLE") throw badInput(error.message, error);
      throw error;
    }
    imported++;
  }

  await db.$transaction(async (tx) => {
    await tx.pacsImport.update({ where: { id: pacsImportId }, data: { status: "SUCCEEDED", finishedAt: new Date() } });
    await ctx.completeIn(tx, { outcome: "imported", studies: request.studies.length });
  });
  return { outcome: "imported", studies: request.studies.length };
}

export async function markPacsImportFailed(services: TrainerServices, pacsImportId: string, message: string) {
  await services.db.pacsImport.updateMany({
    where: { id: pacsImportId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "FAILED", error: message.slice(0, 2000), finishedAt: new Date() },
  });
}

type Context = {
  services: TrainerServices;
  secrets: PacsSecrets;
  client: DicomwebClient;
  request: {
    id: string;
    siteId: string;
    connectionId: string;
    requestedById: string;
    connection: { maxConcurrency: number };
  };
  ctx: JobContext;
};

async function importStudy(c: Context, study: StudyRow): Promise<void> {
  const { db } = c.services;
  const all = await c.client.searchInstances(study.studyInstanceUid);
  // Only mammograms are imported; other objects in the study (reports, results sent back) are listed.
  const images = all.filter((i) => !i.sopClassUid || i.sopClassUid in MAMMOGRAPHY_SOP_CLASSES);
  const skipped: InstanceError[] = all
    .filter((i) => !images.includes(i))
    .map((i) => ({
      sopInstanceUid: i.sopInstanceUid,
      code: "NOT_A_MAMMOGRAM",
      message: `SOP class ${i.sopClassUid} is not imported`,
    }));

  const link = await db.pacsStudyLink.findUnique({
    where: { siteId_originalStudyUid: { siteId: c.request.siteId, originalStudyUid: study.studyInstanceUid } },
    include: { instances: { select: { originalSopUid: true } } },
  });
  const known = new Set(link?.instances.map((i) => i.originalSopUid));
  if (link && images.length > 0 && images.every((i) => known.has(i.sopInstanceUid))) {
    await finishStudy(c, study, {
      status: "ALREADY_IMPORTED",
      instanceCount: all.length,
      caseId: link.caseId,
      errors: skipped,
    });
    c.ctx.log(`study ${study.position + 1}: already imported (case ${link.caseId})`);
    return;
  }
  if (images.length === 0) {
    await finishStudy(c, study, {
      status: "FAILED",
      instanceCount: all.length,
      errors: [...skipped, { sopInstanceUid: "", code: "NO_IMAGES", message: "the study has no mammography images" }],
    });
    return;
  }

  const files = await retrieveAll(c.client, images, c.request.connection.maxConcurrency);
  const identity = identityOf(files[0]!);
  const patientKey = pseudonym(c.secrets.deidSecret, "patient", c.request.siteId, identity.patientId);
  const caseKey = pseudonym(c.secrets.deidSecret, "study", c.request.siteId, study.studyInstanceUid);
  const names = images.map((_, i) => `instance-${i + 1}.dcm`);
  const summary = await importManifest(
    { db, blobs: c.services.blobs, deidSecret: c.secrets.deidSecret },
    {
      actorUserId: c.request.requestedById,
      siteId: c.request.siteId,
      source: "pacs",
      manifestName: `PACS import ${c.request.id} study ${study.position + 1}`,
      manifestCsv: ["file,patient,case", ...names.map((n) => `${n},${patientKey},${caseKey}`)].join("\n"),
      readFile: async (name) => files[names.indexOf(name)]!,
    },
  );
  const errors = [
    ...skipped,
    ...summary.errors.map((e) => ({
      sopInstanceUid: e.file ? (images[names.indexOf(e.file)]?.sopInstanceUid ?? "") : "",
      code: e.code,
      message: e.message,
    })),
  ];
  const exam = await db.case.findUnique({
    where: { siteId_accessionKey: { siteId: c.request.siteId, accessionKey: caseKey } },
  });
  if (summary.caseCount === 0 || !exam) {
    await finishStudy(c, study, {
      status: "FAILED",
      instanceCount: all.length,
      importBatchId: summary.batchId,
      errors,
    });
    return;
  }
  await db.$transaction(async (tx) => {
    const studyLink = await tx.pacsStudyLink.upsert({
      where: { siteId_originalStudyUid: { siteId: c.request.siteId, originalStudyUid: study.studyInstanceUid } },
      update: {},
      create: {
        siteId: c.request.siteId,
        connectionId: c.request.connectionId,
        caseId: exam.id,
        originalStudyUid: study.studyInstanceUid,
        deidStudyUid: replacementUid(c.secrets.deidSecret, study.studyInstanceUid),
        sealedIdentity: sealJson(
          c.secrets.credentialSecret,
          `study-link:${c.request.siteId}:${study.studyInstanceUid}`,
          identity,
        ),
      },
    });
    await tx.pacsInstanceLink.createMany({
      data: images.map((i) => ({
        studyLinkId: studyLink.id,
        originalSeriesUid: i.seriesInstanceUid,
        originalSopUid: i.sopInstanceUid,
        deidSopUid: replacementUid(c.secrets.deidSecret, i.sopInstanceUid),
        sopClassUid: i.sopClassUid,
      })),
      skipDuplicates: true,
    });
    await finishStudy(
      c,
      study,
      {
        status: "IMPORTED",
        instanceCount: all.length,
        caseId: exam.id,
        importBatchId: summary.batchId,
        imageCount: summary.imageCount,
        quarantinedCount: summary.quarantinedCount,
        errors,
      },
      tx,
    );
  });
  c.ctx.log(`study ${study.position + 1}: ${summary.imageCount} images into case ${exam.id}`);
}

async function finishStudy(
  c: Context,
  study: StudyRow,
  result: {
    status: "IMPORTED" | "ALREADY_IMPORTED" | "FAILED";
    instanceCount: number;
    caseId?: string;
    importBatchId?: string;
    imageCount?: number;
    quarantinedCount?: number;
    errors: InstanceError[];
  },
  tx: Prisma.TransactionClient = c.services.db,
) {
  await tx.pacsImportStudy.update({
    where: { id: study.id },
    data: { ...result, errors: result.errors as unknown as Prisma.InputJsonValue, finishedAt: new Date() },
  });
}

/** WADO-RS retrieves, at most `concurrency` at a time towards the PACS; results in the order of `refs`. */
async function retrieveAll(client: DicomwebClient, refs: InstanceRef[], concurrency: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = new Array(refs.length);
  let next = 0;
  const lane = async () => {
    while (next < refs.length) {
      const i = next++;
      out[i] = await client.retrieveInstance(refs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, refs.length)) }, lane));
  return out;
}

/** The identifying values sent back with results (sealed in PacsStudyLink, never in a case). */
function identityOf(bytes: Uint8Array) {
  let ds: Record<string, unknown>;
  try {
    ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict);
  } catch (error) {
    throw badInput(
      `the PACS sent an instance that is not a DICOM file (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const name = ds.PatientName as { Alphabetic?: string }[] | string | undefined;
  return {
    patientId: String(ds.PatientID ?? ""),
    patientName: Array.isArray(name) ? (name[0]?.Alphabetic ?? "") : String(name ?? ""),
    accessionNumber: String(ds.AccessionNumber ?? ""),
    studyDate: String(ds.StudyDate ?? ""),
  };
}

/** A site-local pseudonym (keyed hash: the same PACS patient or study always gets the same one). */
function pseudonym(secret: string, kind: "patient" | "study", siteId: string, value: string): string {
  const digest = createHmac("sha256", secret).update(`pacs-${kind}\0${siteId}\0${value}`).digest("hex");
  return `${kind === "patient" ? "P" : "S"}-${digest.slice(0, 20)}`;
}
