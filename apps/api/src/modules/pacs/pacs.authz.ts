import { defineAuthz, globalIdOf, type AuthzWorld } from "../../../test/authz/authz.ts";
import { dicomCaseWithRegion, standInDicomweb } from "../../../test/pacs-stand-in.ts";

// Who may use a site's PACS, not what the PACS answers (pacs.integration.test.ts runs a real
// Orthanc): each site's connection points at a stand-in (test/pacs-stand-in.ts), so allowed
// calls succeed without starting a PACS for the whole matrix.
async function setup(world: AuthzWorld) {
  const baseUrl = await standInDicomweb();
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
    site.ids.pacsCaseId = await dicomCaseWithRegion(world.api, site.siteId, site.users.ANNOTATOR);
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
