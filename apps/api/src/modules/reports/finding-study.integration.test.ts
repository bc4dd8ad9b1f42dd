// Issue 13, must-show 3: a reader study asking the subtype of a marked finding, read, closed,
// reported and exported. The study's unit is the finding: readers are shown which lesion is meant
// (the finding's outline and breast, never its truth), the AI answers over that breast's images,
// and the report and its exports count one row per finding, scored against the finding's truth.
import type { Laterality, Subtype } from "@mammo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAnnotation,
  createCase,
  createLabel,
  createSite,
  createUser,
  globalId,
} from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import { createCasePredictions, createModelVersion } from "../../../test/study-factories.ts";

const NEXT = /* GraphQL */ `
  query Next($studyId: ID!) {
    myNextCase(studyId: $studyId) {
      caseCode
      phase
      unit
      laterality
      findingMarks {
        imageId
        shape
        geometry
      }
      images {
        id
        laterality
      }
      ai {
        answer
      }
    }
  }
`;
const SUBMIT = /* GraphQL */ `
  mutation Submit($input: SubmitReadInput!) {
    submitRead(input: $input) {
      read {
        id
      }
    }
  }
`;
const REPORT = /* GraphQL */ `
  query Report($studyId: ID!) {
    studyReport(studyId: $studyId) {
      unit
      classes
      excludedCases {
        code
        reason
      }
      cases {
        code
        laterality
        findingKey
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
      exports(subtype: SOLID) {
        answersCsv
        rjafrocCsv
        caseCodes
      }
    }
  }
`;

type Task = {
  caseCode: string;
  phase: "UNAIDED" | "AIDED";
  unit: string;
  laterality: Laterality | null;
  findingMarks: { imageId: string; shape: string; geometry: { x: number; y: number } }[];
  images: { id: string; laterality: Laterality }[];
  ai: { answer: string } | null;
};

