import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@mammo/db/testing";
import { sealCredentials } from "@mammo/dicomweb";
import {
  fourViewStudy,
  instanceUidOf,
  studyUidOf,
  type StudyIdentity,
  orthancMissing,
  startOrthanc,
  type OrthancServer,
} from "@mammo/dicomweb/testing";
import { startJobQueue, type JobQueue } from "@mammo/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHoldingProxy, type HoldingProxy } from "./holding-proxy.ts";
import {
  createTempBlobDir,
  spawnWorkerProcess,
  startInProcessWorker,
  waitFor,
  type WorkerProcess,
} from "./trainer-harness.ts";

// Must show 1: a real PACS (Orthanc) -> the `pacs-import` job -> the same ingest as file imports.
const SECRETS = {
  NEXTAUTH_SECRET: "pacs-test-nextauth-secret-0123456789",
  DEID_SECRET: "pacs-test-deid-secret-0123456789",
};
const study = (n: number, date: string): StudyIdentity => ({
  patientId: `MRN-77${n}`,
  patientName: `Patient^Number${n}`,
  accessionNumber: `ACC-77${n}`,
  studyDate: date,
  uidStem: `1.2.826.0.1.3680043.8.498.77${n}`,
});
const [ONE, TWO, THREE] = [study(1, "20220110"), study(2, "20220211"), study(3, "20220312")];

