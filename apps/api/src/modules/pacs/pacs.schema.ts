import type { PacsImportStudy } from "@mammo/db";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { SiteRef } from "../sites/site.schema.ts";
import { exportResultsToPacs } from "./pacs-export.service.ts";
import { listCasePacsResults, type PacsResultObject } from "./pacs-results.service.ts";
import {
  createPacsConnection,
  getPacsImport,
  listPacsConnections,
  listPacsImports,
  requestPacsImport,
  searchPacs,
  type PacsConnectionRow,
  type PacsImportRow,
} from "./pacs.service.ts";

const PacsAuthKindEnum = builder.enumType("PacsAuthKind", { values: ["NONE", "BASIC", "BEARER"] as const });
const PacsImportStatusEnum = builder.enumType("PacsImportStatus", {
  values: ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"] as const,
});
const PacsStudyStatusEnum = builder.enumType("PacsStudyStatus", {
  values: ["PENDING", "IMPORTED", "ALREADY_IMPORTED", "FAILED"] as const,
});

export const PacsConnectionRef = builder.objectRef<PacsConnectionRow>("PacsConnection").implement({
  description: "A site's PACS (DICOMweb). Its credentials are stored sealed and never returned.",
  fields: (t) => ({
    id: t.string({ resolve: (c) => encodeGlobalID("PacsConnection", c.id) }),
    name: t.exposeString("name"),
    baseUrl: t.exposeString("baseUrl"),
    authKind: t.field({ type: PacsAuthKindEnum, resolve: (c) => c.authKind }),
    maxConcurrency: t.exposeInt("maxConcurrency"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

type StudyShape = Awaited<ReturnType<typeof searchPacs>>[number];
const PacsStudyRef = builder.objectRef<StudyShape>("PacsStudy").implement({
  description: "A study found on a PACS (QIDO-RS), with the site's identifiers as the PACS holds them",
  fields: (t) => ({
    studyInstanceUid: t.exposeString("studyInstanceUid"),
    patientId: t.exposeString("patientId"),
    patientName: t.exposeString("patientName"),
    accessionNumber: t.exposeString("accessionNumber"),
    studyDate: t.exposeString("studyDate", { nullable: true }),
    description: t.exposeString("description"),
    modalities: t.exposeStringList("modalities"),
    instanceCount: t.exposeInt("instanceCount", { nullable: true }),
    importedCaseId: t.string({
      nullable: true,
      description: "The case this study was imported into, when it was",
      resolve: (s) => (s.importedCaseId ? encodeGlobalID("Case", s.importedCaseId) : null),
    }),
  }),
});

const InstanceErrorRef = builder
  .objectRef<{ sopInstanceUid: string; code: string; message: string }>("PacsInstanceResult")
  .implement({
    fields: (t) => ({
      sopInstanceUid: t.exposeString("sopInstanceUid"),
      code: t.exposeString("code"),
      message: t.exposeString("message"),
    }),
  });

const PacsImportStudyRef = builder.objectRef<PacsImportStudy>("PacsImportStudy").implement({
  fields: (t) => ({
    studyInstanceUid: t.exposeString("studyInstanceUid"),
    status: t.field({ type: PacsStudyStatusEnum, resolve: (s) => s.status }),
    instanceCount: t.exposeInt("instanceCount", { nullable: true }),
    imageCount: t.exposeInt("imageCount"),
    quarantinedCount: t.exposeInt("quarantinedCount"),
    caseId: t.string({ nullable: true, resolve: (s) => (s.caseId ? encodeGlobalID("Case", s.caseId) : null) }),
    results: t.field({
      type: [InstanceErrorRef],
      description:
        "Per instance: what was not imported and why (ingest errors, quarantine, objects that are not mammograms)",
      resolve: (s) => s.errors as { sopInstanceUid: string; code: string; message: string }[],
    }),
  }),
});

const PacsImportRef = builder.objectRef<PacsImportRow>("PacsImport").implement({
  description: "Studies being imported from a PACS, by a job on the queue",
  fields: (t) => ({
    id: t.string({ resolve: (i) => encodeGlobalID("PacsImport", i.id) }),
    connectionName: t.string({ resolve: (i) => i.connection.name }),
    status: t.field({ type: PacsImportStatusEnum, resolve: (i) => i.status }),
    error: t.exposeString("error", { nullable: true }),
    studyCount: t.int({ resolve: (i) => i.studies.length }),
    studiesDone: t.int({ resolve: (i) => i.studies.filter((s) => s.status !== "PENDING").length }),
    studies: t.field({ type: [PacsImportStudyRef], resolve: (i) => i.studies }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true }),
  }),
});

builder.queryField("pacsConnections", (t) =>
  t.field({
    type: [PacsConnectionRef],
    authScopes: { authenticated: true },
    description: "The PACS of a site (its admins and coordinators)",
    args: { siteId: t.arg.globalID({ required: true, for: SiteRef }) },
    resolve: (_root, args, ctx) => listPacsConnections(ctx.db, requireViewer(ctx), args.siteId.id),
  }),
);

const SearchPacsInput = builder.inputType("SearchPacsInput", {
  fields: (t) => ({
    connectionId: t.globalID({ required: true }),
    patientId: t.string({ required: false }),
    accessionNumber: t.string({ required: false }),
    studyDateFrom: t.string({ required: false, description: "YYYY-MM-DD, inclusive" }),
    studyDateTo: t.string({ required: false, description: "YYYY-MM-DD, inclusive" }),
    limit: t.int({ required: false, description: "Default 50, at most 200" }),
  }),
});

builder.queryField("searchPacs", (t) =>
  t.field({
    type: [PacsStudyRef],
    authScopes: { authenticated: true },
    description: "Mammography studies on a site's PACS (QIDO-RS); admins and coordinators of the site",
    args: { input: t.arg({ type: SearchPacsInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      searchPacs(ctx.db, ctx.sealingSecret, requireViewer(ctx), {
        connectionId: input.connectionId.id,
        patientId: input.patientId ?? undefined,
        accessionNumber: input.accessionNumber ?? undefined,
        studyDateFrom: input.studyDateFrom ?? undefined,
        studyDateTo: input.studyDateTo ?? undefined,
        limit: input.limit ?? undefined,
      }),
  }),
);

builder.queryField("pacsImports", (t) =>
  t.field({
    type: [PacsImportRef],
    authScopes: { authenticated: true },
    description: "A site's last 20 PACS imports, newest first",
    args: { siteId: t.arg.globalID({ required: true, for: SiteRef }) },
    resolve: (_root, args, ctx) => listPacsImports(ctx.db, requireViewer(ctx), args.siteId.id),
  }),
);

builder.queryField("pacsImport", (t) =>
  t.field({
    type: PacsImportRef,
    authScopes: { authenticated: true },
    args: { id: t.arg.globalID({ required: true }) },
    resolve: (_root, args, ctx) => getPacsImport(ctx.db, requireViewer(ctx), args.id.id),
  }),
);

const CreatePacsConnectionInput = builder.inputType("CreatePacsConnectionInput", {
  fields: (t) => ({
    siteId: t.globalID({ required: true, for: SiteRef }),
    name: t.string({ required: true }),
    baseUrl: t.string({ required: true, description: "The DICOMweb root, e.g. https://pacs.example/dicom-web" }),
    authKind: t.field({ type: PacsAuthKindEnum, required: true }),
    username: t.string({ required: false, description: "BASIC" }),
    password: t.string({ required: false, description: "BASIC" }),
    token: t.string({ required: false, description: "BEARER" }),
    maxConcurrency: t.int({ required: false, description: "Parallel retrieves towards the PACS (default 2, 1-16)" }),
  }),
});

builder.mutationField("createPacsConnection", (t) =>
  t.field({
    type: PacsConnectionRef,
    authScopes: { authenticated: true },
    description: "Adds a PACS to a site (its admins)",
    args: { input: t.arg({ type: CreatePacsConnectionInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createPacsConnection(
        ctx.db,
        ctx.sealingSecret,
        requireViewer(ctx),
        {
          ...input,
          siteId: input.siteId.id,
          username: input.username ?? undefined,
          password: input.password ?? undefined,
          token: input.token ?? undefined,
          maxConcurrency: input.maxConcurrency ?? undefined,
        },
        ctx.requestId,
      ),
  }),
);

const RequestPacsImportInput = builder.inputType("RequestPacsImportInput", {
  fields: (t) => ({
    connectionId: t.globalID({ required: true }),
    studyInstanceUids: t.stringList({ required: true }),
  }),
});

builder.mutationField("requestPacsImport", (t) =>
  t.field({
    type: PacsImportRef,
    authScopes: { authenticated: true },
    description: "Queues the import of studies from a site's PACS (admins and coordinators of the site)",
    args: { input: t.arg({ type: RequestPacsImportInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      requestPacsImport(
        ctx.db,
        ctx.jobs,
        requireViewer(ctx),
        { connectionId: input.connectionId.id, studyInstanceUids: input.studyInstanceUids },
        ctx.requestId,
      ),
  }),
);

const PacsIdentifiersEnum = builder.enumType("PacsIdentifiers", {
  values: {
    ORIGINAL: {
      description: "The study and instance UIDs and patient as the PACS holds them (cases imported from that PACS)",
    },
    DEIDENTIFIED: { description: "The platform's de-identified UIDs and pseudonyms (for sharing outside the site)" },
  } as const,
});

const PacsExportedObjectRef = builder
  .objectRef<{ kind: string; sopInstanceUid: string }>("PacsExportedObject")
  .implement({
    fields: (t) => ({
      kind: t.exposeString("kind", { description: "MEASUREMENT_REPORT (TID 1500 SR) or HEATMAP (Secondary Capture)" }),
      sopInstanceUid: t.exposeString("sopInstanceUid"),
    }),
  });

const PacsExportRef = builder
  .objectRef<{ studyInstanceUid: string; objects: { kind: string; sopInstanceUid: string }[] }>("PacsExport")
  .implement({
    fields: (t) => ({
      studyInstanceUid: t.exposeString("studyInstanceUid"),
      objects: t.field({ type: [PacsExportedObjectRef], resolve: (e) => e.objects }),
    }),
  });

const ExportResultsToPacsInput = builder.inputType("ExportResultsToPacsInput", {
  fields: (t) => ({
    caseId: t.globalID({ required: true }),
    connectionId: t.globalID({ required: true }),
    identifiers: t.field({ type: PacsIdentifiersEnum, required: true }),
    includeRegions: t.boolean({
      required: true,
      description: "The case's lesion and finding regions as one Measurement Report",
    }),
    saliencyMapIds: t.globalIDList({
      required: false,
      description: "Heatmaps of the case's images, each as a Secondary Capture",
    }),
  }),
});

builder.mutationField("exportResultsToPacs", (t) =>
  t.field({
    type: PacsExportRef,
    authScopes: { authenticated: true },
    description:
      "Stores a case's regions (SR) and heatmaps (Secondary Capture) to a site's PACS (STOW-RS); admins and coordinators",
    args: { input: t.arg({ type: ExportResultsToPacsInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      exportResultsToPacs(
        { db: ctx.db, blobs: ctx.blobs, sealingSecret: ctx.sealingSecret },
        requireViewer(ctx),
        {
          caseId: input.caseId.id,
          connectionId: input.connectionId.id,
          identifiers: input.identifiers,
          includeRegions: input.includeRegions,
          saliencyMapIds: (input.saliencyMapIds ?? []).map((i) => i.id),
        },
        ctx.requestId,
      ),
  }),
);

const PacsResultObjectRef = builder.objectRef<PacsResultObject>("PacsResultObject").implement({
  description: "A result the platform sent to a PACS, found in the study there",
  fields: (t) => ({
    kind: t.exposeString("kind", { description: "MEASUREMENT_REPORT or HEATMAP" }),
    studyInstanceUid: t.exposeString("studyInstanceUid"),
    seriesInstanceUid: t.exposeString("seriesInstanceUid"),
    sopInstanceUid: t.exposeString("sopInstanceUid"),
    renderedPath: t.string({
      nullable: true,
      description: "The API path of a PNG of it, fetched from the PACS (heatmaps)",
      resolve: (o) =>
        o.kind === "HEATMAP"
          ? `/pacs/${o.connectionId}/studies/${o.studyInstanceUid}/series/${o.seriesInstanceUid}/instances/${o.sopInstanceUid}/rendered.png`
          : null,
    }),
  }),
});

builder.queryField("casePacsResults", (t) =>
  t.field({
    type: [PacsResultObjectRef],
    authScopes: { authenticated: true },
    description: "Results held by the PACS a case came from (admins and coordinators of its site)",
    args: { caseId: t.arg.globalID({ required: true }) },
    resolve: (_root, args, ctx) => listCasePacsResults(ctx.db, ctx.sealingSecret, requireViewer(ctx), args.caseId.id),
  }),
);
