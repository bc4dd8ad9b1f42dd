/* eslint-disable @typescript-eslint/no-explicit-any -- datasets read back from the PACS are checked field by field */
import dcmjs from "dcmjs";
import { createDicomwebClient, sealJson, type DicomwebClient } from "@mammo/dicomweb";
import {
  fourViewStudy,
  instanceUidOf,
  seriesUidOf,
  studyUidOf,
  type StudyIdentity,
  dciodvfy,
  dsrdump,
  validatorsMissing,
  orthancMissing,
  startOrthanc,
  type OrthancServer,
} from "@mammo/dicomweb/testing";
import { importManifest, replacementUid } from "@mammo/imaging";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnnotation, createLabel, createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, TEST_SESSION_SECRET, type TestApi } from "../../../test/harness.ts";
import { createCasePredictions, createModelVersion } from "../../../test/study-factories.ts";

// Must show 2 (through the API): a case that came from a PACS sends its regions (TID 1500 SR)
// and a heatmap (Secondary Capture) back into the ORIGINAL study on that PACS; the objects are
// read back and validated, and the platform shows the heatmap from the PACS (the API's
// rendered route, which the viewer loads like any image).
const DEID_SECRET = "export-test-deid-secret-0123456789";
const STUDY: StudyIdentity = {
  patientId: "MRN-6601",
  patientName: "Export^Ella",
  accessionNumber: "ACC-6601",
  studyDate: "20200707",
  uidStem: "1.2.826.0.1.3680043.8.498.66001",
};
const EXPORT = `mutation ($input: ExportResultsToPacsInput!) { exportResultsToPacs(input: $input) { studyInstanceUid objects { kind sopInstanceUid } } }`;
const natural = (bytes: Uint8Array): Record<string, any> =>
  dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict);

