import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createLabel, createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import { NEXT_CASE, SUBMIT_READ } from "../../../test/reading-documents.ts";
import { createCasePredictions, createModelVersion, createStudy } from "../../../test/study-factories.ts";

const CORRECT = /* GraphQL */ `
  mutation Correct($input: CorrectReadInput!) {
    correctRead(input: $input) {
      read {
        id
        version
        answer
        correctionReason
      }
    }
  }
`;
const MY_STUDIES = /* GraphQL */ `
  query {
    myReaderStudies {
      studyId
      studyName
      status
      arm
      caseCount
      progress {
        unaidedReads
        aidedReads
      }
      nextCase {
        caseCode
      }
    }
  }
`;
const MY_READS = /* GraphQL */ `
  query Reads($studyId: ID!) {
    myReads(studyId: $studyId) {
      caseCode
      phase
      version
      answer
      correctionReason
    }
  }
`;

type Task = {
  studyId: string;
  caseCode: string;
  position: number;
  caseCount: number;
  phase: "UNAIDED" | "AIDED";
  images: { id: string; widthPx: number; heightPx: number; displayUrl: string }[];
  myUnaidedRead: { answer: string } | null;
  ai: {
    answer: string;
    probabilities: { subtype: string; probability: number }[];
    heatmaps: { imageId: string; url: string }[];
  } | null;
};

