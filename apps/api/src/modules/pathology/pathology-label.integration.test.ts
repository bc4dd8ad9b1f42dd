import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createLabel, createSite, createUser, globalId } from "../../../test/factories.ts";
import { errorCode, startTestApi, type TestApi } from "../../../test/harness.ts";

const ADD = /* GraphQL */ `
  mutation Add($input: AddPathologyLabelInput!) {
    addPathologyLabel(input: $input) {
      id
      subtype
      source
      specimenDate
      note
      author {
        name
      }
      isCurrent
    }
  }
`;
const CORRECT = /* GraphQL */ `
  mutation Correct($input: CorrectPathologyLabelInput!) {
    correctPathologyLabel(input: $input) {
      id
      subtype
      isCurrent
      replaces {
        id
        subtype
        isCurrent
      }
    }
  }
`;
const RETRACT = /* GraphQL */ `
  mutation Retract($input: RetractPathologyLabelInput!) {
    retractPathologyLabel(input: $input) {
      id
      retractedAt
      isCurrent
    }
  }
`;
const DECIDE = /* GraphQL */ `
  mutation Decide($input: DecideConsensusInput!) {
    decideConsensus(input: $input) {
      id
      subtype
      method
      rationale
      decidedBy {
        name
      }
    }
  }
`;
const CASE = /* GraphQL */ `
  query Case($id: ID!) {
    case(id: $id) {
      accessionKey
      labelStatus
      truth
      pathologyLabels {
        id
        subtype
        source
        isCurrent
        retractedAt
      }
      consensus {
        subtype
        method
      }
      consensusHistory {
        subtype
        method
        supersededAt
      }
    }
  }
`;
const HISTORY = /* GraphQL */ `
  query History($caseId: ID!) {
    pathologyHistory(caseId: $caseId) {
      kind
      subtype
      detail
      actor {
        name
      }
    }
  }
`;

type CaseView = {
  labelStatus: string;
  truth: string | null;
  pathologyLabels: { id: string; subtype: string; isCurrent: boolean; retractedAt: string | null }[];
  consensus: { subtype: string; method: string } | null;
  consensusHistory: { subtype: string; supersededAt: string | null }[];
};

const rawId = (global: string) => Buffer.from(global, "base64").toString("utf8").split(":")[1]!;

