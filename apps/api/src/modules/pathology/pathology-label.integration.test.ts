import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAnnotation,
  createCase,
  createLabel,
  createSite,
  createUser,
  findingOf,
  globalId,
} from "../../../test/factories.ts";
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
const FINDING = /* GraphQL */ `
  query Finding($id: ID!) {
    node(id: $id) {
      ... on Finding {
        key
        laterality
        labelStatus
        truth
        case {
          labelStatus
          truth
        }
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
  }
`;
const CASE = /* GraphQL */ `
  query Case($id: ID!) {
    case(id: $id) {
      labelStatus
      truth
      hasMalignantFinding
      findings {
        key
        laterality
        labelStatus
        truth
      }
      breasts {
        laterality
        labelStatus
        truth
      }
    }
  }
`;
const CREATE_FINDING = /* GraphQL */ `
  mutation CreateFinding($input: CreateFindingInput!) {
    createFinding(input: $input) {
      id
      key
      laterality
      labelStatus
    }
  }
`;
const UPDATE_FINDING = /* GraphQL */ `
  mutation UpdateFinding($input: UpdateFindingInput!) {
    updateFinding(input: $input) {
      id
      laterality
      labelStatus
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

type FindingView = {
  labelStatus: string;
  truth: string | null;
  case: { labelStatus: string; truth: string | null };
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

  const caseOf = new Map<string, string>();
  /** A case with four views and one finding on its right breast (labelled by the tests). */
  const newFinding = async () => {
    const c = await createCase(api.db, api.blobs, siteId);
    const findingId = globalId("Finding", (await findingOf(api.db, c.id, annotator)).id);
    caseOf.set(findingId, globalId("Case", c.id));
    return findingId;
  };
  const input = (findingId: string, overrides: Record<string, unknown> = {}) => ({
    findingId,
    subtype: "SCIRRHOUS",
    source: "SURGERY",
    specimenDate: "2020-03-04",
    note: "two pathologists agreed",
    ...overrides,
  });
  const findingView = async (findingId: string) =>
    (await api.as<{ node: FindingView }>(annotator, FINDING, { id: findingId })).node;

  it("an annotator of the case's site adds a label; it is read back, with an audit event in the same transaction", async () => {
    const findingId = await newFinding();
    const data = await api.as<{ addPathologyLabel: { id: string } }>(annotator, ADD, { input: input(findingId) });
    expect(data.addPathologyLabel).toMatchObject({
      subtype: "SCIRRHOUS",
      source: "SURGERY",
      specimenDate: "2020-03-04",
      isCurrent: true,
    });
    const view = await findingView(findingId);
    expect(view).toMatchObject({ labelStatus: "LABELLED", truth: "SCIRRHOUS" });
    expect(view.pathologyLabels).toHaveLength(1);
    const audit = await api.db.auditEvent.findFirst({ where: { entityId: rawId(data.addPathologyLabel.id) } });
    expect(audit).toMatchObject({ actorId: annotator, action: "pathologyLabel.create", entityType: "PathologyLabel" });
  });

  it("several labels per finding: agreement is LABELLED, disagreement is CONFLICT with no truth", async () => {
    const findingId = await newFinding();
    await api.as(annotator, ADD, { input: input(findingId, { source: "BIOPSY" }) });
    await api.as(secondAnnotator, ADD, { input: input(findingId) });
    expect(await findingView(findingId)).toMatchObject({ labelStatus: "LABELLED", truth: "SCIRRHOUS" });
    await api.as(secondAnnotator, ADD, { input: input(findingId, { subtype: "SOLID" }) });
    const view = await findingView(findingId);
    expect(view).toMatchObject({
      labelStatus: "CONFLICT",
      truth: null,
      case: { labelStatus: "CONFLICT", truth: null },
    });
    expect(view.pathologyLabels.map((l) => l.subtype)).toEqual(["SOLID", "SCIRRHOUS", "SCIRRHOUS"]);
  });

  it("two label changes in one request: each answer shows the finding as its own change left it", async () => {
    // Mutations run one after another; objects loaded for the first answer must not stand in for the second's.
    const findingId = await newFinding();
    const TWO = /* GraphQL */ `
      mutation Two($a: AddPathologyLabelInput!, $b: AddPathologyLabelInput!) {
        a: addPathologyLabel(input: $a) {
          finding {
            labelStatus
            truth
          }
        }
        b: addPathologyLabel(input: $b) {
          finding {
            labelStatus
            truth
          }
        }
      }
    `;
    const data = await api.as<{ a: { finding: unknown }; b: { finding: unknown } }>(annotator, TWO, {
      a: input(findingId, { source: "BIOPSY", subtype: "SOLID" }),
      b: input(findingId, { subtype: "SCIRRHOUS" }),
    });
    expect(data.a.finding).toEqual({ labelStatus: "LABELLED", truth: "SOLID" });
    expect(data.b.finding).toEqual({ labelStatus: "CONFLICT", truth: null });
    expect(await findingView(findingId)).toMatchObject({ labelStatus: "CONFLICT", truth: null });
  });

  it("a correction is a new label that replaces the old one; the old one stays as history and cannot be corrected twice", async () => {
    const findingId = await newFinding();
    const first = (
      await api.as<{ addPathologyLabel: { id: string } }>(annotator, ADD, {
        input: input(findingId, { subtype: "SOLID" }),
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
    expect(await findingView(findingId)).toMatchObject({ labelStatus: "LABELLED", truth: "TUBULE_FORMING" });
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

  it("a retracted label is no longer current, and the finding falls back to what remains", async () => {
    const findingId = await newFinding();
    const solid = (
      await api.as<{ addPathologyLabel: { id: string } }>(annotator, ADD, {
        input: input(findingId, { subtype: "SOLID" }),
      })
    ).addPathologyLabel;
    await api.as(annotator, ADD, { input: input(findingId) });
    expect((await findingView(findingId)).labelStatus).toBe("CONFLICT");
    const retracted = await api.as<{ retractPathologyLabel: { retractedAt: string; isCurrent: boolean } }>(
      annotator,
      RETRACT,
      {
        input: { labelId: solid.id, reason: "wrong case" },
      },
    );
    expect(retracted.retractPathologyLabel.isCurrent).toBe(false);
    expect(await findingView(findingId)).toMatchObject({ labelStatus: "LABELLED", truth: "SCIRRHOUS" });
    const twice = await api.graphql(
      RETRACT,
      { input: { labelId: solid.id, reason: "again" } },
      { token: await api.sessionFor(annotator) },
    );
    expect(errorCode(twice)).toBe("CONFLICT");
  });

  it("a conflict is adjudicated to a consensus (rationale required); agreement is unanimous; decisions keep their history, one current", async () => {
    const findingId = await newFinding();
    await api.as(annotator, ADD, { input: input(findingId, { subtype: "SOLID" }) });
    await api.as(secondAnnotator, ADD, { input: input(findingId) });
    const noRationale = await api.graphql(
      DECIDE,
      { input: { findingId, subtype: "SOLID" } },
      { token: await api.sessionFor(coordinator) },
    );
    expect(noRationale.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "rationale" });
    const unnamed = await api.graphql(
      DECIDE,
      { input: { findingId, subtype: "BENIGN", rationale: "x" } },
      { token: await api.sessionFor(coordinator) },
    );
    expect(unnamed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "subtype" });

    const decided = await api.as<{ decideConsensus: { method: string } }>(coordinator, DECIDE, {
      input: { findingId, subtype: "SOLID", rationale: "review board" },
    });
    expect(decided.decideConsensus).toMatchObject({
      subtype: "SOLID",
      method: "ADJUDICATED",
      rationale: "review board",
    });
    expect(await findingView(findingId)).toMatchObject({
      labelStatus: "ADJUDICATED",
      truth: "SOLID",
      consensus: { subtype: "SOLID", method: "ADJUDICATED" },
      case: { labelStatus: "ADJUDICATED", truth: "SOLID" },
    });

    // Who wrote one of the disagreeing labels cannot adjudicate them; someone else with the right can.
    const own = await api.graphql(
      DECIDE,
      { input: { findingId, subtype: "SCIRRHOUS", rationale: "my own label is right" } },
      { token: await api.sessionFor(secondAnnotator) },
    );
    expect(own.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/you wrote one of the disagreeing labels/),
      extensions: { code: "FORBIDDEN" },
    });
    await api.as(thirdAnnotator, DECIDE, { input: { findingId, subtype: "SCIRRHOUS", rationale: "second look" } });
    const view = await findingView(findingId);
    expect(view.consensus).toMatchObject({ subtype: "SCIRRHOUS" });
    expect(view.consensusHistory.map((d) => [d.subtype, d.supersededAt !== null])).toEqual([
      ["SCIRRHOUS", false],
      ["SOLID", true],
    ]);
    expect(await api.db.consensusDecision.count({ where: { findingId: rawId(findingId), supersededAt: null } })).toBe(
      1,
    );
  });

  it("a label change after a consensus supersedes it: the finding is back to LABELLED or CONFLICT until decided again", async () => {
    const findingId = await newFinding();
    await api.as(annotator, ADD, { input: input(findingId) });
    const unanimous = await api.as<{ decideConsensus: { method: string } }>(annotator, DECIDE, {
      input: { findingId, subtype: "SCIRRHOUS" },
    });
    expect(unanimous.decideConsensus.method).toBe("UNANIMOUS");
    await api.as(secondAnnotator, ADD, { input: input(findingId, { subtype: "SOLID" }) });
    expect(await findingView(findingId)).toMatchObject({ labelStatus: "CONFLICT", truth: null, consensus: null });
  });

  it("the history lists every step, oldest first, with who did it and why", async () => {
    const findingId = await newFinding();
    const first = (
      await api.as<{ addPathologyLabel: { id: string } }>(annotator, ADD, {
        input: input(findingId, { subtype: "SOLID", note: "core biopsy" }),
      })
    ).addPathologyLabel;
    await api.as(secondAnnotator, CORRECT, {
      input: { labelId: first.id, subtype: "SCIRRHOUS", source: "SURGERY", reason: "surgery", note: "excision" },
    });
    await api.as(coordinator, DECIDE, { input: { findingId, subtype: "SCIRRHOUS" } });
    const extra = (
      await api.as<{ addPathologyLabel: { id: string } }>(annotator, ADD, {
        input: input(findingId, { subtype: "BENIGN" }),
      })
    ).addPathologyLabel;
    await api.as(annotator, RETRACT, { input: { labelId: extra.id, reason: "entered on the wrong case" } });
    const history = (
      await api.as<{ pathologyHistory: { kind: string; subtype: string; detail: string | null }[] }>(
        annotator,
        HISTORY,
        { caseId: caseOf.get(findingId) },
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

  it("an annotator of another site sees no such finding (and cannot label it); readers and coordinators cannot label", async () => {
    const findingId = await newFinding();
    const asOther = await api.graphql(
      ADD,
      { input: input(findingId) },
      { token: await api.sessionFor(otherSiteAnnotator) },
    );
    expect(errorCode(asOther)).toBe("NOT_FOUND");
    const caseId = caseOf.get(findingId)!;
    expect(
      errorCode(await api.graphql(CASE, { id: caseId }, { token: await api.sessionFor(otherSiteAnnotator) })),
    ).toBe("NOT_FOUND");
    expect(errorCode(await api.graphql(CASE, { id: caseId }, { token: await api.sessionFor(reader) }))).toBe(
      "NOT_FOUND",
    );
    const hidden = await api.graphql(FINDING, { id: findingId }, { token: await api.sessionFor(otherSiteAnnotator) });
    expect(hidden.data?.node ?? null).toBeNull();
    expect(
      errorCode(await api.graphql(ADD, { input: input(findingId) }, { token: await api.sessionFor(coordinator) })),
    ).toBe("FORBIDDEN");
    const label = await createLabel(api.db, rawId(caseId), annotator);
    const retract = await api.graphql(
      RETRACT,
      { input: { labelId: globalId("PathologyLabel", label.id), reason: "x" } },
      { token: await api.sessionFor(coordinator) },
    );
    expect(errorCode(retract)).toBe("FORBIDDEN");
    expect(await api.db.pathologyLabel.count({ where: { finding: { caseId: rawId(caseId) } } })).toBe(1);
  });

  it("a label given a case and a breast starts a new finding there; a breast without images is refused", async () => {
    const c = await createCase(api.db, api.blobs, siteId, { lateralities: ["R"] });
    const caseId = globalId("Case", c.id);
    const added = await api.as<{ addPathologyLabel: { finding: { key: string; laterality: string } } }>(
      annotator,
      /* GraphQL */ `
        mutation ($input: AddPathologyLabelInput!) {
          addPathologyLabel(input: $input) {
            finding {
              key
              laterality
            }
          }
        }
      `,
      { input: { caseId, laterality: "R", subtype: "SOLID", source: "BIOPSY" } },
    );
    expect(added.addPathologyLabel.finding).toEqual({ key: "F1", laterality: "R" });
    const before = await api.db.finding.count({ where: { caseId: c.id } });
    const noImage = await api.tryAs(annotator, CREATE_FINDING, { input: { caseId, laterality: "L" } });
    expect(noImage.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "laterality" });
    const noBreast = await api.tryAs(annotator, ADD, { input: { caseId, subtype: "SOLID", source: "BIOPSY" } });
    expect(noBreast.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "laterality" });
    expect(await api.db.finding.count({ where: { caseId: c.id } })).toBe(before);
    expect(await api.db.pathologyLabel.count({ where: { finding: { caseId: c.id } } })).toBe(1);
  });

  it("truth is per breast: a benign lesion in one breast and a malignant one in the other is no conflict; NORMAL is a label", async () => {
    const c = await createCase(api.db, api.blobs, siteId);
    const caseId = globalId("Case", c.id);
    const newOn = async (laterality: string, subtype: string, source = "BIOPSY") =>
      api.as<{ addPathologyLabel: { id: string } }>(annotator, ADD, {
        input: { caseId, laterality, subtype, source },
      });
    await newOn("L", "BENIGN");
    await newOn("R", "SOLID");
    const view = async () => (await api.as<{ case: Record<string, unknown> }>(annotator, CASE, { id: caseId })).case;
    expect(await view()).toMatchObject({
      labelStatus: "LABELLED",
      truth: "SOLID",
      hasMalignantFinding: true,
      breasts: [
        { laterality: "R", labelStatus: "LABELLED", truth: "SOLID" },
        { laterality: "L", labelStatus: "LABELLED", truth: "BENIGN" },
      ],
    });
    // A second case: the left breast labelled normal (follow-up), the right with a lesion.
    const other = globalId("Case", (await createCase(api.db, api.blobs, siteId)).id);
    await api.as(annotator, ADD, { input: { caseId: other, laterality: "L", subtype: "NORMAL", source: "FOLLOW_UP" } });
    await api.as(annotator, ADD, {
      input: { caseId: other, laterality: "R", subtype: "TUBULE_FORMING", source: "SURGERY" },
    });
    const otherView = (await api.as<{ case: Record<string, unknown> }>(annotator, CASE, { id: other })).case;
    expect(otherView).toMatchObject({
      labelStatus: "LABELLED",
      truth: "TUBULE_FORMING",
      breasts: [
        { laterality: "R", truth: "TUBULE_FORMING" },
        { laterality: "L", labelStatus: "LABELLED", truth: "NORMAL" },
      ],
    });
    // A lesion found in the breast labelled normal: that breast, and so the case, is in conflict.
    await api.as(annotator, ADD, { input: { caseId: other, laterality: "L", subtype: "BENIGN", source: "BIOPSY" } });
    expect((await api.as<{ case: Record<string, unknown> }>(annotator, CASE, { id: other })).case).toMatchObject({
      labelStatus: "CONFLICT",
      truth: null,
      breasts: [{ laterality: "R" }, { laterality: "L", labelStatus: "CONFLICT", truth: null }],
    });
  });

  it("a finding is placed on a breast; its regions must lie on that breast's images", async () => {
    const c = await createCase(api.db, api.blobs, siteId);
    const created = await api.as<{
      createFinding: { id: string; key: string; laterality: string; labelStatus: string };
    }>(annotator, CREATE_FINDING, { input: { caseId: globalId("Case", c.id), laterality: "R", key: "mass 1" } });
    expect(created.createFinding).toMatchObject({ key: "mass 1", laterality: "R", labelStatus: "UNLABELLED" });
    const findingRaw = rawId(created.createFinding.id);
    const rightCc = await api.db.image.findFirstOrThrow({ where: { caseId: c.id, laterality: "R", view: "CC" } });
    await createAnnotation(api.db, rightCc.id, annotator, findingRaw);
    const moved = await api.tryAs(annotator, UPDATE_FINDING, {
      input: { findingId: created.createFinding.id, laterality: "L" },
    });
    expect(moved.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "laterality" });
    expect((await api.db.finding.findUniqueOrThrow({ where: { id: findingRaw } })).laterality).toBe("R");
    const duplicate = await api.tryAs(annotator, CREATE_FINDING, {
      input: { caseId: globalId("Case", c.id), laterality: "L", key: "mass 1" },
    });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "key" });
    const asCoordinator = await api.tryAs(coordinator, UPDATE_FINDING, {
      input: { findingId: created.createFinding.id, note: "x" },
    });
    expect(errorCode(asCoordinator)).toBe("FORBIDDEN");
  });

  it("rejects bad input with an error that names the field, and writes nothing", async () => {
    const findingId = await newFinding();
    const before = await api.db.pathologyLabel.count();
    const future = await api.graphql(
      ADD,
      { input: input(findingId, { specimenDate: "2999-01-01" }) },
      { token: await api.sessionFor(annotator) },
    );
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "specimenDate" });
    const badEnum = await api.graphql(
      ADD,
      { input: input(findingId, { subtype: "MUCINOUS" }) },
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
    const result = await api.graphql(ADD, { input: input(await newFinding()) });
    expect(errorCode(result)).toBe("UNAUTHENTICATED");
  });
});
