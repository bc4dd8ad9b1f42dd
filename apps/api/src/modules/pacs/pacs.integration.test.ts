import { findFreePort } from "@mammo/db/testing";
import {
  fourViewStudy,
  studyUidOf,
  type StudyIdentity,
  orthancMissing,
  startOrthanc,
  type OrthancServer,
} from "@mammo/dicomweb/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";

// Must show 1 (API side): a site's PACS configured, searched (QIDO-RS on a real Orthanc) and
// imported from; an unreachable PACS and a 401 come back as clear errors.
const EARLY: StudyIdentity = {
  patientId: "MRN-5001",
  patientName: "Early^Eve",
  accessionNumber: "ACC-5001",
  studyDate: "20190301",
  uidStem: "1.2.826.0.1.3680043.8.498.75001",
};
const LATE: StudyIdentity = {
  ...EARLY,
  accessionNumber: "ACC-5002",
  studyDate: "20230901",
  uidStem: "1.2.826.0.1.3680043.8.498.75002",
};

const CREATE = `mutation ($input: CreatePacsConnectionInput!) { createPacsConnection(input: $input) { id name baseUrl authKind } }`;
const SEARCH = `query ($input: SearchPacsInput!) { searchPacs(input: $input) { studyInstanceUid patientId accessionNumber studyDate instanceCount importedCaseId } }`;

describe.skipIf(orthancMissing())("PACS configuration and search through the API", () => {
  let api: TestApi;
  let orthanc: OrthancServer;
  let secured: OrthancServer;
  let siteId: string;
  let adminId: string;
  let coordinatorId: string;

  beforeAll(async () => {
    [api, orthanc, secured] = await Promise.all([
      startTestApi(),
      startOrthanc(),
      startOrthanc({ users: { pacs: "the-right-password" } }),
    ]);
    for (const s of [EARLY, LATE]) for (const f of await fourViewStudy(s)) await orthanc.upload(f);
    siteId = (await createSite(api.db)).id;
    adminId = (await createUser(api.db, [{ siteId, role: "ADMIN" }])).id;
    coordinatorId = (await createUser(api.db, [{ siteId, role: "COORDINATOR" }])).id;
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), orthanc?.stop(), secured?.stop()]);
  });

  const connect = async (name: string, baseUrl: string, auth: Record<string, string> = { authKind: "NONE" }) =>
    (
      await api.as<{ createPacsConnection: { id: string } }>(adminId, CREATE, {
        input: { siteId: globalId("Site", siteId), name, baseUrl, ...auth },
      })
    ).createPacsConnection.id;

  it("an admin configures a PACS; a coordinator searches it by accession number and date range", async () => {
    const connectionId = await connect("Orthanc", `${orthanc.dicomwebUrl}/`);
    const { pacsConnections } = await api.as<{ pacsConnections: { baseUrl: string }[] }>(
      coordinatorId,
      `query ($siteId: ID!) { pacsConnections(siteId: $siteId) { baseUrl } }`,
      { siteId: globalId("Site", siteId) },
    );
    expect(pacsConnections).toEqual([{ baseUrl: orthanc.dicomwebUrl }]);
    const byAccession = await api.as<{ searchPacs: unknown[] }>(coordinatorId, SEARCH, {
      input: { connectionId, accessionNumber: "ACC-5002" },
    });
    expect(byAccession.searchPacs).toEqual([
      {
        studyInstanceUid: studyUidOf(LATE),
        patientId: "MRN-5001",
        accessionNumber: "ACC-5002",
        studyDate: "2023-09-01",
        instanceCount: 4,
        importedCaseId: null,
      },
    ]);
    const byDate = await api.as<{ searchPacs: { studyInstanceUid: string }[] }>(coordinatorId, SEARCH, {
      input: { connectionId, studyDateFrom: "2019-01-01", studyDateTo: "2019-12-31" },
    });
    expect(byDate.searchPacs.map((s) => s.studyInstanceUid)).toEqual([studyUidOf(EARLY)]);

    const { requestPacsImport } = await api.as<{
      requestPacsImport: { id: string; status: string; studyCount: number };
    }>(
      coordinatorId,
      `mutation ($input: RequestPacsImportInput!) { requestPacsImport(input: $input) { id status studyCount } }`,
      { input: { connectionId, studyInstanceUids: [studyUidOf(EARLY)] } },
    );
    expect(requestPacsImport).toMatchObject({ status: "QUEUED", studyCount: 1 });
    const jobs = await api.db.$queryRawUnsafe<{ name: string }[]>(
      `SELECT name FROM pgboss.job WHERE data->>'pacsImportId' = $1`,
      Buffer.from(requestPacsImport.id, "base64").toString().split(":")[1],
    );
    expect(jobs).toEqual([{ name: "pacs-import" }]);
  });

  it("keeps credentials sealed and names a refused login and an unreachable PACS", async () => {
    const wrong = await connect("Secured (wrong password)", secured.dicomwebUrl, {
      authKind: "BASIC",
      username: "pacs",
      password: "a-wrong-password",
    });
    const stored = await api.db.pacsConnection.findFirstOrThrow({ where: { name: "Secured (wrong password)" } });
    expect(stored.sealedAuth).toBeTruthy();
    expect(stored.sealedAuth).not.toContain("a-wrong-password");
    const refused = await api.tryAs(coordinatorId, SEARCH, { input: { connectionId: wrong } });
    expect(refused.errors?.[0]).toMatchObject({
      extensions: { code: "BAD_GATEWAY" },
      message: expect.stringMatching(/refused the credentials \(HTTP 401\)/),
    });
    const right = await connect("Secured", secured.dicomwebUrl, {
      authKind: "BASIC",
      username: "pacs",
      password: "the-right-password",
    });
    expect(
      (await api.as<{ searchPacs: unknown[] }>(coordinatorId, SEARCH, { input: { connectionId: right } })).searchPacs,
    ).toEqual([]);

    const gone = await connect("Gone", `http://127.0.0.1:${await findFreePort()}/dicom-web`);
    const unreachable = await api.tryAs(coordinatorId, SEARCH, { input: { connectionId: gone } });
    expect(unreachable.errors?.[0]).toMatchObject({
      extensions: { code: "BAD_GATEWAY" },
      message: expect.stringMatching(/cannot be reached \(ECONNREFUSED\)/),
    });
  });

  it("refuses a base URL that cannot work and a BASIC login without a password, naming the field", async () => {
    const bad = await api.tryAs(adminId, CREATE, {
      input: { siteId: globalId("Site", siteId), name: "Bad", baseUrl: "ftp://pacs.example", authKind: "NONE" },
    });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "baseUrl" } });
    const noPassword = await api.tryAs(adminId, CREATE, {
      input: {
        siteId: globalId("Site", siteId),
        name: "Bad2",
        baseUrl: "http://pacs.example",
        authKind: "BASIC",
        username: "u",
      },
    });
    expect(noPassword.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "password" } });
  });
});