describe.skipIf(orthancMissing())("PACS import (Orthanc, DICOMweb, pacs-import job)", () => {
  let database: TestDatabase;
  let orthanc: OrthancServer;
  let secured: OrthancServer;
  let proxy: HoldingProxy;
  let blobDir: Awaited<ReturnType<typeof createTempBlobDir>>;
  let boss: JobQueue;
  let siteId: string;
  let userId: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    Object.assign(process.env, SECRETS);
    [database, orthanc, secured, blobDir] = await Promise.all([
      createTestDatabase(),
      startOrthanc(),
      startOrthanc({ users: { pacs: "pacs-password" } }),
      createTempBlobDir(),
    ]);
    for (const s of [ONE, TWO, THREE]) for (const file of await fourViewStudy(s)) await orthanc.upload(file);
    await secured.upload((await fourViewStudy(ONE))[0]!);
    proxy = await startHoldingProxy(orthanc.url);
    boss = await startJobQueue(database.url, { supervise: false, max: 2 });
    siteId = (await database.db.site.create({ data: { code: "PACS", name: "PACS site" } })).id;
    userId = (
      await database.db.user.create({
        data: {
          email: "coord@pacs.example",
          name: "Coordinator",
          memberships: { create: [{ siteId, role: "COORDINATOR" }] },
        },
      })
    ).id;
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
    await boss?.stop({ graceful: false, wait: true });
    await proxy?.close();
    await Promise.all([orthanc?.stop(), secured?.stop(), database?.drop(), blobDir?.remove()]);
  });

  async function connection(baseUrl: string, auth?: { username: string; password: string }) {
    const row = await database.db.pacsConnection.create({
      data: { siteId, name: `pacs-${Math.random()}`, baseUrl, createdById: userId, maxConcurrency: 2 },
    });
    if (!auth) return row.id;
    await database.db.pacsConnection.update({
      where: { id: row.id },
      data: {
        authKind: "BASIC",
        sealedAuth: sealCredentials(SECRETS.NEXTAUTH_SECRET, row.id, { kind: "BASIC", ...auth }),
      },
    });
    return row.id;
  }
  async function requestImport(connectionId: string, studies: StudyIdentity[]) {
    const row = await database.db.pacsImport.create({
      data: {
        siteId,
        connectionId,
        requestedById: userId,
        studies: { create: studies.map((s, position) => ({ position, studyInstanceUid: studyUidOf(s) })) },
      },
    });
    await boss.send("pacs-import", { pacsImportId: row.id });
    return row.id;
  }
  const importState = (id: string) =>
    database.db.pacsImport.findUniqueOrThrow({ where: { id }, include: { studies: { orderBy: { position: "asc" } } } });
  const finished = (id: string) =>
    waitFor(`PACS import ${id} to finish`, async () => {
      const state = await importState(id);
      return state.status === "SUCCEEDED" || state.status === "FAILED" ? state : null;
    });
  const retrievesOf = (s: StudyIdentity) =>
    proxy.paths.filter((p) => p.includes(`/studies/${studyUidOf(s)}/series/`)).length;

  it("imports a four-view study de-identified, and a second import of it is a no-op", async () => {
    const worker = await startInProcessWorker(database.url, blobDir.blobs, { queues: ["pacs-import"] });
    try {
      const connectionId = await connection(`${proxy.url}/dicom-web`);
      const first = await finished(await requestImport(connectionId, [ONE]));
      expect(first).toMatchObject({ status: "SUCCEEDED", error: null });
      expect(first.studies[0]).toMatchObject({ status: "IMPORTED", instanceCount: 4, imageCount: 4, errors: [] });
      const caseId = first.studies[0]!.caseId!;
      const images = await database.db.image.findMany({ where: { caseId }, orderBy: { laterality: "asc" } });
      expect(images.map((i) => `${i.laterality}${i.view}`).sort()).toEqual(["LCC", "LMLO", "RCC", "RMLO"]);
      expect(images.every((i) => i.status === "ACTIVE")).toBe(true);
      const originals = [0, 1, 2, 3].map((i) => instanceUidOf(ONE, i));
      expect(images.some((i) => originals.includes(i.sopInstanceUid!))).toBe(false);
      const exam = await database.db.case.findUniqueOrThrow({ where: { id: caseId }, include: { patient: true } });
      expect(exam.accessionKey).not.toContain(ONE.accessionNumber);
      expect(exam.patient.pseudonym).not.toContain(ONE.patientId);

      // Nothing original in storage: not the patient's ID or name, not a UID, not the hospital.
      const stored = await allFiles(blobDir.dir);
      expect(stored.length).toBeGreaterThanOrEqual(4);
      for (const bytes of stored) {
        const text = bytes.toString("latin1");
        for (const secret of [ONE.patientId, "Number1", ONE.accessionNumber, ONE.uidStem, "Must Not Leak"])
          expect(text.includes(secret), `stored blob contains ${secret}`).toBe(false);
      }
      // The map back to the PACS: original UIDs kept per site, identifiers sealed.
      const link = await database.db.pacsStudyLink.findFirstOrThrow({
        where: { caseId },
        include: { instances: true },
      });
      expect(link.originalStudyUid).toBe(studyUidOf(ONE));
      expect(link.sealedIdentity).not.toContain(ONE.patientId);
      expect(link.instances.map((i) => i.originalSopUid).sort()).toEqual([...originals].sort());
      expect(link.instances.map((i) => i.deidSopUid).sort()).toEqual(images.map((i) => i.sopInstanceUid).sort());

      const retrievedBefore = retrievesOf(ONE);
      const again = await finished(await requestImport(connectionId, [ONE]));
      expect(again.studies[0]).toMatchObject({ status: "ALREADY_IMPORTED", caseId, imageCount: 0 });
      expect(retrievesOf(ONE)).toBe(retrievedBefore); // nothing fetched again
      expect(await database.db.image.count({ where: { case: { siteId } } })).toBe(4);
      expect(await database.db.case.count({ where: { siteId } })).toBe(1);
    } finally {
      await worker.stop();
    }
  });

  it("fails an import whose credentials the PACS refuses, saying so", async () => {
    const worker = await startInProcessWorker(database.url, blobDir.blobs, { queues: ["pacs-import"] });
    try {
      const connectionId = await connection(secured.dicomwebUrl, { username: "pacs", password: "wrong" });
      const failed = await finished(await requestImport(connectionId, [ONE]));
      expect(failed.status).toBe("FAILED");
      expect(failed.error).toMatch(/refused the credentials \(HTTP 401\)/);
    } finally {
      await worker.stop();
    }
  });

  it("resumes after the worker is killed mid-import, without fetching or importing a study twice", async () => {
    const connectionId = await connection(`${proxy.url}/dicom-web`);
    proxy.hold(new RegExp(`/studies/${studyUidOf(THREE).replace(/\./g, "\\.")}/series/`));
    const importId = await requestImport(connectionId, [TWO, THREE]);
    const first = spawnWorkerProcess(database.url, blobDir.dir, "pacs-1", {
      ...SECRETS,
      TRAINER_QUEUES: "pacs-import",
    });
    workers.push(first);
    await waitFor("study 2 imported and study 3 being retrieved", async () => {
      const state = await importState(importId);
      return state.studies[0]!.status === "IMPORTED" && proxy.isHolding();
    });
    first.child.kill("SIGKILL");
    await first.exited;
    expect((await importState(importId)).studies.map((s) => s.status)).toEqual(["IMPORTED", "PENDING"]);
    proxy.release();

    const second = spawnWorkerProcess(database.url, blobDir.dir, "pacs-2", {
      ...SECRETS,
      TRAINER_QUEUES: "pacs-import",
    });
    workers.push(second);
    const done = await finished(importId);
    expect(done.status, second.output()).toBe("SUCCEEDED");
    expect(done.studies.map((s) => [s.status, s.imageCount])).toEqual([
      ["IMPORTED", 4],
      ["IMPORTED", 4],
    ]);
    expect(retrievesOf(TWO)).toBe(4); // study 2 was not fetched again by the second worker
    expect(await database.db.case.count({ where: { siteId } })).toBe(3);
    expect(await database.db.image.count({ where: { case: { siteId } } })).toBe(12);
    second.child.kill("SIGTERM");
    await second.exited;
  });
});

async function allFiles(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) out.push(await readFile(path.join(entry.parentPath, entry.name)));
  return out;
}