describe("reading a study (readers)", () => {
  let api: TestApi;
  let unaidedReader: string;
  let aidedReader: string;
  let outsider: string;
  let studyId: string;
  let closedStudyId: string;
  let cases: { id: string; accessionKey: string; pseudonym: string }[];
  let siteCode: string;
  let orderOf: (userId: string) => Promise<string[]>;

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    siteCode = site.code;
    const readerSite = await createSite(api.db);
    const coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
    const annotator = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    const ml = (await createUser(api.db, [{ siteId: site.id, role: "ML_ENGINEER" }])).id;
    // Readers come from another site than the cases.
    unaidedReader = (await createUser(api.db, [{ siteId: readerSite.id, role: "READER" }])).id;
    aidedReader = (await createUser(api.db, [{ siteId: readerSite.id, role: "READER" }])).id;
    outsider = (await createUser(api.db, [{ siteId: readerSite.id, role: "READER" }])).id;
    cases = [];
    const model = await createModelVersion(api.db, { siteId: site.id, createdById: ml });
    for (let i = 0; i < 3; i++) {
      const c = await createCase(api.db, api.blobs, site.id);
      await createLabel(api.db, c.id, annotator, "SCIRRHOUS");
      await createCasePredictions(api.db, api.blobs, {
        modelVersionId: model.id,
        caseId: c.id,
        probabilities: [0.1, 0.7, 0.2],
      });
      const patient = await api.db.patient.findUniqueOrThrow({ where: { id: c.patientId } });
      cases.push({ id: c.id, accessionKey: c.accessionKey, pseudonym: patient.pseudonym });
    }
    const { study } = await createStudy(api.db, {
      siteId: site.id,
      createdById: coordinator,
      caseIds: cases.map((c) => c.id),
      modelVersionId: model.id,
      readers: [
        { userId: unaidedReader, arm: "UNAIDED" },
        { userId: aidedReader, arm: "AIDED" },
      ],
    });
    studyId = globalId("ReaderStudy", study.id);
    const closed = await createStudy(api.db, {
      siteId: site.id,
      createdById: coordinator,
      caseIds: [cases[0]!.id],
      readers: [{ userId: unaidedReader, arm: "UNAIDED" }],
      status: "CLOSED",
    });
    closedStudyId = globalId("ReaderStudy", closed.study.id);
    orderOf = async (userId) => {
      const reader = await api.db.studyReader.findFirstOrThrow({
        where: { studyId: study.id, userId },
        include: { order: { orderBy: { position: "asc" }, include: { studyCase: true } } },
      });
      return reader.order.map((o) => o.studyCase.code);
    };
  });
  afterAll(async () => {
    await api.stop();
  });

  const next = async (userId: string, id = studyId) =>
    (await api.as<{ myNextCase: Task | null }>(userId, NEXT_CASE, { studyId: id })).myNextCase;
  const asUser = async <
    T = {
      submitRead: {
        read: { id: string; version: number; answer: string };
        next: { caseCode: string; phase: string } | null;
      };
    },
  >(
    userId: string,
    query: string,
    variables: Record<string, unknown>,
  ) => api.graphql<T>(query, variables, { token: await api.sessionFor(userId) });
  const read = (task: Task, extra: Record<string, unknown> = {}) => ({
    studyId,
    caseCode: task.caseCode,
    phase: task.phase,
    answer: "SOLID",
    confidence: 60,
    timeSpentMs: 15_000,
    ...extra,
  });

  it("gives each reader the cases in their own order, showing only codes and images (no patient, site, truth or AI)", async () => {
    const task = (await next(unaidedReader))!;
    expect(task).toMatchObject({ position: 1, caseCount: 3, phase: "UNAIDED", myUnaidedRead: null, ai: null });
    expect(task.caseCode).toBe((await orderOf(unaidedReader))[0]);
    expect(task.images.map((i) => i.displayUrl)).toHaveLength(4);
    expect((await next(aidedReader))!.caseCode).toBe((await orderOf(aidedReader))[0]);
    const text = JSON.stringify(await api.as(unaidedReader, NEXT_CASE, { studyId }));
    for (const secret of [...cases.flatMap((c) => [c.accessionKey, c.pseudonym, c.id]), siteCode, 'SCIRRHOUS"}', "0.7"])
      expect(text).not.toContain(secret);
    // The image route serves the study's images to its readers.
    const image = await fetch(`${api.url}${task.images[0]!.displayUrl}`, {
      headers: { authorization: `Bearer ${await api.sessionFor(unaidedReader)}` },
    });
    expect(image.status).toBe(200);
    // Someone not assigned to the study gets nothing.
    const stranger = await api.graphql(NEXT_CASE, { studyId }, { token: await api.sessionFor(outsider) });
    expect(stranger.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("validates a read against the study's questions and the case's images, naming the field, writing nothing", async () => {
    const task = (await next(unaidedReader))!;
    const badInputs = [
      [{ answer: "BENIGN" }, "answer"],
      [{ confidence: null }, "confidence"],
      [{ confidence: 101 }, "confidence"],
      [
        { roi: { imageId: task.images[0]!.id, shape: "BOX", geometry: { x: 2, y: 2, width: 50, height: 3 } } },
        "roi.geometry",
      ],
      [
        {
          roi: {
            imageId: task.images[0]!.id,
            shape: "POLYGON",
            geometry: {
              points: [
                [1, 1],
                [2, 2],
              ],
            },
          },
        },
        "roi.geometry",
      ],
      [
        {
          roi: {
            imageId: globalId("Image", "00000000-0000-4000-8000-000000000000"),
            shape: "POINT",
            geometry: { x: 1, y: 1 },
          },
        },
        "roi.imageId",
      ],
    ] as const;
    for (const [extra, field] of badInputs) {
      const result = await asUser(unaidedReader, SUBMIT_READ, { input: read(task, extra) });
      expect(result.errors?.[0]?.extensions, JSON.stringify(extra)).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    expect(await api.db.read.count()).toBe(0);
  });

  it("accepts the current step only, locks submitted reads, and takes corrections as new versions with a reason", async () => {
    const first = (await next(unaidedReader))!;
    const order = await orderOf(unaidedReader);
    const outOfOrder = await asUser(unaidedReader, SUBMIT_READ, { input: read(first, { caseCode: order[2] }) });
    expect(outOfOrder.errors?.[0]).toMatchObject({ extensions: { code: "CONFLICT", field: "caseCode" } });

    const roi = { imageId: first.images[1]!.id, shape: "ELLIPSE", geometry: { cx: 4, cy: 5, rx: 2, ry: 3 } };
    const submitted = await asUser(unaidedReader, SUBMIT_READ, { input: read(first, { roi }) });
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data!.submitRead.read).toMatchObject({ version: 1, answer: "SOLID" });
    expect(submitted.data!.submitRead.next).toEqual({ caseCode: order[1], phase: "UNAIDED" });
    const audit = await api.db.auditEvent.findFirst({ where: { action: "read.submit", actorId: unaidedReader } });
    expect(audit?.entityType).toBe("Read");

    const again = await asUser(unaidedReader, SUBMIT_READ, { input: read(first) });
    expect(again.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    // The database itself refuses to change a submitted read.
    // (Its trigger raises restrict_violation, which Prisma reports as a constraint violation.)
    await expect(api.db.read.updateMany({ data: { answer: "SCIRRHOUS" } })).rejects.toThrow();
    await expect(api.db.read.deleteMany({})).rejects.toThrow();
    expect(await api.db.read.findMany({ select: { answer: true } })).toEqual([{ answer: "SOLID" }]);

    const readId = submitted.data!.submitRead.read.id;
    const noReason = await asUser(unaidedReader, CORRECT, {
      input: { readId, reason: " ", answer: "TUBULE_FORMING", confidence: 40, timeSpentMs: 3000 },
    });
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "reason" });
    const corrected = await asUser<{
      correctRead: { read: { id: string; version: number; answer: string; correctionReason: string } };
    }>(unaidedReader, CORRECT, {
      input: { readId, reason: "misclicked", answer: "TUBULE_FORMING", confidence: 40, timeSpentMs: 3000 },
    });
    expect(corrected.data!.correctRead.read).toMatchObject({
      version: 2,
      answer: "TUBULE_FORMING",
      correctionReason: "misclicked",
    });
    const stale = await asUser(unaidedReader, CORRECT, {
      input: { readId, reason: "again", answer: "SCIRRHOUS", confidence: 40, timeSpentMs: 3000 },
    });
    expect(stale.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    const reads = await api.as<{ myReads: { version: number; answer: string }[] }>(unaidedReader, MY_READS, {
      studyId,
    });
    expect(reads.myReads.map((r) => [r.version, r.answer])).toEqual([
      [1, "SOLID"],
      [2, "TUBULE_FORMING"],
    ]);
    // Another reader cannot correct it (or see it).
    const foreign = await asUser(aidedReader, CORRECT, {
      input: { readId, reason: "mine now", answer: "SCIRRHOUS", confidence: 1, timeSpentMs: 1 },
    });
    expect(foreign.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("AIDED arm: the AI's answer and heatmaps appear only after the reader's own unaided read of that case", async () => {
    const first = (await next(aidedReader))!;
    expect(first).toMatchObject({ phase: "UNAIDED", ai: null });
    const mapIds = (await api.db.saliencyMap.findMany({ select: { id: true } })).map((m) => m.id);
    const heatmapStatus = async (mapId: string) =>
      (
        await fetch(`${api.url}/saliency-maps/${mapId}/heatmap.png`, {
          headers: { authorization: `Bearer ${await api.sessionFor(aidedReader)}` },
        })
      ).status;
    // Before the unaided read no heatmap of the study is served to this reader.
    expect(new Set(await Promise.all(mapIds.map(heatmapStatus)))).toEqual(new Set([404]));

    const unaided = await asUser(aidedReader, SUBMIT_READ, { input: read(first, { answer: "TUBULE_FORMING" }) });
    expect(unaided.data!.submitRead.next).toEqual({ caseCode: first.caseCode, phase: "AIDED" });
    const aided = (await next(aidedReader))!;
    expect(aided).toMatchObject({
      caseCode: first.caseCode,
      phase: "AIDED",
      myUnaidedRead: { answer: "TUBULE_FORMING" },
    });
    expect(aided.ai!.answer).toBe("SOLID");
    expect(aided.ai!.probabilities.map((p) => p.probability)).toEqual([0.1, 0.7, 0.2].map((p) => expect.closeTo(p, 9)));
    expect(aided.ai!.heatmaps).toHaveLength(4);
    const shownMap = aided.ai!.heatmaps[0]!.url.split("/")[2]!;
    expect(await heatmapStatus(shownMap)).toBe(200);
    // Still nothing for the cases not read yet.
    const caseOf = async (mapId: string) =>
      (
        await api.db.saliencyMap.findUniqueOrThrow({
          where: { id: mapId },
          include: { prediction: { include: { image: true } } },
        })
      ).prediction.image.caseId;
    const readCaseId = await caseOf(shownMap);
    for (const mapId of mapIds) if ((await caseOf(mapId)) !== readCaseId) expect(await heatmapStatus(mapId)).toBe(404);
    // The unaided reader never gets heatmaps.
    const unaidedStatus = await fetch(`${api.url}/saliency-maps/${shownMap}/heatmap.png`, {
      headers: { authorization: `Bearer ${await api.sessionFor(unaidedReader)}` },
    });
    expect(unaidedStatus.status).toBe(404);

    // The unaided read cannot be corrected after the AI was shown.
    const fix = await asUser(aidedReader, CORRECT, {
      input: {
        readId: unaided.data!.submitRead.read.id,
        reason: "the AI convinced me",
        answer: "SOLID",
        confidence: 90,
        timeSpentMs: 1000,
      },
    });
    expect(fix.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    const second = await asUser(aidedReader, SUBMIT_READ, { input: read(aided, { answer: "SOLID" }) });
    expect(second.data!.submitRead.next).toMatchObject({ phase: "UNAIDED" });
  });

  it("lists the reader's studies with progress, ends with no next case, and refuses reads in closed studies", async () => {
    for (let task = await next(unaidedReader); task; task = await next(unaidedReader)) {
      const result = await asUser(unaidedReader, SUBMIT_READ, { input: read(task) });
      expect(result.errors).toBeUndefined();
    }
    const mine = await api.as<{
      myReaderStudies: { studyId: string; status: string; progress: { unaidedReads: number }; nextCase: unknown }[];
    }>(unaidedReader, MY_STUDIES);
    expect(mine.myReaderStudies).toHaveLength(2);
    const open = mine.myReaderStudies.find((s) => s.studyId === studyId)!;
    expect(open).toMatchObject({ status: "OPEN", progress: { unaidedReads: 3 }, nextCase: null });
    expect(await next(unaidedReader, closedStudyId)).toBeNull();
    const closedSubmit = await asUser(unaidedReader, SUBMIT_READ, {
      input: {
        studyId: closedStudyId,
        caseCode: "C-X",
        phase: "UNAIDED",
        answer: "SOLID",
        confidence: 5,
        timeSpentMs: 5,
      },
    });
    expect(closedSubmit.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect((await api.as<{ myReaderStudies: unknown[] }>(outsider, MY_STUDIES)).myReaderStudies).toEqual([]);
  });

  it("stops working at once when the reader loses the READER role", async () => {
    await api.db.membership.deleteMany({ where: { userId: aidedReader } });
    const result = await api.graphql(NEXT_CASE, { studyId }, { token: await api.sessionFor(aidedReader) });
    expect(result.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("rejects submit from anonymous callers", async () => {
    const result = await api.graphql(SUBMIT_READ, {
      input: { studyId, caseCode: "C-1", phase: "UNAIDED", answer: "SOLID", timeSpentMs: 1 },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