describe("pathology labels and consensus", () => {
  let api: TestApi;
  let siteId: string;
  let annotator: string;
  let secondAnnotator: string;
  let thirdAnnotator: string;
  let otherSiteAnnotator: string;
  let reader: string;
  let coordinator: string;

  beforeAll(async () => {
    api = await startTestApi();
    siteId = (await createSite(api.db)).id;
    const otherSite = await createSite(api.db);
    annotator = (await createUser(api.db, [{ siteId, role: "ANNOTATOR" }])).id;
    secondAnnotator = (await createUser(api.db, [{ siteId, role: "ANNOTATOR" }])).id;
    thirdAnnotator = (await createUser(api.db, [{ siteId, role: "ANNOTATOR" }])).id;
    otherSiteAnnotator = (await createUser(api.db, [{ siteId: otherSite.id, role: "ANNOTATOR" }])).id;
    reader = (await createUser(api.db, [{ siteId, role: "READER" }])).id;
    coordinator = (await createUser(api.db, [{ siteId, role: "COORDINATOR" }])).id;
  });
  afterAll(async () => {
    await api.stop();
  });

  const newCase = async () => globalId("Case", (await createCase(api.db, api.blobs, siteId)).id);
  const input = (caseId: string, overrides: Record<string, unknown> = {}) => ({
    caseId,
    subtype: "SCIRRHOUS",
    source: "SURGERY",
    specimenDate: "2020-03-04",
    note: "two pathologists agreed",
    ...overrides,
  });
  const caseView = async (caseId: string) => (await api.as<{ case: CaseView }>(annotator, CASE, { id: caseId })).case;

  it("an annotator of the case's site adds a label; it is read back, with an audit event in the same transaction", async () => {
    const caseId = await newCase();
    const data = await api.as<{ addPathologyLabel: { id: string } }>(annotator, ADD, { input: input(caseId) });
    expect(data.addPathologyLabel).toMatchObject({
      subtype: "SCIRRHOUS",
      source: "SURGERY",
      specimenDate: "2020-03-04",
      isCurrent: true,
    });
    const view = await caseView(caseId);
    expect(view).toMatchObject({ labelStatus: "LABELLED", truth: "SCIRRHOUS" });
    expect(view.pathologyLabels).toHaveLength(1);
    const audit = await api.db.auditEvent.findFirst({ where: { entityId: rawId(data.addPathologyLabel.id) } });
    expect(audit).toMatchObject({ actorId: annotator, action: "pathologyLabel.create", entityType: "PathologyLabel" });
  });

  it("several labels per case: agreement is LABELLED, disagreement is CONFLICT with no truth", async () => {
    const caseId = await newCase();
    await api.as(annotator, ADD, { input: input(caseId, { source: "BIOPSY" }) });
    await api.as(secondAnnotator, ADD, { input: input(caseId) });
    expect(await caseView(caseId)).toMatchObject({ labelStatus: "LABELLED", truth: "SCIRRHOUS" });
    await api.as(secondAnnotator, ADD, { input: input(caseId, { subtype: "SOLID" }) });
    const view = await caseView(caseId);
    expect(view).toMatchObject({ labelStatus: "CONFLICT", truth: null });
    expect(view.pathologyLabels.map((l) => l.subtype)).toEqual(["SOLID", "SCIRRHOUS", "SCIRRHOUS"]);
  });

  it("a correction is a new label that replaces the old one; the old one stays as history and cannot be corrected twice", async () => {
    const caseId = await newCase();
    const first = (
      await api.as<{ addPathologyLabel: { id: string } }>(annotator, ADD, {
        input: input(caseId, { subtype: "SOLID" }),
      })
    ).addPathologyLabel;
    const corrected = await api.as<{
      correctPathologyLabel: { subtype: string; isCurrent: boolean; replaces: { id: string; isCurrent: boolean } };
    }>(secondAnnotator, CORRECT, {
      input: { labelId: first.id, subtype: "TUBULE_FORMING", source: "SURGERY", reason: "surgical specimen reviewed" },
    });
    expect(corrected.correctPathologyLabel).toMatchObject({
      subtype: "TUBULE_FORMING",
      isCurrent: true,
      replaces: { id: first.id, isCurrent: false },
    });
    expect(await caseView(caseId)).toMatchObject({ labelStatus: "LABELLED", truth: "TUBULE_FORMING" });
    const again = await api.graphql(
      CORRECT,
      { input: { labelId: first.id, subtype: "SOLID", source: "SURGERY", reason: "x" } },
      { token: await api.sessionFor(annotator) },
    );
    expect(errorCode(again)).toBe("CONFLICT");
    const audit = await api.db.auditEvent.findFirstOrThrow({
      where: { action: "pathologyLabel.correct" },
      orderBy: { id: "desc" },
    });
    expect(audit.after).toMatchObject({ reason: "surgical specimen reviewed", subtype: "TUBULE_FORMING" });
  });

  it("a retracted label is no longer current, and the case falls back to what remains", async () => {
    const caseId = await newCase();
    const solid = (
      await api.as<{ addPathologyLabel: { id: string } }>(annotator, ADD, {
        input: input(caseId, { subtype: "SOLID" }),
      })
    ).addPathologyLabel;
    await api.as(annotator, ADD, { input: input(caseId) });
    expect((await caseView(caseId)).labelStatus).toBe("CONFLICT");
    const retracted = await api.as<{ retractPathologyLabel: { retractedAt: string; isCurrent: boolean } }>(
      annotator,
      RETRACT,
      {
        input: { labelId: solid.id, reason: "wrong case" },
      },
    );
    expect(retracted.retractPathologyLabel.isCurrent).toBe(false);
    expect(await caseView(caseId)).toMatchObject({ labelStatus: "LABELLED", truth: "SCIRRHOUS" });
    const twice = await api.graphql(
      RETRACT,
      { input: { labelId: solid.id, reason: "again" } },
      { token: await api.sessionFor(annotator) },
    );
    expect(errorCode(twice)).toBe("CONFLICT");
  });

  it("a conflict is adjudicated to a consensus (rationale required); agreement is unanimous; decisions keep their history, one current", async () => {
    const caseId = await newCase();
    await api.as(annotator, ADD, { input: input(caseId, { subtype: "SOLID" }) });
    await api.as(secondAnnotator, ADD, { input: input(caseId) });
    const noRationale = await api.graphql(
      DECIDE,
      { input: { caseId, subtype: "SOLID" } },
      { token: await api.sessionFor(coordinator) },
    );
    expect(noRationale.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "rationale" });
    const unnamed = await api.graphql(
      DECIDE,
      { input: { caseId, subtype: "BENIGN", rationale: "x" } },
      { token: await api.sessionFor(coordinator) },
    );
    expect(unnamed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "subtype" });

    const decided = await api.as<{ decideConsensus: { method: string } }>(coordinator, DECIDE, {
      input: { caseId, subtype: "SOLID", rationale: "review board" },
    });
    expect(decided.decideConsensus).toMatchObject({
      subtype: "SOLID",
      method: "ADJUDICATED",
      rationale: "review board",
    });
    expect(await caseView(caseId)).toMatchObject({
      labelStatus: "ADJUDICATED",
      truth: "SOLID",
      consensus: { subtype: "SOLID", method: "ADJUDICATED" },
    });

    // Who wrote one of the disagreeing labels cannot adjudicate them; someone else with the right can.
    const own = await api.graphql(
      DECIDE,
      { input: { caseId, subtype: "SCIRRHOUS", rationale: "my own label is right" } },
      { token: await api.sessionFor(secondAnnotator) },
    );
    expect(own.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/you wrote one of the disagreeing labels/),
      extensions: { code: "FORBIDDEN" },
    });
    await api.as(thirdAnnotator, DECIDE, { input: { caseId, subtype: "SCIRRHOUS", rationale: "second look" } });
    const view = await caseView(caseId);
    expect(view.consensus).toMatchObject({ subtype: "SCIRRHOUS" });
    expect(view.consensusHistory.map((d) => [d.subtype, d.supersededAt !== null])).toEqual([
      ["SCIRRHOUS", false],
      ["SOLID", true],
    ]);
    expect(await api.db.consensusDecision.count({ where: { caseId: rawId(caseId), supersededAt: null } })).toBe(1);
  });

  it("a label change after a consensus supersedes it: the case is back to LABELLED or CONFLICT until decided again", async () => {
    const caseId = await newCase();
    await api.as(annotator, ADD, { input: input(caseId) });
    const unanimous = await api.as<{ decideConsensus: { method: string } }>(annotator, DECIDE, {
      input: { caseId, subtype: "SCIRRHOUS" },
    });
    expect(unanimous.decideConsensus.method).toBe("UNANIMOUS");
    await api.as(secondAnnotator, ADD, { input: input(caseId, { subtype: "SOLID" }) });
    expect(await caseView(caseId)).toMatchObject({ labelStatus: "CONFLICT", truth: null, consensus: null });
  });

  it("the history lists every step, oldest first, with who did it and why", async () => {
    const caseId = await newCase();
    const first = (
      await api.as<{ addPathologyLabel: { id: string } }>(annotator, ADD, {
        input: input(caseId, { subtype: "SOLID", note: "core biopsy" }),
      })
    ).addPathologyLabel;
    await api.as(secondAnnotator, CORRECT, {
      input: { labelId: first.id, subtype: "SCIRRHOUS", source: "SURGERY", reason: "surgery", note: "excision" },
    });
    await api.as(coordinator, DECIDE, { input: { caseId, subtype: "SCIRRHOUS" } });
    const extra = (
      await api.as<{ addPathologyLabel: { id: string } }>(annotator, ADD, {
        input: input(caseId, { subtype: "BENIGN" }),
      })
    ).addPathologyLabel;
    await api.as(annotator, RETRACT, { input: { labelId: extra.id, reason: "entered on the wrong case" } });
    const history = (
      await api.as<{ pathologyHistory: { kind: string; subtype: string; detail: string | null }[] }>(
        annotator,
        HISTORY,
        { caseId },
      )
    ).pathologyHistory;
    expect(history.map((e) => `${e.kind}:${e.subtype}`)).toEqual([
      "LABEL_ADDED:SOLID",
      "LABEL_CORRECTED:SCIRRHOUS",
      "CONSENSUS_DECIDED:SCIRRHOUS",
      "LABEL_ADDED:BENIGN",
      "CONSENSUS_SUPERSEDED:SCIRRHOUS",
      "LABEL_RETRACTED:BENIGN",
    ]);
    expect(history.find((e) => e.kind === "LABEL_RETRACTED")?.detail).toBe("entered on the wrong case");
  });

  it("an annotator of another site sees no such case (and cannot label it); readers and coordinators cannot label", async () => {
    const caseId = await newCase();
    const asOther = await api.graphql(
      ADD,
      { input: input(caseId) },
      { token: await api.sessionFor(otherSiteAnnotator) },
    );
    expect(errorCode(asOther)).toBe("NOT_FOUND");
    expect(
      errorCode(await api.graphql(CASE, { id: caseId }, { token: await api.sessionFor(otherSiteAnnotator) })),
    ).toBe("NOT_FOUND");
    expect(errorCode(await api.graphql(CASE, { id: caseId }, { token: await api.sessionFor(reader) }))).toBe(
      "NOT_FOUND",
    );
    expect(
      errorCode(await api.graphql(ADD, { input: input(caseId) }, { token: await api.sessionFor(coordinator) })),
    ).toBe("FORBIDDEN");
    const label = await createLabel(api.db, rawId(caseId), annotator);
    const retract = await api.graphql(
      RETRACT,
      { input: { labelId: globalId("PathologyLabel", label.id), reason: "x" } },
      { token: await api.sessionFor(coordinator) },
    );
    expect(errorCode(retract)).toBe("FORBIDDEN");
    expect(await api.db.pathologyLabel.count({ where: { caseId: rawId(caseId) } })).toBe(1);
  });

  it("rejects bad input with an error that names the field, and writes nothing", async () => {
    const caseId = await newCase();
    const before = await api.db.pathologyLabel.count();
    const future = await api.graphql(
      ADD,
      { input: input(caseId, { specimenDate: "2999-01-01" }) },
      { token: await api.sessionFor(annotator) },
    );
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "specimenDate" });
    const badEnum = await api.graphql(
      ADD,
      { input: input(caseId, { subtype: "MUCINOUS" }) },
      { token: await api.sessionFor(annotator) },
    );
    expect(badEnum.errors?.[0]?.message).toMatch(/subtype/);
    const noReason = await api.graphql(
      RETRACT,
      { input: { labelId: globalId("PathologyLabel", "00000000-0000-4000-8000-000000000000"), reason: " " } },
      { token: await api.sessionFor(annotator) },
    );
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "reason" });
    expect(await api.db.pathologyLabel.count()).toBe(before);
  });

  it("refuses anonymous requests", async () => {
    const result = await api.graphql(ADD, { input: input(await newCase()) });
    expect(errorCode(result)).toBe("UNAUTHENTICATED");
  });
});
