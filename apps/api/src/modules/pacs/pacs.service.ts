import type { Db, Prisma } from "@mammo/db";
import {
  createDicomwebClient,
  normaliseBaseUrl,
  openCredentials,
  sealCredentials,
  type DicomwebAuth,
} from "@mammo/dicomweb";
import type { JobQueue } from "@mammo/jobs";
import { z } from "zod";
import { hasRole, siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { enqueueJob } from "../training/enqueue-job.ts";
import { appErrorFromPacs, callPacs } from "./pacs-errors.ts";

/** Who works with a site's PACS: admins configure it; admins and coordinators search and import. */
export const PACS_ROLES = ["ADMIN", "COORDINATOR"] as const;

export const pacsConnectionsWhere = (viewer: Viewer): Prisma.PacsConnectionWhereInput => ({
  siteId: { in: siteIdsWithRole(viewer, ...PACS_ROLES) },
});

const connectionSelect = {
  id: true,
  siteId: true,
  name: true,
  baseUrl: true,
  authKind: true,
  maxConcurrency: true,
  createdAt: true,
} satisfies Prisma.PacsConnectionSelect;
export type PacsConnectionRow = Prisma.PacsConnectionGetPayload<{ select: typeof connectionSelect }>;

export function listPacsConnections(db: Db, viewer: Viewer, siteId: string): Promise<PacsConnectionRow[]> {
  return db.pacsConnection.findMany({
    where: { AND: [pacsConnectionsWhere(viewer), { siteId }] },
    select: connectionSelect,
    orderBy: { name: "asc" },
  });
}

const createInput = z
  .object({
    siteId: z.uuid(),
    name: z.string().trim().min(1).max(80),
    baseUrl: z.string().trim().min(1).max(500),
    authKind: z.enum(["NONE", "BASIC", "BEARER"]),
    username: z.string().min(1).max(200).optional(),
    password: z.string().min(1).max(500).optional(),
    token: z.string().min(1).max(4000).optional(),
    maxConcurrency: z.number().int().min(1).max(16).optional(),
  })
  .superRefine((input, ctx) => {
    const need = input.authKind === "BASIC" ? ["username", "password"] : input.authKind === "BEARER" ? ["token"] : [];
    for (const field of need)
      if (!input[field as "username"])
        ctx.addIssue({ code: "custom", path: [field], message: `required for ${input.authKind} authentication` });
  });

function authOf(input: z.infer<typeof createInput>): DicomwebAuth {
  if (input.authKind === "BASIC") return { kind: "BASIC", username: input.username!, password: input.password! };
  if (input.authKind === "BEARER") return { kind: "BEARER", token: input.token! };
  return { kind: "NONE" };
}

/** Adds a PACS to a site (its admins). Credentials are sealed with the platform's secret, never returned. */
export async function createPacsConnection(
  db: Db,
  sealingSecret: string,
  viewer: Viewer,
  input: z.input<typeof createInput>,
  requestId?: string,
): Promise<PacsConnectionRow> {
  const args = parseInput(createInput, input);
  if (!hasRole(viewer, args.siteId, "ADMIN")) throw forbidden("only the site's admins configure its PACS");
  let baseUrl: string;
  try {
    baseUrl = normaliseBaseUrl(args.baseUrl);
  } catch (error) {
    throw appErrorFromPacs(error, "baseUrl");
  }
  const auth = authOf(args);
  return db.$transaction(async (tx) => {
    const duplicate = await tx.pacsConnection.findUnique({
      where: { siteId_name: { siteId: args.siteId, name: args.name } },
    });
    if (duplicate)
      throw new AppError("CONFLICT", `name: the site already has a PACS named ${args.name}`, { field: "name" });
    const row = await tx.pacsConnection.create({
      data: {
        siteId: args.siteId,
        name: args.name,
        baseUrl,
        authKind: auth.kind,
        maxConcurrency: args.maxConcurrency,
        createdById: viewer.userId,
      },
      select: { id: true },
    });
    const saved = await tx.pacsConnection.update({
      where: { id: row.id },
      data: { sealedAuth: auth.kind === "NONE" ? null : sealCredentials(sealingSecret, row.id, auth) },
      select: connectionSelect,
    });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: saved.siteId,
      action: "pacsConnection.create",
      entityType: "PacsConnection",
      entityId: saved.id,
      after: { name: saved.name, baseUrl: saved.baseUrl, authKind: saved.authKind },
      requestId,
    });
    return saved;
  });
}

/** A connection the viewer may use (admins and coordinators of its site), else NOT_FOUND. */
async function usableConnection(db: Db, viewer: Viewer, connectionId: string) {
  const connection = await db.pacsConnection.findFirst({
    where: { AND: [pacsConnectionsWhere(viewer), { id: connectionId }] },
  });
  if (!connection) throw new AppError("NOT_FOUND", "connectionId: PACS not found", { field: "connectionId" });
  return connection;
}