describe("a reader study of marked findings: read, closed, reported, exported", () => {
  let api: TestApi;
  let siteId: string;
  let coordinator: string;
  const readers: { id: string; email: string }[] = [];
  /** Each lesion: its case, breast, truth and the point outlining it (on its breast's CC image). */
  const lesions: { caseId: string; findingId: string; laterality: Laterality; truth: Subtype; imageId: string }[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    siteId = (await createSite(api.db)).id;
    coordinator = (await createUser(api.db, [{ siteId, role: "COORDINATOR" }])).id;
    const annotator = (await createUser(api.db, [{ siteId, role: "ANNOTATOR" }])).id;
    const ml = (await createUser(api.db, [{ siteId, role: "ML_ENGINEER" }])).id;
    for (let i = 0; i < 2; i++) readers.push(await createUser(api.db, [{ siteId, role: "READER" }]));
    const model = await createModelVersion(api.db, { siteId, createdById: ml }); // classes: the three IDC subtypes
    const classes: Subtype[] = ["TUBULE_FORMING", "SOLID", "SCIRRHOUS"];
    const probabilityOf = (s: Subtype) => classes.map((c) => (c === s ? 0.8 : 0.1));
    // Six cases: a lesion in one breast, the other labelled NORMAL; the last case has a lesion in each breast.
    for (let i = 0; i < 6; i++) {
      const c = await createCase(api.db, api.blobs, siteId);
      const sides: Laterality[] = i === 5 ? ["R", "L"] : [i % 2 ? "L" : "R"];
      for (const [k, laterality] of sides.entries()) {
        const truth = classes[(i + k) % 3]!;
        const label = await createLabel(api.db, c.id, annotator, truth, { laterality });
        const image = await api.db.image.findFirstOrThrow({ where: { caseId: c.id, laterality, view: "CC" } });
        await createAnnotation(api.db, image.id, annotator, label.findingId);
        lesions.push({ caseId: c.id, findingId: label.findingId, laterality, truth, imageId: image.id });
        // The AI sees the lesion's breast right; a case-level mean would be swayed by the other breast.
        await createCasePredictions(api.db, api.blobs, {
          modelVersionId: model.id,
          caseId: c.id,
          laterality,
          probabilities: probabilityOf(truth),
        });
      }
      if (sides.length === 1) {
        const other: Laterality = sides[0] === "R" ? "L" : "R";
        await createLabel(api.db, c.id, annotator, "NORMAL", { laterality: other });
        const wrong = classes[(i + 1) % 3]!;
        await createCasePredictions(api.db, api.blobs, {
          modelVersionId: model.id,
          caseId: c.id,
          laterality: other,
          probabilities: classes.map((s) => (s === wrong ? 0.98 : 0.01)),
        });
      }
    }
    const created = await api.as<{ createReaderStudy: { id: string; unit: string } }>(
      coordinator,
      `mutation ($input: CreateReaderStudyInput!) { createReaderStudy(input: $input) { id unit } }`,
      {
        input: {
          siteId: globalId("Site", siteId),
          name: "Subtype of the marked lesion",
          modelVersionId: globalId("ModelVersion", model.id),
          arms: [{ kind: "UNAIDED" }, { kind: "AIDED" }],
        },
      },
    );
    expect(created.createReaderStudy.unit).toBe("FINDING");
    studyId = created.createReaderStudy.id;
    await api.as(coordinator, `mutation ($input: StudyCasesInput!) { addStudyCases(input: $input) { id } }`, {
      input: { studyId, caseIds: [...new Set(lesions.map((l) => globalId("Case", l.caseId)))] },
    });
    for (const [reader, arm] of [
      [readers[0]!, "UNAIDED"],
      [readers[1]!, "AIDED"],
    ] as const)
      await api.as(coordinator, `mutation ($input: AddStudyReaderInput!) { addStudyReader(input: $input) { id } }`, {
        input: { studyId, email: reader.email, arm },
      });
    await api.as(coordinator, `mutation ($id: ID!) { openReaderStudy(id: $id) { status } }`, { id: studyId });
  });
  let studyId: string;
  afterAll(async () => {
    await api.stop();
  });

  const lesionOf = (task: Task) => {
    const mark = task.findingMarks[0]!;
    return lesions.find((l) => globalId("Image", l.imageId) === mark.imageId)!;
  };

  it("each reader reads every marked lesion: shown its breast and outline, never its truth; the AI over that breast", async () => {
    for (const [index, reader] of readers.entries()) {
      for (;;) {
        const task = (await api.as<{ myNextCase: Task | null }>(reader.id, NEXT, { studyId })).myNextCase;
        if (!task) break;
        expect(task.unit).toBe("FINDING");
        expect(task.findingMarks).toHaveLength(1);
        const lesion = lesionOf(task);
        expect(task.laterality).toBe(lesion.laterality);
        expect(task.findingMarks[0]).toMatchObject({ shape: "BOX", geometry: { x: 1, y: 1, width: 3, height: 4 } });
        if (task.phase === "AIDED") expect(task.ai?.answer).toBe(lesion.truth);
        else expect(task.ai).toBeNull();
        // Reader 1 (unaided) answers right but for one lesion; reader 2 always right.
        const answer =
          index === 0 && lesion === lesions[0] ? (lesion.truth === "SOLID" ? "SCIRRHOUS" : "SOLID") : lesion.truth;
        const image = task.images.find((i) => i.laterality === lesion.laterality)!;
        const otherImage = task.images.find((i) => i.laterality !== lesion.laterality)!;
        const input = { studyId, caseCode: task.caseCode, phase: task.phase, answer, confidence: 70, timeSpentMs: 900 };
        const wrongBreast = await api.tryAs(reader.id, SUBMIT, {
          input: { ...input, roi: { imageId: otherImage.id, shape: "POINT", geometry: { x: 2, y: 2 } } },
        });
        expect(wrongBreast.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "roi.imageId" });
        await api.as(reader.id, SUBMIT, {
          input: { ...input, roi: { imageId: image.id, shape: "POINT", geometry: { x: 2, y: 2 } } },
        });
      }
    }
    const reads = await api.db.read.count({
      where: { studyCase: { study: { name: "Subtype of the marked lesion" } } },
    });
    expect(reads).toBe(lesions.length * 3); // reader 1 once, reader 2 unaided and aided
  });

  it("closes, then reports per finding (truth, AI and A/B/C/D per lesion) and exports one row per finding", async () => {
    await api.as(coordinator, `mutation ($id: ID!) { closeReaderStudy(id: $id) { status } }`, { id: studyId });
    const report = (
      await api.as<{
        studyReport: {
          unit: string;
          classes: string[];
          excludedCases: unknown[];
          cases: {
            code: string;
            laterality: string;
            findingKey: string;
            truth: string;
            aiAnswer: string;
            reads: { readerLabel: string; phase: string; isCorrect: boolean; region: string }[];
          }[];
          exports: { answersCsv: string; rjafrocCsv: string | null; caseCodes: string[] };
        };
      }>(coordinator, REPORT, { studyId })
    ).studyReport;
    expect(report).toMatchObject({ unit: "FINDING", excludedCases: [] });
    expect(report.cases).toHaveLength(lesions.length); // the two lesions of the last case are two units
    const truths = report.cases.map((c) => [c.laterality, c.truth]).sort();
    expect(truths).toEqual(lesions.map((l) => [l.laterality, l.truth]).sort());
    expect(report.cases.every((c) => c.findingKey === c.laterality && c.aiAnswer === c.truth)).toBe(true);
    const regions = report.cases.flatMap((c) => c.reads.map((r) => r.region));
    expect(regions.filter((r) => r === "C")).toHaveLength(1); // reader 1's one miss where the AI was right
    expect(regions.filter((r) => r === "B")).toHaveLength(lesions.length * 3 - 1);
    const rows = report.exports.answersCsv.trim().split("\n").slice(1);
    expect(rows).toHaveLength(lesions.length * 3 + lesions.length); // reads plus the AI's answer per finding
    expect(new Set(rows.map((r) => r.split(",")[0]))).toEqual(new Set(report.cases.map((c) => c.code)));
    expect(report.exports.rjafrocCsv).toContain("Reader,Treatment,Case,Truth,Rating");
    expect(report.exports.caseCodes).toHaveLength(lesions.length);
  });
});
