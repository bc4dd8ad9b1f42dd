import dcmjs from "dcmjs";
import { findFreePort } from "@mammo/db/testing";
import { buildDicom } from "@mammo/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fourViewStudy, instanceUidOf, seriesUidOf, studyUidOf, type StudyIdentity } from "../test/four-view-study.ts";
import { orthancMissing, startOrthanc, type OrthancServer } from "../test/orthanc-server.ts";
import { createDicomwebClient } from "./dicomweb-client.ts";
import { DicomwebError } from "./dicomweb-error.ts";

// Against a real PACS: Orthanc with its DICOMweb plugin (QIDO-RS, WADO-RS, STOW-RS).
const JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
const SPRING: StudyIdentity = {
  patientId: "MRN-1001",
  patientName: "Spring^Alice",
  accessionNumber: "ACC-2021-0001",
  studyDate: "20210412",
  uidStem: "1.2.826.0.1.3680043.8.498.71001",
};
const AUTUMN: StudyIdentity = {
  patientId: "MRN-1002",
  patientName: "Autumn^Beth",
  accessionNumber: "ACC-2021-0002",
  studyDate: "20211020",
  uidStem: "1.2.826.0.1.3680043.8.498.71002",
};

const metaOf = (bytes: Uint8Array) => dcmjs.data.DicomMessage.readFile(bytes.slice().buffer);

describe.skipIf(orthancMissing())("DICOMweb client against Orthanc", () => {
  let orthanc: OrthancServer;
  let secured: OrthancServer;
  let uploaded: Uint8Array[];

  beforeAll(async () => {
    [orthanc, secured] = await Promise.all([startOrthanc(), startOrthanc({ users: { pacsuser: "right-password" } })]);
    uploaded = await fourViewStudy(SPRING);
    for (const file of [...uploaded, ...(await fourViewStudy(AUTUMN))]) await orthanc.upload(file);
  });
  afterAll(async () => {
    await Promise.all([orthanc?.stop(), secured?.stop()]);
  });

  const client = () => createDicomwebClient({ baseUrl: orthanc.dicomwebUrl, auth: { kind: "NONE" } });

  it("finds a study by accession number and by study date range (QIDO-RS)", async () => {
    const byAccession = await client().searchStudies({ accessionNumber: SPRING.accessionNumber });
    expect(byAccession).toEqual([
      expect.objectContaining({
        studyInstanceUid: studyUidOf(SPRING),
        patientId: SPRING.patientId,
        accessionNumber: SPRING.accessionNumber,
        studyDate: "2021-04-12",
        modalities: ["MG"],
        instanceCount: 4,
      }),
    ]);
    const autumnOnly = await client().searchStudies({ studyDateFrom: "2021-06-01", studyDateTo: "2021-12-31" });
    expect(autumnOnly.map((s) => s.studyInstanceUid)).toEqual([studyUidOf(AUTUMN)]);
    const both = await client().searchStudies({ studyDateFrom: "2021-01-01" });
    expect(both.map((s) => s.studyInstanceUid).sort()).toEqual([studyUidOf(SPRING), studyUidOf(AUTUMN)].sort());
    expect(await client().searchStudies({ patientId: "MRN-NOBODY" })).toEqual([]);
  });

  it("retrieves each instance in the syntax the PACS holds it (WADO-RS), compressed ones still compressed", async () => {
    const refs = await client().searchInstances(studyUidOf(SPRING));
    expect(refs.map((r) => r.sopInstanceUid)).toEqual([0, 1, 2, 3].map((i) => instanceUidOf(SPRING, i)));
    expect(new Set(refs.map((r) => r.seriesInstanceUid))).toEqual(new Set([seriesUidOf(SPRING)]));
    for (const [i, ref] of refs.entries()) {
      const bytes = await client().retrieveInstance(ref);
      const file = metaOf(bytes);
      expect(file.dict["00080018"]!.Value).toEqual([ref.sopInstanceUid]);
      expect(file.meta["00020010"]!.Value).toEqual([metaOf(uploaded[i]!).meta["00020010"]!.Value![0]]);
      expect(file.dict["7FE00010"]!.Value!.length).toBeGreaterThan(0);
    }
    expect(metaOf(await client().retrieveInstance(refs[1]!)).meta["00020010"]!.Value).toEqual([JPEG_LS_LOSSLESS]);
  });

  it("stores objects (STOW-RS) that QIDO then finds", async () => {
    const extra = buildDicom({
      attributes: {
        StudyInstanceUID: "1.2.826.0.1.3680043.8.498.71003.1",
        SeriesInstanceUID: "1.2.826.0.1.3680043.8.498.71003.2",
        SOPInstanceUID: "1.2.826.0.1.3680043.8.498.71003.3.1",
        AccessionNumber: "ACC-STOW",
      },
    });
    const result = await client().storeInstances([extra]);
    expect(result.storedSopInstanceUids).toEqual(["1.2.826.0.1.3680043.8.498.71003.3.1"]);
    expect((await client().searchStudies({ accessionNumber: "ACC-STOW" })).length).toBe(1);
  });

  it("names an unreachable PACS and refused credentials", async () => {
    const closedPort = await findFreePort();
    const unreachable = createDicomwebClient({
      baseUrl: `http://127.0.0.1:${closedPort}/dicom-web`,
      auth: { kind: "NONE" },
    });
    const refused = await unreachable.searchStudies({}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DicomwebError);
    expect(refused).toMatchObject({
      code: "UNREACHABLE",
      message: expect.stringMatching(/cannot be reached \(ECONNREFUSED\)/),
    });

    const wrong = createDicomwebClient({
      baseUrl: secured.dicomwebUrl,
      auth: { kind: "BASIC", username: "pacsuser", password: "wrong-password" },
    });
    await expect(wrong.searchStudies({})).rejects.toMatchObject({ code: "UNAUTHORIZED", status: 401 });
    const none = createDicomwebClient({ baseUrl: secured.dicomwebUrl, auth: { kind: "NONE" } });
    await expect(none.searchStudies({})).rejects.toThrow(/HTTP 401: it asks for authentication/);
    const right = createDicomwebClient({
      baseUrl: secured.dicomwebUrl,
      auth: { kind: "BASIC", username: "pacsuser", password: "right-password" },
    });
    expect(await right.searchStudies({})).toEqual([]);
  });

  it("refuses a base URL with credentials in it or a date that is not YYYY-MM-DD", async () => {
    expect(() => createDicomwebClient({ baseUrl: "http://u:p@pacs.example/dw", auth: { kind: "NONE" } })).toThrow(
      /credentials in the authentication settings/,
    );
    await expect(client().searchStudies({ studyDateFrom: "12/04/2021" })).rejects.toThrow(
      /studyDateFrom must be YYYY-MM-DD/,
    );
  });
});