describe.skipIf(orthancMissing() ?? validatorsMissing())("results back to the PACS through the API", () => {
  let api: TestApi;
  let orthanc: OrthancServer;
  let pacs: DicomwebClient;
  let siteId: string;
  let coordinatorId: string;
  let readerId: string;
  let caseId: string;
  let connectionId: string;
  let mapIds: string[];

  beforeAll(async () => {
    [api, orthanc] = await Promise.all([startTestApi(), startOrthanc()]);
    for (const f of await fourViewStudy(STUDY)) await orthanc.upload(f);
    pacs = createDicomwebClient({ baseUrl: orthanc.dicomwebUrl, auth: { kind: "NONE" } });
    siteId = (await createSite(api.db)).id;
    const adminId = (await createUser(api.db, [{ siteId, role: "ADMIN" }])).id;
    coordinatorId = (await createUser(api.db, [{ siteId, role: "COORDINATOR" }])).id;
    readerId = (await createUser(api.db, [{ siteId, role: "READER" }])).id;
    connectionId = (
      await api.as<{ createPacsConnection: { id: string } }>(
        adminId,
        `mutation ($input: CreatePacsConnectionInput!) { createPacsConnection(input: $input) { id } }`,
        {
          input: { siteId: globalId("Site", siteId), name: "Orthanc", baseUrl: orthanc.dicomwebUrl, authKind: "NONE" },
        },
      )
    ).createPacsConnection.id;

    // The state a PACS import leaves (apps/trainer/test/pacs-import.integration.test.ts shows the
    // worker writes it): the study ingested by importManifest, and the site's map back to the PACS.
    const refs = await pacs.searchInstances(studyUidOf(STUDY));
    const files = await Promise.all(refs.map((r) => pacs.retrieveInstance(r)));
    const summary = await importManifest(
      { db: api.db, blobs: api.blobs, deidSecret: DEID_SECRET },
      {
        actorUserId: coordinatorId,
        siteId,
        source: "pacs",
        manifestCsv: ["file,patient,case", ...refs.map((_, i) => `f${i},P-export,S-export`)].join("\n"),
        readFile: async (name) => files[Number(name.slice(1))]!,
      },
    );
    expect(summary).toMatchObject({ caseCount: 1, imageCount: 4 });
    const exam = await api.db.case.findFirstOrThrow({ where: { siteId, accessionKey: "S-export" } });
    caseId = exam.id;
    const rawConnectionId = Buffer.from(connectionId, "base64").toString().split(":")[1]!;
    await api.db.pacsStudyLink.create({
      data: {
        siteId,
        connectionId: rawConnectionId,
        caseId,
        originalStudyUid: studyUidOf(STUDY),
        deidStudyUid: replacementUid(DEID_SECRET, studyUidOf(STUDY)),
        sealedIdentity: sealJson(TEST_SESSION_SECRET, `study-link:${siteId}:${studyUidOf(STUDY)}`, {
          patientId: STUDY.patientId,
          patientName: STUDY.patientName,
          accessionNumber: STUDY.accessionNumber,
          studyDate: STUDY.studyDate,
        }),
        instances: {
          create: refs.map((r) => ({
            originalSeriesUid: r.seriesInstanceUid,
            originalSopUid: r.sopInstanceUid,
            deidSopUid: replacementUid(DEID_SECRET, r.sopInstanceUid),
            sopClassUid: r.sopClassUid,
          })),
        },
      },
    });
    const rcc = await api.db.image.findFirstOrThrow({ where: { caseId, laterality: "R", view: "CC" } });
    const label = await createLabel(api.db, caseId, coordinatorId, "SOLID", { laterality: "R" });
    await createAnnotation(api.db, rcc.id, coordinatorId, label.findingId); // box x 1, y 1, 3 x 4
    const model = await createModelVersion(api.db, {
      siteId,
      createdById: coordinatorId,
      name: "idc-export",
      version: 3,
    });
    mapIds = await createCasePredictions(api.db, api.blobs, {
      modelVersionId: model.id,
      caseId,
      probabilities: [0.1, 0.7, 0.2],
    });
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), orthanc?.stop()]);
  });

  it("stores an SR and a heatmap into the original study, valid and referring to the original instances", async () => {
    const rcc = await api.db.image.findFirstOrThrow({ where: { caseId, laterality: "R", view: "CC" } });
    const rccMap = await api.db.saliencyMap.findFirstOrThrow({
      where: { id: { in: mapIds }, prediction: { imageId: rcc.id }, classIndex: 1 },
    });
    const { exportResultsToPacs } = await api.as<{
      exportResultsToPacs: { studyInstanceUid: string; objects: { kind: string; sopInstanceUid: string }[] };
    }>(coordinatorId, EXPORT, {
      input: {
        caseId: globalId("Case", caseId),
        connectionId,
        identifiers: "ORIGINAL",
        includeRegions: true,
        saliencyMapIds: [globalId("SaliencyMap", rccMap.id)],
      },
    });
    expect(exportResultsToPacs.studyInstanceUid).toBe(studyUidOf(STUDY));
    expect(exportResultsToPacs.objects.map((o) => o.kind)).toEqual(["MEASUREMENT_REPORT", "HEATMAP"]);

    const onPacs = await pacs.searchInstances(studyUidOf(STUDY));
    expect(onPacs).toHaveLength(6); // the four views and the two results, in the same (original) study
    const get = (uid: string) => pacs.retrieveInstance(onPacs.find((i) => i.sopInstanceUid === uid)!);
    const [srUid, heatmapUid] = exportResultsToPacs.objects.map((o) => o.sopInstanceUid);
    const srBytes = await get(srUid!);
    const heatmapBytes = await get(heatmapUid!);
    expect((await dciodvfy(srBytes)).errors).toEqual([]);
    expect((await dciodvfy(heatmapBytes)).errors).toEqual([]);
    const dump = await dsrdump(srBytes);
    expect(dump.status, dump.output).toBe(0);
    expect(dump.output).toContain(
      '<contains CODE:(121071,DCM,"Finding")=(SOLID,99MAMMO,"Invasive ductal carcinoma, solid type")>',
    );
    expect(dump.output).toContain("(POLYLINE,1/1,4/1,4/5,1/5,1/1)"); // the box, closed

    const sr = natural(srBytes);
    expect([sr.PatientID, sr.PatientName[0]?.Alphabetic ?? sr.PatientName, sr.AccessionNumber]).toEqual([
      STUDY.patientId,
      STUDY.patientName,
      STUDY.accessionNumber,
    ]);
    const evidence = sr.CurrentRequestedProcedureEvidenceSequence[0].ReferencedSeriesSequence[0];
    expect(evidence.SeriesInstanceUID).toBe(seriesUidOf(STUDY));
    expect(evidence.ReferencedSOPSequence.map((r: any) => r.ReferencedSOPInstanceUID)).toEqual([
      instanceUidOf(STUDY, 0),
    ]);

    const heatmap = natural(heatmapBytes);
    expect(heatmap.SourceImageSequence[0].ReferencedSOPInstanceUID).toBe(instanceUidOf(STUDY, 0));
    expect(heatmap.DerivationDescription).toBe(
      "GRAD_CAM heatmap, layer block5_conv3, class SOLID, score 0.700, model idc-export v3",
    );
    expect([heatmap.Rows, heatmap.Columns]).toEqual([rcc.heightPx, rcc.widthPx]);

    // The platform's own display of the heatmap, fetched from the PACS: the same pixels.
    const route = `${api.url}/pacs/${connectionId}/studies/${studyUidOf(STUDY)}/series/${heatmap.SeriesInstanceUID}/instances/${heatmapUid}/rendered.png`;
    const shown = await fetch(route, { headers: { Authorization: `Bearer ${await api.sessionFor(coordinatorId)}` } });
    expect(shown.status).toBe(200);
    const { data, info } = await sharp(Buffer.from(await shown.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([rcc.widthPx, rcc.heightPx, 3]);
    expect(Buffer.compare(data, Buffer.from(new Uint8Array(heatmap.PixelData[0])))).toBe(0);
    const refused = await fetch(route, { headers: { Authorization: `Bearer ${await api.sessionFor(readerId)}` } });
    expect(refused.status).toBe(404); // readers never reach the PACS

    // What the case page lists: the results in the study on the PACS, the heatmap with its PNG route.
    const RESULTS = `query ($caseId: ID!) { casePacsResults(caseId: $caseId) { kind sopInstanceUid renderedPath } }`;
    const { casePacsResults } = await api.as<{
      casePacsResults: { kind: string; sopInstanceUid: string; renderedPath: string | null }[];
    }>(coordinatorId, RESULTS, { caseId: globalId("Case", caseId) });
    expect(casePacsResults.map((r) => r.kind).sort()).toEqual(["HEATMAP", "MEASUREMENT_REPORT"]);
    const listed = casePacsResults.find((r) => r.kind === "HEATMAP")!;
    expect(listed.sopInstanceUid).toBe(heatmapUid);
    const viaList = await fetch(`${api.url}${listed.renderedPath}`, {
      headers: { Authorization: `Bearer ${await api.sessionFor(coordinatorId)}` },
    });
    expect(viaList.status).toBe(200);
    expect(
      (await api.tryAs(readerId, RESULTS, { caseId: globalId("Case", caseId) })).errors?.[0]?.extensions?.code,
    ).toBe("NOT_FOUND");
  });

  it("sends de-identified results with the platform's UIDs, and refuses ORIGINAL for a case from elsewhere", async () => {
    const { exportResultsToPacs } = await api.as<{ exportResultsToPacs: { studyInstanceUid: string } }>(
      coordinatorId,
      EXPORT,
      {
        input: { caseId: globalId("Case", caseId), connectionId, identifiers: "DEIDENTIFIED", includeRegions: true },
      },
    );
    expect(exportResultsToPacs.studyInstanceUid).toBe(replacementUid(DEID_SECRET, studyUidOf(STUDY)));
    const [study] = await pacs.searchStudies({ patientId: "P-export", modality: "SR" });
    expect(study).toMatchObject({
      studyInstanceUid: replacementUid(DEID_SECRET, studyUidOf(STUDY)),
      patientName: "P-export",
    });

    await api.db.pacsStudyLink.deleteMany({ where: { caseId } });
    const refused = await api.tryAs(coordinatorId, EXPORT, {
      input: { caseId: globalId("Case", caseId), connectionId, identifiers: "ORIGINAL", includeRegions: true },
    });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "identifiers" } });
  });
});
