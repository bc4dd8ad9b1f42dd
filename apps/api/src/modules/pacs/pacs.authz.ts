import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { buildDicom } from "@mammo/imaging/testing";
import { defineAuthz, globalIdOf, type AuthzWorld } from "../../../test/authz/authz.ts";

// Who may use a site's PACS, not what the PACS answers (pacs.integration.test.ts runs a real
// Orthanc): each site's connection points at a stand-in that finds no studies, one heatmap
// (Secondary Capture) in any study's instances, and accepts what is stored, so allowed calls
// succeed without starting a PACS for the whole matrix.
const ONE_HEATMAP = [
  {
    "00080016": { vr: "UI", Value: ["1.2.840.10008.5.1.4.1.1.7"] },
    "00080018": { vr: "UI", Value: ["2.25.1001"] },
    "0020000E": { vr: "UI", Value: ["2.25.1002"] },
  },
];
async function emptyDicomweb(): Promise<string> {
  const server = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "application/dicom+json" });
    res.end(JSON.stringify(req.method === "GET" && /\/instances(\?|$)/.test(req.url ?? "") ? ONE_HEATMAP : []));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`;
}

async function setup(world: AuthzWorld) {
  const baseUrl = await emptyDicomweb();
  for (const site of [world.own, world.other]) {
    const connection = await world.api.db.pacsConnection.create({
      data: { siteId: site.siteId, name: "matrix PACS", baseUrl, createdById: site.users.ADMIN },
    });
    site.ids.pacsConnectionId = connection.id;
    const pacsImport = await world.api.db.pacsImport.create({
      data: {
        siteId: site.siteId,
        connectionId: connection.id,
        requestedById: site.users.ADMIN,
        status: "SUCCEEDED",
        studies: { create: [{ position: 0, studyInstanceUid: "1.2.3.4", status: "IMPORTED" }] },
      },
    });
    site.ids.pacsImportId = pacsImport.id;
    site.ids.pacsCaseId = await dicomCaseWithRegion(world, site.siteId, site.users.ANNOTATOR);
    // As if the case had come from this PACS: its results there are listed on the case page.
    await world.api.db.pacsStudyLink.create({
      data: {
        siteId: site.siteId,
        connectionId: connection.id,
        caseId: site.ids.pacsCaseId,
        originalStudyUid: `2.25.${Math.floor(Math.random() * 1e12)}`,
        deidStudyUid: "2.25.1",
        sealedIdentity: "v1.not.opened.here",
      },
    });
  }
}

/** A case with one (de-identified) DICOM image and a lesion box: something to send to a PACS. */
async function dicomCaseWithRegion(world: AuthzWorld, siteId: string, authorId: string): Promise<string> {
  const { db, blobs } = world.api;
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

const PACS_USERS = ["ADMIN", "COORDINATOR"] as const;
const connectionOf = (site: { ids: Record<string, string> }) =>
  globalIdOf("PacsConnection", site.ids.pacsConnectionId!);

export default defineAuthz({
  setup,
  entries: [
    {
      field: "Query.pacsConnections",
      document: "query ($siteId: ID!) { pacsConnections(siteId: $siteId) { id name baseUrl authKind } }",
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: PACS_USERS,
      rows: (data) => data.pacsConnections,
    },
    {
      field: "Query.searchPacs",
      document: "query ($input: SearchPacsInput!) { searchPacs(input: $input) { studyInstanceUid } }",
      variables: (site) => ({ input: { connectionId: connectionOf(site), accessionNumber: "A1" } }),
      allowed: PACS_USERS,
      rows: (data) => (data.searchPacs ? [data.searchPacs] : []),
    },
    {
      field: "Query.pacsImports",
      document: "query ($siteId: ID!) { pacsImports(siteId: $siteId) { id studies { studyInstanceUid } } }",
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: PACS_USERS,
      rows: (data) => data.pacsImports,
    },
    {
      field: "Query.pacsImport",
      document: "query ($id: ID!) { pacsImport(id: $id) { id status studies { studyInstanceUid } } }",
      variables: (site) => ({ id: globalIdOf("PacsImport", site.ids.pacsImportId!) }),
      allowed: PACS_USERS,
    },
    {
      field: "Query.casePacsResults",
      document: "query ($caseId: ID!) { casePacsResults(caseId: $caseId) { sopInstanceUid renderedPath } }",
      variables: (site) => ({ caseId: globalIdOf("Case", site.ids.pacsCaseId!) }),
      allowed: PACS_USERS,
      rows: (data) => data.casePacsResults,
    },
    {
      field: "Mutation.createPacsConnection",
      document: "mutation ($input: CreatePacsConnectionInput!) { createPacsConnection(input: $input) { id } }",
      variables: (site, _world, actor) => ({
        input: {
          siteId: globalIdOf("Site", site.siteId),
          name: `matrix ${actor} ${Math.random().toString(36).slice(2)}`,
          baseUrl: "http://127.0.0.1:9/dicom-web",
          authKind: "BASIC",
          username: "u",
          password: "p",
        },
      }),
      allowed: ["ADMIN"],
    },
    {
      field: "Mutation.requestPacsImport",
      document: "mutation ($input: RequestPacsImportInput!) { requestPacsImport(input: $input) { id } }",
      variables: (site) => ({ input: { connectionId: connectionOf(site), studyInstanceUids: ["1.2.3.4"] } }),
      allowed: PACS_USERS,
    },
    {
      field: "Mutation.exportResultsToPacs",
      document:
        "mutation ($input: ExportResultsToPacsInput!) { exportResultsToPacs(input: $input) { studyInstanceUid } }",
      variables: (site) => ({
        input: {
          caseId: globalIdOf("Case", site.ids.pacsCaseId!),
          connectionId: connectionOf(site),
          identifiers: "DEIDENTIFIED",
          includeRegions: true,
        },
      }),
      allowed: PACS_USERS,
    },
  ],
});