/** A connection the viewer may use, with a DICOMweb client on it. */
export async function openPacs(db: Db, sealingSecret: string, viewer: Viewer, connectionId: string) {
  const connection = await usableConnection(db, viewer, connectionId);
  const auth = await callPacs(async () =>
    connection.sealedAuth
      ? openCredentials(sealingSecret, connection.id, connection.sealedAuth)
      : ({ kind: "NONE" } as const),
  );
  return { connection, client: createDicomwebClient({ baseUrl: connection.baseUrl, auth, timeoutMs: 30_000 }) };
}

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");
const searchInput = z.object({
  connectionId: z.uuid(),
  patientId: z.string().trim().max(64).optional(),
  accessionNumber: z.string().trim().max(64).optional(),
  studyDateFrom: DATE.optional(),
  studyDateTo: DATE.optional(),
  limit: z.number().int().min(1).max(200).optional(),
});

/** QIDO-RS for mammography studies, each marked with the case it was already imported into. */
export async function searchPacs(db: Db, sealingSecret: string, viewer: Viewer, input: z.input<typeof searchInput>) {
  const args = parseInput(searchInput, input);
  const { connection, client } = await openPacs(db, sealingSecret, viewer, args.connectionId);
  const studies = await callPacs(() =>
    client.searchStudies({
      patientId: args.patientId || undefined,
      accessionNumber: args.accessionNumber || undefined,
      studyDateFrom: args.studyDateFrom,
      studyDateTo: args.studyDateTo,
      limit: args.limit ?? 50,
    }),
  );
  const links = await db.pacsStudyLink.findMany({
    where: { siteId: connection.siteId, originalStudyUid: { in: studies.map((s) => s.studyInstanceUid) } },
    select: { originalStudyUid: true, caseId: true },
  });
  const caseOf = new Map(links.map((l) => [l.originalStudyUid, l.caseId]));
  return studies.map((s) => ({ ...s, importedCaseId: caseOf.get(s.studyInstanceUid) ?? null }));
}

const importInput = z.object({
  connectionId: z.uuid(),
  studyInstanceUids: z
    .array(
      z
        .string()
        .regex(/^[0-9]+(\.[0-9]+)*$/, "a DICOM UID")
        .max(64),
    )
    .min(1)
    .max(500),
});

export const pacsImportInclude = {
  studies: { orderBy: { position: "asc" } },
  connection: { select: { name: true } },
} satisfies Prisma.PacsImportInclude;
export type PacsImportRow = Prisma.PacsImportGetPayload<{ include: typeof pacsImportInclude }>;

/** Queues the import of chosen studies: the PacsImport, its studies and its job commit together. */
export async function requestPacsImport(
  db: Db,
  jobs: JobQueue,
  viewer: Viewer,
  input: z.input<typeof importInput>,
  requestId?: string,
): Promise<PacsImportRow> {
  const args = parseInput(importInput, input);
  const connection = await usableConnection(db, viewer, args.connectionId);
  const uids = [...new Set(args.studyInstanceUids)];
  return db.$transaction(async (tx) => {
    const created = await tx.pacsImport.create({
      data: {
        siteId: connection.siteId,
        connectionId: connection.id,
        requestedById: viewer.userId,
        studies: { create: uids.map((studyInstanceUid, position) => ({ position, studyInstanceUid })) },
      },
      include: pacsImportInclude,
    });
    await enqueueJob(jobs, tx, "pacs-import", { pacsImportId: created.id });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: connection.siteId,
      action: "pacsImport.request",
      entityType: "PacsImport",
      entityId: created.id,
      after: { connection: connection.name, studyCount: uids.length },
      requestId,
    });
    return created;
  });
}

export const pacsImportsWhere = (viewer: Viewer): Prisma.PacsImportWhereInput => ({
  siteId: { in: siteIdsWithRole(viewer, ...PACS_ROLES) },
});

export function listPacsImports(db: Db, viewer: Viewer, siteId: string): Promise<PacsImportRow[]> {
  return db.pacsImport.findMany({
    where: { AND: [pacsImportsWhere(viewer), { siteId }] },
    include: pacsImportInclude,
    orderBy: { createdAt: "desc" },
    take: 20,
  });
}

export async function getPacsImport(db: Db, viewer: Viewer, id: string): Promise<PacsImportRow> {
  const row = await db.pacsImport.findFirst({
    where: { AND: [pacsImportsWhere(viewer), { id }] },
    include: pacsImportInclude,
  });
  if (!row) throw new AppError("NOT_FOUND", "PACS import not found");
  return row;
}
