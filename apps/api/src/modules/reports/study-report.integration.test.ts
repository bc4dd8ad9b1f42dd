import { wilsonInterval } from "@mammo/study-stats";
import type { Subtype } from "@mammo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createLabel, createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import { createCasePredictions, createModelVersion, createRead, createStudy } from "../../../test/study-factories.ts";

const REPORT = /* GraphQL */ `
  query Report($studyId: ID!) {
    studyReport(studyId: $studyId) {
      studyName
      classes
      notes
      readers {
        label
        email
        arm
      }
      ai {
        cases
        accuracy {
          estimate
          lower
          upper
          successes
          total
        }
        perClass {
          subtype
          sensitivity {
            estimate
          }
          specificity {
            estimate
          }
          auc {
            auc
            lower
            upper
          }
        }
        confusionMatrix {
          truth
          counts
        }
      }
      phases {
        phase
        fleissKappa
        readers {
          readerLabel
          phase
          figures {
            accuracy {
              estimate
              lower
              upper
              successes
              total
            }
            perClass {
              subtype
              sensitivity {
                estimate
                lower
                upper
              }
              specificity {
                estimate
              }
              auc {
                auc
              }
            }
          }
          kappaVsTruth {
            kappa
            lower
            upper
          }
          kappaVsAi {
            kappa
          }
          mcnemarVsAi {
            onlyReaderCorrect
            onlyAiCorrect
            pValue
          }
          accuracyDifferenceVsAi {
            difference
            lower
            upper
          }
          delongVsAi {
            subtype
            pValue
          }
        }
        regionsByReader {
          key
          a
          b
          c
          d
          total
        }
        regionsBySubtype {
          key
          total
        }
      }
      statistics
    }
  }
`;
// The query limits (breadth 100) keep one report request from asking for everything at once.
const REPORT_CASES = /* GraphQL */ `
  query Report($studyId: ID!, $subtype: Subtype!) {
    studyReport(studyId: $studyId) {
      readers {
        label
        email
        arm
      }
      mrmc {
        subtype
        readers
        unaidedAuc
        aidedAuc
        difference
        lower
        upper
        f
        ddf
        pValue
      }
      cases {
        code
        siteCode
        truth
        aiAnswer
        reads {
          readerLabel
          phase
          answer
          isCorrect
          region
        }
      }
      excludedCases {
        code
        reason
      }
      exports(subtype: $subtype) {
        answersCsv
        rjafrocCsv
        imrmc
        caseCodes
        notes
      }
    }
  }
`;

const CLASSES: Subtype[] = ["TUBULE_FORMING", "SOLID", "SCIRRHOUS"];
const N = 12;
const truthOf = (i: number) => CLASSES[i % 3]!;
const wrong = (i: number) => CLASSES[(i + 1) % 3]!;
// Who is right on case i: the AI on 9 of 12; each reader phase by its own rule.
const aiRight = (i: number) => i % 4 !== 3;
const RULES = {
  u1: (i: number) => i % 3 !== 0, // 8/12
  u2: (i: number) => i % 2 === 0, // 6/12
  a1: (i: number) => i % 3 !== 1, // unaided 8/12
  a1Aided: (i: number) => i % 4 !== 0, // aided 9/12
  a2: (i: number) => i % 5 !== 0, // unaided 9/12
  a2Aided: (i: number) => i % 6 !== 0, // aided 10/12
};

