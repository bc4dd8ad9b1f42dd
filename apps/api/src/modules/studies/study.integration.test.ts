import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createLabel, createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import { createCasePredictions, createModelVersion } from "../../../test/study-factories.ts";
import { readerCaseOrder } from "./reader-order.ts";

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateReaderStudyInput!) {
    createReaderStudy(input: $input) {
      id
      name
      status
      seed
      arms {
        kind
        name
      }
      questions {
        kind
        options
        isRequired
        position
      }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateReaderStudyInput!) {
    updateReaderStudy(input: $input) {
      id
      name
      status
      seed
      arms {
        kind
      }
      questions {
        kind
      }
    }
  }
`;
const ADD_CASES = /* GraphQL */ `
  mutation AddCases($input: StudyCasesInput!) {
    addStudyCases(input: $input) {
      id
      cases(first: 100) {
        edges {
          node {
            id
            code
            case {
              id
            }
          }
        }
      }
    }
  }
`;
const REMOVE_CASES = /* GraphQL */ `
  mutation RemoveCases($input: StudyCasesInput!) {
    removeStudyCases(input: $input) {
      cases(first: 100) {
        edges {
          node {
            code
          }
        }
      }
    }
  }
`;
const ADD_READER = /* GraphQL */ `
  mutation AddReader($input: AddStudyReaderInput!) {
    addStudyReader(input: $input) {
      id
      email
      arm {
        kind
      }
      progress {
        unaidedReads
        caseCount
      }
    }
  }
`;
const REMOVE_READER = /* GraphQL */ `
  mutation RemoveReader($id: ID!) {
    removeStudyReader(studyReaderId: $id) {
      readers {
        email
      }
    }
  }
`;
const OPEN = /* GraphQL */ `
  mutation Open($id: ID!) {
    openReaderStudy(id: $id) {
      status
      openedAt
    }
  }
`;
const CLOSE = /* GraphQL */ `
  mutation Close($id: ID!) {
    closeReaderStudy(id: $id) {
      status
      closedAt
    }
  }
`;
const STUDY = /* GraphQL */ `
  query Study($id: ID!) {
    readerStudy(id: $id) {
      name
      status
      site {
        code
      }
      modelVersion {
        name
      }
      readers {
        email
        userName
        arm {
          kind
        }
        progress {
          unaidedReads
          aidedReads
          caseCount
          isComplete
        }
      }
    }
  }
`;
const LIST = /* GraphQL */ `
  query List($status: StudyStatus) {
    readerStudies(first: 10, status: $status) {
      edges {
        node {
          name
          status
        }
      }
    }
  }
`;

type Created = {
  createReaderStudy: {
    id: string;
    name: string;
    seed: number;
    arms: { kind: string }[];
    questions: { kind: string; options: string[]; isRequired: boolean }[];
  };
};

describe("reader studies (coordinators)", () => {
  let api: TestApi;
  let site: { id: string };
  let coordinator: string;
  let otherCoordinator: string;
  let annotator: string;
  let reader: string;
  let caseIds: string[];
  let otherSiteCaseId: string;
  let readerEmails: string[];
  let readerIds: string[];
  let mlEngineer: string;

  beforeAll(async () => {
    api = await startTestApi();
    site = await createSite(api.db);
    const otherSite = await createSite(api.db);
    coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
    otherCoordinator = (await createUser(api.db, [{ siteId: otherSite.id, role: "COORDINATOR" }])).id;
    annotator = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    mlEngineer = (await createUser(api.db, [{ siteId: site.id, role: "ML_ENGINEER" }])).id;
    caseIds = [];
    // Six cases, each with a lesion (a finding) in the right breast; the first one's left breast labelled normal.
    for (let i = 0; i < 6; i++) {
      const c = await createCase(api.db, api.blobs, site.id);
      await createLabel(api.db, c.id, annotator, "SOLID");
      caseIds.push(c.id);
    }
    await createLabel(api.db, caseIds[0]!, annotator, "NORMAL", { laterality: "L" });
    otherSiteCaseId = (await createCase(api.db, api.blobs, otherSite.id)).id;
    // Readers: one of this site, two of the other site (multi-site studies).
    const readers = [
      await createUser(api.db, [{ siteId: site.id, role: "READER" }]),
      await createUser(api.db, [{ siteId: otherSite.id, role: "READER" }]),
      await createUser(api.db, [{ siteId: otherSite.id, role: "READER" }]),
    ];
    reader = readers[0]!.id;
    readerEmails = readers.map((r) => r.email);
    readerIds = readers.map((r) => r.id);
  });
  afterAll(async () => {
    await api.stop();
  });

  const create = (name: string, extra: Record<string, unknown> = {}) =>
    api.as<Created>(coordinator, CREATE, { input: { siteId: globalId("Site", site.id), name, ...extra } });
  const caseGids = (ids: string[]) => ids.map((id) => globalId("Case", id));

  it("a coordinator creates a draft study with one unaided arm and the standard questions; an audit event is written with it", async () => {
    const { createReaderStudy: study } = await create("Subtype study");
    expect(study).toMatchObject({ name: "Subtype study", arms: [{ kind: "UNAIDED" }] });
    expect(study.questions.map((q) => q.kind)).toEqual(["SUBTYPE", "CONFIDENCE", "ROI"]);
    expect(study.questions[0]!.options).toEqual(["TUBULE_FORMING", "SOLID", "SCIRRHOUS"]);
    expect(study.questions[2]!.isRequired).toBe(false);
    const rawId = Buffer.from(study.id, "base64").toString().split(":")[1]!;
    expect(
      await api.db.auditEvent.findFirst({ where: { entityId: rawId, action: "readerStudy.create" } }),
    ).toMatchObject({ actorId: coordinator, siteId: site.id });
    const duplicate = await api.graphql(
      CREATE,
      { input: { siteId: globalId("Site", site.id), name: "Subtype study" } },
      { token: await api.sessionFor(coordinator) },
    );
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "name" });
  });

  it("refuses other roles and other sites' coordinators, and names bad design input", async () => {
    const input = { siteId: globalId("Site", site.id), name: "Not mine" };
    for (const user of [annotator, reader, otherCoordinator, mlEngineer]) {
      const result = await api.graphql(CREATE, { input }, { token: await api.sessionFor(user) });
      expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    expect((await api.graphql(CREATE, { input })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const noSubtype = await api.graphql(
      CREATE,
      { input: { ...input, questions: [{ kind: "CONFIDENCE", prompt: "How sure?" }] } },
      { token: await api.sessionFor(coordinator) },
    );
    expect(noSubtype.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "questions" } });
    expect(noSubtype.errors?.[0]?.message).toMatch(/exactly one SUBTYPE question/);
    const oneOption = await api.graphql(
      CREATE,
      { input: { ...input, questions: [{ kind: "SUBTYPE", prompt: "Subtype", options: ["SOLID"] }] } },
      { token: await api.sessionFor(coordinator) },
    );
    expect(oneOption.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "questions.0.options" });
    expect(await api.db.readerStudy.count({ where: { name: "Not mine" } })).toBe(0);
  });

  it("adds visible cases with random codes, refuses cases the coordinator cannot see, removes cases; all while DRAFT", async () => {
    const { createReaderStudy: study } = await create("Cases study");
    const added = await api.as<{
      addStudyCases: { cases: { edges: { node: { code: string; case: { id: string } | null } }[] } };
    }>(coordinator, ADD_CASES, {
      input: { studyId: study.id, caseIds: caseGids(caseIds) },
    });
    const codes = added.addStudyCases.cases.edges.map((e) => e.node.code);
    expect(codes).toHaveLength(6);
    expect(new Set(codes).size).toBe(6);
    for (const code of codes) expect(code).toMatch(/^C-[A-HJ-NP-Z2-9]{5}$/);
    // The coordinator sees the case behind each code in the case browser.
    expect(added.addStudyCases.cases.edges.every((e) => e.node.case !== null)).toBe(true);
    // Adding again keeps the cases (and their codes) as they are.
    const again = await api.as<{ addStudyCases: { cases: { edges: { node: { code: string } }[] } } }>(
      coordinator,
      ADD_CASES,
      { input: { studyId: study.id, caseIds: caseGids(caseIds.slice(0, 2)) } },
    );
    expect(again.addStudyCases.cases.edges.map((e) => e.node.code).sort()).toEqual([...codes].sort());

    const foreign = await api.graphql(
      ADD_CASES,
      { input: { studyId: study.id, caseIds: caseGids([caseIds[0]!, otherSiteCaseId]) } },
      { token: await api.sessionFor(coordinator) },
    );
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "caseIds" });
    const removed = await api.as<{ removeStudyCases: { cases: { edges: unknown[] } } }>(coordinator, REMOVE_CASES, {
      input: { studyId: study.id, caseIds: caseGids([caseIds[5]!]) },
    });
    expect(removed.removeStudyCases.cases.edges).toHaveLength(5);
  });

  it("reads per finding by default; a BREAST study adds each imaged breast; chosen findings; the unit is fixed once cases are in", async () => {
    const UNITS = /* GraphQL */ `
      fragment Units on ReaderStudy {
        id
        unit
        cases(first: 50) {
          edges {
            node {
              code
              laterality
              finding {
                key
                laterality
              }
            }
          }
        }
      }
    `;
    type Units = {
      id: string;
      unit: string;
      cases: { edges: { node: { laterality: string | null; finding: { key: string } | null } }[] };
    };
    const byFinding = (await create("Finding study")).createReaderStudy;
    const findings = await api.as<{ addStudyCases: Units }>(
      coordinator,
      `mutation ($input: StudyCasesInput!) { addStudyCases(input: $input) { ...Units } } ${UNITS}`,
      { input: { studyId: byFinding.id, caseIds: caseGids(caseIds.slice(0, 2)) } },
    );
    // The lesions of the two cases, not the first case's normal breast.
    expect(findings.addStudyCases.unit).toBe("FINDING");
    expect(findings.addStudyCases.cases.edges.map((e) => e.node.finding?.key)).toEqual(["R", "R"]);
    const breastStudy = (await create("Breast study", { unit: "BREAST" })).createReaderStudy;
    const breasts = await api.as<{ addStudyCases: Units }>(
      coordinator,
      `mutation ($input: StudyCasesInput!) { addStudyCases(input: $input) { ...Units } } ${UNITS}`,
      { input: { studyId: breastStudy.id, caseIds: caseGids([caseIds[0]!]) } },
    );
    expect(breasts.addStudyCases.cases.edges.map((e) => e.node.laterality).sort()).toEqual(["L", "R"]);
    const changeUnit = await api.tryAs(
      coordinator,
      `mutation ($input: UpdateReaderStudyInput!) { updateReaderStudy(input: $input) { id } }`,
      { input: { studyId: breastStudy.id, unit: "CASE" } },
    );
    expect(changeUnit.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "unit" });
    const normalFinding = await api.db.finding.findFirstOrThrow({ where: { caseId: caseIds[0]!, laterality: "L" } });
    const wrongUnit = await api.tryAs(
      coordinator,
      `mutation ($input: StudyFindingsInput!) { addStudyFindings(input: $input) { id } }`,
      { input: { studyId: breastStudy.id, findingIds: [globalId("Finding", normalFinding.id)] } },
    );
    expect(wrongUnit.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "findingIds" });
    const chosen = await api.as<{ addStudyFindings: Units }>(
      coordinator,
      `mutation ($input: StudyFindingsInput!) { addStudyFindings(input: $input) { ...Units } } ${UNITS}`,
      { input: { studyId: byFinding.id, findingIds: [globalId("Finding", normalFinding.id)] } },
    );
    expect(chosen.addStudyFindings.cases.edges).toHaveLength(3);
  });

  it("assigns readers of any site by email to an arm, and refuses non-readers, duplicates and missing arms", async () => {
    const { createReaderStudy: study } = await create("Readers study");
    const added = await api.as<{ addStudyReader: { id: string; arm: { kind: string } } }>(coordinator, ADD_READER, {
      input: { studyId: study.id, email: readerEmails[1], arm: "UNAIDED" },
    });
    expect(added.addStudyReader.arm.kind).toBe("UNAIDED");
    const token = await api.sessionFor(coordinator);
    const twice = await api.graphql(
      ADD_READER,
      { input: { studyId: study.id, email: readerEmails[1], arm: "UNAIDED" } },
      { token },
    );
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "email" });
    const annotatorEmail = (await api.db.user.findUniqueOrThrow({ where: { id: annotator } })).email;
    const notReader = await api.graphql(
      ADD_READER,
      { input: { studyId: study.id, email: annotatorEmail, arm: "UNAIDED" } },
      { token },
    );
    expect(notReader.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "email" });
    const noArm = await api.graphql(
      ADD_READER,
      { input: { studyId: study.id, email: readerEmails[2], arm: "AIDED" } },
      { token },
    );
    expect(noArm.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "arm" });
    const afterRemove = await api.as<{ removeStudyReader: { readers: unknown[] } }>(coordinator, REMOVE_READER, {
      id: added.addStudyReader.id,
    });
    expect(afterRemove.removeStudyReader.readers).toEqual([]);
    // Another site's coordinator does not see the study at all.
    const foreign = await api.graphql(
      ADD_READER,
      { input: { studyId: study.id, email: readerEmails[2], arm: "UNAIDED" } },
      { token: await api.sessionFor(otherCoordinator) },
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("opens only a complete design, fixes every reader's own stored order, then freezes the design", async () => {
    const { createReaderStudy: study } = await create("Open study", { arms: [{ kind: "UNAIDED" }, { kind: "AIDED" }] });
    const token = await api.sessionFor(coordinator);
    // Four cases of the study's subtypes, one Normal (not an answer of this study), one without truth.
    for (const caseId of caseIds.slice(0, 4)) await createLabel(api.db, caseId, annotator, "SOLID");
    await createLabel(api.db, caseIds[4]!, annotator, "NORMAL");
    expect((await api.graphql(OPEN, { id: study.id }, { token })).errors?.[0]?.message).toMatch(/add cases/);
    await api.as(coordinator, ADD_CASES, { input: { studyId: study.id, caseIds: caseGids(caseIds) } });
    expect((await api.graphql(OPEN, { id: study.id }, { token })).errors?.[0]?.message).toMatch(/assign readers/);
    await api.as(coordinator, ADD_READER, { input: { studyId: study.id, email: readerEmails[0], arm: "UNAIDED" } });
    await api.as(coordinator, ADD_READER, { input: { studyId: study.id, email: readerEmails[1], arm: "AIDED" } });
    // An AIDED reader must be shown an AI: the study needs a model version with predictions.
    expect((await api.graphql(OPEN, { id: study.id }, { token })).errors?.[0]?.message).toMatch(
      /AIDED arm needs the AI model version/,
    );
    const model = await createModelVersion(api.db, { siteId: site.id, createdById: mlEngineer });
    await api.as(coordinator, UPDATE, {
      input: { studyId: study.id, modelVersionId: globalId("ModelVersion", model.id) },
    });
    expect((await api.graphql(OPEN, { id: study.id }, { token })).errors?.[0]?.message).toMatch(
      /no predictions for 6 of its cases/,
    );
    for (const caseId of caseIds)
      await createCasePredictions(api.db, api.blobs, {
        modelVersionId: model.id,
        caseId,
        probabilities: [0.2, 0.5, 0.3],
      });
    // Cases that could not be scored are refused by name, with the reason, before anyone reads them.
    const unscorable = await api.graphql(OPEN, { id: study.id }, { token });
    const keys = await api.db.case.findMany({
      where: { id: { in: [caseIds[4]!, caseIds[5]!] } },
      orderBy: { id: "asc" },
    });
    const keyOf = (id: string) => keys.find((k) => k.id === id)!.accessionKey;
    expect(unscorable.errors?.[0]).toMatchObject({ extensions: { code: "CONFLICT", field: "cases" } });
    // Units are findings here: a case without a label has none; the NORMAL label on the lesion's
    // finding disagrees with its first label, so that finding is refused with that reason.
    expect(unscorable.errors?.[0]?.message).toMatch(/^1 case cannot be scored in this study/);
    expect(unscorable.errors?.[0]?.message).toContain(`${keyOf(caseIds[4]!)} (C-`);
    expect(unscorable.errors?.[0]?.message).toMatch(/: its pathology labels disagree/);
    // The coordinator takes the refused case out; the study opens with the others.
    await api.as(coordinator, REMOVE_CASES, { input: { studyId: study.id, caseIds: caseGids([caseIds[4]!]) } });
    expect(await api.db.readerStudy.count({ where: { name: "Open study", status: "DRAFT" } })).toBe(1);

    const opened = await api.as<{ openReaderStudy: { status: string } }>(coordinator, OPEN, { id: study.id });
    expect(opened.openReaderStudy.status).toBe("OPEN");
    const row = await api.db.readerStudy.findFirstOrThrow({
      where: { name: "Open study" },
      include: { cases: true, readers: { include: { order: { orderBy: { position: "asc" } } } } },
    });
    const orders = row.readers.map((r) => r.order.map((o) => o.studyCaseId));
    for (const [index, r] of row.readers.entries()) {
      expect(orders[index]).toEqual(readerCaseOrder(row.cases, row.seed, r.userId).map((c) => c.id));
      expect([...orders[index]!].sort()).toEqual(row.cases.map((c) => c.id).sort());
    }
    // Not `orders[0] != orders[1]`: with a random study seed two readers share an order about once
    // in 120 studies of five cases (CI met one); reader-order.test.ts checks the shuffle's spread.
    expect(row.readers.map((r) => r.order.length)).toEqual([5, 5]);

    expect((await api.graphql(OPEN, { id: study.id }, { token })).errors?.[0]?.extensions?.code).toBe("CONFLICT");
    const redesign = await api.graphql(UPDATE, { input: { studyId: study.id, seed: 5 } }, { token });
    expect(redesign.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    const moreCases = await api.graphql(
      ADD_CASES,
      { input: { studyId: study.id, caseIds: caseGids([caseIds[0]!]) } },
      { token },
    );
    expect(moreCases.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    // Renaming stays possible.
    expect(
      (
        await api.as<{ updateReaderStudy: { name: string } }>(coordinator, UPDATE, {
          input: { studyId: study.id, name: "Open study (renamed)" },
        })
      ).updateReaderStudy.name,
    ).toBe("Open study (renamed)");

    // While open the coordinator sees progress counts per reader.
    const unaidedReader = row.readers.find((r) => r.userId === readerIds[0])!;
    await api.db.read.create({
      data: {
        studyReaderId: unaidedReader.id,
        studyCaseId: unaidedReader.order[0]!.studyCaseId,
        phase: "UNAIDED",
        answer: "SOLID",
        confidence: 70,
        timeSpentMs: 5000,
      },
    });
    const view = await api.as<{
      readerStudy: {
        status: string;
        site: { code: string };
        modelVersion: { name: string };
        readers: { email: string; progress: { unaidedReads: number; caseCount: number; isComplete: boolean } }[];
      };
    }>(coordinator, STUDY, { id: study.id });
    expect(view.readerStudy.modelVersion.name).toBe(model.name);
    expect(view.readerStudy.readers.find((r) => r.email === readerEmails[0])!.progress).toEqual({
      unaidedReads: 1,
      aidedReads: 0,
      caseCount: 5,
      isComplete: false,
    });

    const closed = await api.as<{ closeReaderStudy: { status: string } }>(coordinator, CLOSE, { id: study.id });
    expect(closed.closeReaderStudy.status).toBe("CLOSED");
    expect((await api.graphql(CLOSE, { id: study.id }, { token })).errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect(
      await api.db.auditEvent.count({
        where: { action: { in: ["readerStudy.open", "readerStudy.close"] }, actorId: coordinator },
      }),
    ).toBe(2);
  });

  it("lists and shows studies only to coordinators of their site", async () => {
    const mine = await api.as<{ readerStudies: { edges: { node: { name: string } }[] } }>(coordinator, LIST);
    expect(mine.readerStudies.edges.length).toBeGreaterThanOrEqual(4);
    const closed = await api.as<{ readerStudies: { edges: { node: { status: string } }[] } }>(coordinator, LIST, {
      status: "CLOSED",
    });
    expect(closed.readerStudies.edges.map((e) => e.node.status)).toEqual(["CLOSED"]);
    for (const user of [otherCoordinator, reader, annotator]) {
      expect((await api.as<{ readerStudies: { edges: unknown[] } }>(user, LIST)).readerStudies.edges).toEqual([]);
    }
    const studyId = globalId(
      "ReaderStudy",
      (await api.db.readerStudy.findFirstOrThrow({ where: { siteId: site.id } })).id,
    );
    const asReader = await api.graphql(STUDY, { id: studyId }, { token: await api.sessionFor(reader) });
    expect(asReader.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});