describe("study report (closed studies, coordinators)", () => {
  let api: TestApi;
  let coordinator: string;
  let otherCoordinator: string;
  let readerIds: Record<"u1" | "u2" | "a1" | "a2", { id: string; email: string }>;
  let studyId: string;
  let markedImageId: string;
  let markedCaseId: string;
  let ml: string;
  let siteId: string;
  let firstModel: { id: string; name: string };
  const caseIds: string[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    const db = api.db;
    const site = await createSite(db);
    const otherSite = await createSite(db);
    coordinator = (await createUser(db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
    otherCoordinator = (await createUser(db, [{ siteId: otherSite.id, role: "COORDINATOR" }])).id;
    const annotator = (await createUser(db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    ml = (await createUser(db, [{ siteId: site.id, role: "ML_ENGINEER" }])).id;
    siteId = site.id;
    const model = await createModelVersion(db, { siteId: site.id, createdById: ml });
    firstModel = model;
    for (let i = 0; i < N; i++) {
      const c = await createCase(db, api.blobs, site.id);
      await createLabel(db, c.id, annotator, truthOf(i));
      const ai = aiRight(i) ? truthOf(i) : wrong(i);
      await createCasePredictions(db, api.blobs, {
        modelVersionId: model.id,
        caseId: c.id,
        probabilities: CLASSES.map((k) => (k === ai ? 0.6 : 0.2) + i / 1000),
      });
      caseIds.push(c.id);
    }
    // A 13th case whose labels disagree: no truth, so it is excluded from the figures.
    const conflict = await createCase(db, api.blobs, site.id);
    await createLabel(db, conflict.id, annotator, "SOLID");
    await createLabel(db, conflict.id, annotator, "SCIRRHOUS");
    await createCasePredictions(db, api.blobs, {
      modelVersionId: model.id,
      caseId: conflict.id,
      probabilities: [0.3, 0.4, 0.3],
    });
    const users = Object.fromEntries(
      await Promise.all(
        (["u1", "u2", "a1", "a2"] as const).map(
          async (key) => [key, await createUser(db, [{ siteId: otherSite.id, role: "READER" }])] as const,
        ),
      ),
    );
    readerIds = Object.fromEntries(
      Object.entries(users).map(([k, u]) => [k, { id: u.id, email: u.email }]),
    ) as typeof readerIds;
    const { study, studyCases, readers } = await createStudy(db, {
      siteId: site.id,
      createdById: coordinator,
      caseIds: [...caseIds, conflict.id],
      modelVersionId: model.id,
      readers: [
        { userId: users.u1!.id, arm: "UNAIDED" },
        { userId: users.u2!.id, arm: "UNAIDED" },
        { userId: users.a1!.id, arm: "AIDED" },
        { userId: users.a2!.id, arm: "AIDED" },
      ],
    });
    studyId = globalId("ReaderStudy", study.id);
    const readerOf = (key: keyof typeof readerIds) => readers.find((r) => r.userId === readerIds[key].id)!.id;
    const studyCaseOf = (caseId: string) => studyCases.find((sc) => sc.caseId === caseId)!.id;
    const answer = (i: number, right: boolean) => (right ? truthOf(i) : wrong(i));
    for (let i = 0; i < N; i++) {
      const sc = studyCaseOf(caseIds[i]!);
      const confidence = 40 + ((i * 7) % 50);
      await createRead(db, {
        studyReaderId: readerOf("u1"),
        studyCaseId: sc,
        answer: answer(i, RULES.u1(i)),
        confidence,
      });
      await createRead(db, {
        studyReaderId: readerOf("u2"),
        studyCaseId: sc,
        answer: answer(i, RULES.u2(i)),
        confidence: Math.round(90 - confidence / 2),
      });
      await createRead(db, {
        studyReaderId: readerOf("a1"),
        studyCaseId: sc,
        answer: answer(i, RULES.a1(i)),
        confidence,
      });
      await createRead(db, {
        studyReaderId: readerOf("a1"),
        studyCaseId: sc,
        phase: "AIDED",
        answer: answer(i, RULES.a1Aided(i)),
        confidence: Math.min(100, confidence + 10),
      });
      await createRead(db, {
        studyReaderId: readerOf("a2"),
        studyCaseId: sc,
        answer: answer(i, RULES.a2(i)),
        confidence: 100 - confidence,
      });
      await createRead(db, {
        studyReaderId: readerOf("a2"),
        studyCaseId: sc,
        phase: "AIDED",
        answer: answer(i, RULES.a2Aided(i)),
        confidence: 95 - confidence,
      });
    }
    // u1 corrected case 0 (wrong -> still wrong but another answer): the report uses the latest version.
    const first = await db.read.findFirstOrThrow({
      where: { studyReaderId: readerOf("u1"), studyCaseId: studyCaseOf(caseIds[0]!) },
    });
    await db.read.create({
      data: {
        studyReaderId: first.studyReaderId,
        studyCaseId: first.studyCaseId,
        phase: "UNAIDED",
        version: 2,
        supersedesId: first.id,
        correctionReason: "typo",
        answer: "SCIRRHOUS",
        confidence: 55,
        timeSpentMs: 100,
      },
    });
    await db.read.create({
      data: {
        studyReaderId: readerOf("u1"),
        studyCaseId: studyCaseOf(conflict.id),
        phase: "UNAIDED",
        answer: "SOLID",
        confidence: 50,
        timeSpentMs: 100,
      },
    });
    // u2 marked a box on case 1's first image (a correction that keeps the answer).
    const marked = await db.read.findFirstOrThrow({
      where: { studyReaderId: readerOf("u2"), studyCaseId: studyCaseOf(caseIds[1]!) },
    });
    markedImageId = (await db.image.findFirstOrThrow({ where: { caseId: caseIds[1]! }, orderBy: { id: "asc" } })).id;
    await db.read.create({
      data: {
        studyReaderId: marked.studyReaderId,
        studyCaseId: marked.studyCaseId,
        phase: "UNAIDED",
        version: 2,
        supersedesId: marked.id,
        correctionReason: "added the mark",
        answer: marked.answer,
        confidence: marked.confidence,
        timeSpentMs: 100,
        roiImageId: markedImageId,
        roiShape: "BOX",
        roiGeometry: { x: 1, y: 2, width: 3, height: 4 },
      },
    });
    markedCaseId = caseIds[1]!;
  }, 180_000);
  afterAll(async () => {
    await api.stop();
  });

  type Report = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const report = async (userId: string, query = REPORT) =>
    api.graphql<{ studyReport: Report }>(
      query,
      { studyId, ...(query === REPORT_CASES ? { subtype: "SOLID" } : {}) },
      { token: await api.sessionFor(userId) },
    );

  it("is refused while the study is open (progress only), and to anyone but its site's coordinators", async () => {
    expect((await report(coordinator)).errors?.[0]?.extensions?.code).toBe("CONFLICT");
    await api.db.readerStudy.updateMany({ data: { status: "CLOSED", closedAt: new Date() } });
    expect((await report(otherCoordinator)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await report(readerIds.u1.id)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await api.graphql(REPORT, { studyId })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("gives the AI's and each reader's accuracy with Wilson intervals, per-class figures, agreement and AI-vs-reader tests", async () => {
    const result = await report(coordinator);
    expect(result.errors).toBeUndefined();
    const r = result.data!.studyReport;
    expect(r.classes).toEqual(CLASSES);
    const wilson = (k: number, n: number) => {
      const w = wilsonInterval(k, n);
      return { estimate: w.estimate, lower: w.lower, upper: w.upper, successes: k, total: n };
    };
    expect(r.ai.accuracy).toEqual(wilson(9, 12));
    expect(r.ai.confusionMatrix.map((row: { counts: number[] }) => row.counts.reduce((a, b) => a + b, 0))).toEqual([
      4, 4, 4,
    ]);
    expect(
      r.ai.perClass.every((c: { auc: { auc: number } | null }) => c.auc !== null && c.auc.auc >= 0 && c.auc.auc <= 1),
    ).toBe(true);

    const labelOf = (key: keyof typeof readerIds) =>
      r.readers.find((x: { email: string }) => x.email === readerIds[key].email).label;
    const phase = (p: string) => r.phases.find((x: { phase: string }) => x.phase === p);
    const figures = (p: string, key: keyof typeof readerIds) =>
      phase(p).readers.find((x: { readerLabel: string }) => x.readerLabel === labelOf(key));
    expect(figures("UNAIDED", "u1").figures.accuracy).toEqual(wilson(8, 12));
    expect(figures("UNAIDED", "u2").figures.accuracy).toEqual(wilson(6, 12));
    expect(figures("UNAIDED", "a2").figures.accuracy).toEqual(wilson(9, 12));
    expect(figures("AIDED", "a1").figures.accuracy).toEqual(wilson(9, 12));
    expect(figures("AIDED", "a2").figures.accuracy).toEqual(wilson(10, 12));
    expect(phase("AIDED").readers).toHaveLength(2);
    // McNemar: u1 right & AI wrong on i = 7, 11; u1 wrong & AI right on i = 0, 6, 9 (i = 3 both wrong).
    expect(figures("UNAIDED", "u1").mcnemarVsAi).toMatchObject({ onlyReaderCorrect: 2, onlyAiCorrect: 3 });
    expect(figures("UNAIDED", "u1").mcnemarVsAi.pValue).toBeCloseTo(1, 10);
    const u1 = figures("UNAIDED", "u1");
    expect(u1.accuracyDifferenceVsAi.difference).toBeCloseTo(8 / 12 - 9 / 12, 10);
    expect(u1.accuracyDifferenceVsAi.lower).toBeLessThanOrEqual(u1.accuracyDifferenceVsAi.difference);
    expect(u1.kappaVsTruth.kappa).toBeGreaterThan(0);
    expect(u1.delongVsAi.map((d: { subtype: string }) => d.subtype)).toEqual(CLASSES);
    expect(phase("UNAIDED").fleissKappa).toEqual(expect.any(Number));
    expect(r.statistics.arms).toHaveLength(2);
  });

  it("places every case in region A/B/C/D per reader, and counts them per reader and subtype", async () => {
    const r = {
      ...(await report(coordinator)).data!.studyReport,
      ...(await report(coordinator, REPORT_CASES)).data!.studyReport,
    };
    expect(r.excludedCases).toEqual([
      { code: expect.any(String), reason: "its pathology labels disagree (no consensus)" },
    ]);
    const labelOf = (key: keyof typeof readerIds) =>
      r.readers.find((x: { email: string }) => x.email === readerIds[key].email).label;
    const unaided = r.phases.find((x: { phase: string }) => x.phase === "UNAIDED");
    const expected = { A: 0, B: 0, C: 0, D: 0 };
    for (let i = 0; i < N; i++) expected[RULES.u1(i) ? (aiRight(i) ? "B" : "A") : aiRight(i) ? "C" : "D"] += 1;
    expect(unaided.regionsByReader.find((x: { key: string }) => x.key === labelOf("u1"))).toEqual({
      key: labelOf("u1"),
      a: expected.A,
      b: expected.B,
      c: expected.C,
      d: expected.D,
      total: 12,
    });
    expect(unaided.regionsBySubtype.map((x: { total: number }) => x.total)).toEqual([16, 16, 16]);
    expect(r.cases).toHaveLength(12);
    for (const c of r.cases) {
      expect(c.reads).toHaveLength(6);
      for (const read of c.reads)
        expect(read.region).toBe(
          read.isCorrect ? (c.aiAnswer === c.truth ? "B" : "A") : c.aiAnswer === c.truth ? "C" : "D",
        );
    }
  });

  it("compares unaided with aided reading (MRMC) on the readers of both phases, and exports CSV for RJafroc and iMRMC", async () => {
    const r = (await report(coordinator, REPORT_CASES)).data!.studyReport;
    expect(r.mrmc.map((m: { subtype: string }) => m.subtype)).toEqual(CLASSES);
    for (const m of r.mrmc) {
      expect(m.readers).toHaveLength(2);
      expect(m.pValue).toBeGreaterThanOrEqual(0);
      expect(m.pValue).toBeLessThanOrEqual(1);
      expect(m.difference).toBeCloseTo(m.unaidedAuc - m.aidedAuc, 10);
    }
    const { answersCsv, rjafrocCsv, imrmc, caseCodes } = r.exports;
    const answers = answersCsv.trim().split("\n");
    expect(answers[0]).toBe("caseId,site,truth,rater,modality,answer,correct,confidence");
    expect(answers).toHaveLength(1 + 12 * 6 + 12);
    const ratings = rjafrocCsv.trim().split("\n");
    expect(ratings[0]).toBe("Reader,Treatment,Case,Truth,Rating");
    expect(ratings).toHaveLength(1 + 2 * 2 * 12);
    expect(ratings.slice(1).every((line: string) => /^R\d\d,(unaided|aided),\d+,[01],[\d.]+$/.test(line))).toBe(true);
    expect(imrmc).toMatch(/NR: 2\nN0: 8\nN1: 4\nNM: 2\n\nBEGIN DATA:\n/);
    expect(caseCodes).toHaveLength(12);
  });

  it("gives the per-case explorer each case's images, the AI's heatmap per image and each reader's ROI mark", async () => {
    const result = await api.graphql<{ studyReport: Report }>(
      `query ($studyId: ID!) { studyReport(studyId: $studyId) { readers { label email } cases { caseId images { id laterality view widthPx heightPx displayUrl } aiHeatmaps { imageId url } reads { readerLabel phase roi { imageId shape geometry } } } } }`,
      { studyId },
      { token: await api.sessionFor(coordinator) },
    );
    expect(result.errors).toBeUndefined();
    const r = result.data!.studyReport;
    const marked = r.cases.find((c: { caseId: string }) => c.caseId === globalId("Case", markedCaseId));
    expect(marked.images).toHaveLength(4);
    expect(marked.aiHeatmaps.length).toBeGreaterThan(0);
    expect(
      marked.aiHeatmaps.every(
        (h: { imageId: string; url: string }) =>
          marked.images.some((i: { id: string }) => i.id === h.imageId) &&
          /^\/saliency-maps\/[0-9a-f-]{36}\/heatmap\.png$/.test(h.url),
      ),
    ).toBe(true);
    const u2 = r.readers.find((x: { email: string }) => x.email === readerIds.u2.email).label;
    const marks = r.cases.flatMap((c: { reads: { readerLabel: string; roi: unknown }[] }) =>
      c.reads.filter((read) => read.roi !== null),
    );
    expect(marks).toEqual([
      {
        readerLabel: u2,
        phase: "UNAIDED",
        roi: { imageId: globalId("Image", markedImageId), shape: "BOX", geometry: { x: 1, y: 2, width: 3, height: 4 } },
      },
    ]);
  });
  it("scores a later model version on the closed study: both versions in the table with the paired tests; the study's own figures byte-identical", async () => {
    const before = [await report(coordinator), await report(coordinator, REPORT_CASES)].map((r) => JSON.stringify(r));
    // An ML engineer of the site runs a later version on the study's cases: the API accepts it
    // (target STUDY on a closed study); the worker's part (the predictions, the run succeeding)
    // is written here directly, as the trainer is another app.
    const second = await createModelVersion(api.db, { siteId, createdById: ml, name: firstModel.name, version: 2 });
    const requested = await api.graphql<{ requestInference: { id: string } }>(
      "mutation ($input: RequestInferenceInput!) { requestInference(input: $input) { id } }",
      { input: { modelVersionId: globalId("ModelVersion", second.id), target: "STUDY", studyId } },
      { token: await api.sessionFor(ml) },
    );
    expect(requested.errors).toBeUndefined();
    // The later version is wrong on cases 5 and 11 (10 of 12); the study's model on 3, 7 and 11.
    const secondRight = (i: number) => i % 6 !== 5;
    for (let i = 0; i < N; i++) {
      const ai = secondRight(i) ? truthOf(i) : wrong(i);
      await createCasePredictions(api.db, api.blobs, {
        modelVersionId: second.id,
        caseId: caseIds[i]!,
        probabilities: CLASSES.map((k) => (k === ai ? 0.7 : 0.15) + ((i * 3) % 7) / 1000),
      });
    }
    await api.db.inferenceRun.updateMany({ where: { modelVersionId: second.id }, data: { status: "SUCCEEDED" } });

    type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const VERSIONS = `query ($studyId: ID!) { studyModelVersions(studyId: $studyId) {
      name version isStudyModel cases notes
      ai { accuracy { successes total estimate lower upper } perClass { subtype auc { auc } } }
      phases { phase regionsByReader { key a b c d total } readers { readerLabel mcnemarVsAi { onlyReaderCorrect onlyAiCorrect } } }
      versusStudyModel { cases mcnemar { onlyThisCorrect onlyStudyModelCorrect bothCorrect bothWrong pValue }
        delong { subtype auc studyModelAuc pValue } } } }`;
    const { data, errors } = await api.graphql<{ studyModelVersions: Row[] }>(
      VERSIONS,
      { studyId },
      { token: await api.sessionFor(ml) },
    );
    expect(errors).toBeUndefined();
    const [own, later] = data!.studyModelVersions;
    expect([own!.isStudyModel, own!.version, later!.isStudyModel, later!.version]).toEqual([true, 1, false, 2]);
    expect(own!.ai.accuracy).toMatchObject({ successes: 9, total: 12 });
    const wilson = wilsonInterval(10, 12);
    expect(later!.ai.accuracy).toMatchObject({ successes: 10, total: 12, lower: wilson.lower, upper: wilson.upper });
    // Paired on the 12 cases, worked by hand: only the later right on 3 and 7, only the study's
    // model on 5, both wrong on 11; exact McNemar on 2 vs 1 discordant: p = 2 * (1 + 3) / 8 = 1.
    expect(later!.versusStudyModel).toMatchObject({
      cases: 12,
      mcnemar: { onlyThisCorrect: 2, onlyStudyModelCorrect: 1, bothCorrect: 8, bothWrong: 1, pValue: 1 },
    });
    expect(later!.versusStudyModel.delong.map((d: Row) => d.subtype)).toEqual(CLASSES);
    for (const d of later!.versusStudyModel.delong) expect(d.pValue).toBeGreaterThanOrEqual(0);
    expect(own!.versusStudyModel).toBeNull();
    // The A/B/C/D regions recomputed with the later version as the AI: reader u2 (right on even
    // cases) against it: A 0, B 6 (0, 2, ..., 10), C 4 (1, 3, 7, 9), D 2 (5, 11); against the
    // study's model (wrong on 3, 7, 11): C 3, D 3.
    const regionsOf = (row: Row) => row.phases.find((p: Row) => p.phase === "UNAIDED").regionsByReader;
    expect(regionsOf(later!)).toContainEqual(expect.objectContaining({ a: 0, b: 6, c: 4, d: 2, total: 12 }));
    expect(regionsOf(own!)).toContainEqual(expect.objectContaining({ a: 0, b: 6, c: 3, d: 3, total: 12 }));
    // The study's report is exactly what it was.
    const after = [await report(coordinator), await report(coordinator, REPORT_CASES)].map((r) => JSON.stringify(r));
    expect(after).toEqual(before);
    // A reader of the study never gets the table.
    const asReader = await api.graphql(VERSIONS, { studyId }, { token: await api.sessionFor(readerIds.u1.id) });
    expect(asReader.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});
