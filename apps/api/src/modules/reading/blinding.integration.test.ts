// BLINDING, the rule that matters most: while a study is OPEN, a READER assigned to it receives,
// by any query, alias, nested field or node lookup, no pathology truth, no AI output (unless AIDED
// after their own unaided read), no other reader's read, and no patient key or site of its cases.
//
// Canary values are planted around an open study (a truth note and a subtype the study never
// offers, a consensus, an ROI note, AI probabilities and heatmap ids, reader A's read, the patient
// and exam keys, the case site). Then EVERY Query and Mutation field of the schema, with a
// selection of every field below it (aliases, nested objects, node/nodes with inline fragments on
// every type), is sent as reader B with every planted id as argument, and no response may
// contain a canary. A positive control runs the same walk as a user who may see the truth, to show
// the walk does reach the planted values.
import type { GraphQLNamedType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type GraphQLResult, type TestApi } from "../../../test/harness.ts";
import { documentOf, fieldSelectionsOf, rootCalls, selectionOf, type RootCall } from "../../../test/schema-walk.ts";
import { createCasePredictions, createModelVersion, createRead, createStudy } from "../../../test/study-factories.ts";
import { schema } from "../../graphql/schema.ts";

const DEPTH = 5;
const MUTATION_DEPTH = 3;
const tag = Math.random().toString(36).slice(2, 8).toUpperCase();
const CANARY = {
  siteCode: `CANARYSITE${tag}`,
  siteName: `Canary General Hospital ${tag}`,
  pseudonym: `CANARY-PATIENT-${tag}`,
  accession: `CANARY-ACC-${tag}`,
  caseNote: `CANARY-CASE-NOTE-${tag}`,
  truthNote: `CANARY-TRUTH-${tag}`,
  findingKey: `CANARY-FINDING-${tag}`,
  // The truth subtype: never among the study's options, so it can only come from the truth.
  truthSubtype: "OTHER_INVASIVE" as const,
  consensus: `CANARY-CONSENSUS-${tag}`,
  annotation: `CANARY-ROI-NOTE-${tag}`,
  aiProbability: "0.1234567",
  modelName: `canary-model-${tag.toLowerCase()}`,
  readReason: `CANARY-READ-A-${tag}`,
  readTime: "31415926",
  readRoi: "4.2424242",
  readScore: "12.3456789",
};

type Planted = { strings: string[]; ids: string[]; globalIds: string[] };

describe("blinding of an open study's readers", () => {
  let api: TestApi;
  let readerA: string;
  let readerB: string;
  let readerBWithRoles: string;
  let insider: string;
  let caseSiteId: string;
  let studyId: string;
  let planted: Planted;
  let idCandidates: string[];
  const imageIds: string[] = [];
  const idsByType = new Map<string, string[]>();
  // Which planted ids an argument gets: by the argument's name ("caseId" -> Case, "id" of the
  // root field "readerStudy" -> ReaderStudy); every planted id for node/nodes; one planted id
  // (the study's) for arguments of types nothing was planted for.
  const ARG_TYPES: Record<string, string> = {
    study: "ReaderStudy",
    label: "PathologyLabel",
    studyReader: "StudyReader",
    consensus: "ConsensusDecision",
  };
  const idsFor = (name: string, rootField: string): string[] => {
    const base = name === "id" ? rootField : name.replace(/Ids?$/, "");
    const type = ARG_TYPES[base] ?? base.charAt(0).toUpperCase() + base.slice(1);
    if (name === "ids" || (name === "id" && /^nodes?$/.test(rootField))) return idCandidates;
    return idsByType.get(type) ?? idsByType.get("ReaderStudy")!;
  };

  beforeAll(async () => {
    api = await startTestApi();
    const db = api.db;
    const caseSite = await createSite(db, CANARY.siteCode);
    await db.site.update({ where: { id: caseSite.id }, data: { name: CANARY.siteName } });
    caseSiteId = caseSite.id;
    const readerSite = await createSite(db);
    const annotator = (await createUser(db, [{ siteId: caseSite.id, role: "ANNOTATOR" }])).id;
    const ml = (await createUser(db, [{ siteId: caseSite.id, role: "ML_ENGINEER" }])).id;
    const coordinator = (await createUser(db, [{ siteId: caseSite.id, role: "COORDINATOR" }])).id;
    readerA = (await createUser(db, [{ siteId: readerSite.id, role: "READER" }])).id;
    // Reader B: a reader of another site, the usual multi-site reader.
    readerB = (await createUser(db, [{ siteId: readerSite.id, role: "READER" }])).id;
    // Reader B': also holds every other role at the cases' site; reading the study still blinds them.
    readerBWithRoles = (
      await createUser(db, [
        { siteId: readerSite.id, role: "READER" },
        ...(["ADMIN", "COORDINATOR", "ANNOTATOR", "ML_ENGINEER"] as const).map((role) => ({
          siteId: caseSite.id,
          role,
        })),
      ])
    ).id;
    // Positive control: sees the cases' truth and the AI, reads nothing.
    insider = (
      await createUser(
        db,
        (["ANNOTATOR", "ML_ENGINEER", "COORDINATOR"] as const).map((role) => ({ siteId: caseSite.id, role })),
      )
    ).id;

    const model = await createModelVersion(db, { siteId: caseSite.id, createdById: ml, name: CANARY.modelName });
    const run = await db.inferenceRun.create({
      data: {
        siteId: caseSite.id,
        modelVersionId: model.id,
        target: "IMAGES",
        imageIds: [],
        status: "SUCCEEDED",
        requestedById: ml,
      },
    });
    const caseIds: string[] = [];
    const findingIds: string[] = [];
    const ids: string[] = [caseSite.id, model.id, run.id];
    for (let n = 0; n < 2; n++) {
      const patient = await db.patient.create({
        data: { siteId: caseSite.id, pseudonym: `${CANARY.pseudonym}-${n}`, dateShiftDays: -17 },
      });
      const c = await db.case.create({
        data: {
          siteId: caseSite.id,
          patientId: patient.id,
          accessionKey: `${CANARY.accession}-${n}`,
          note: CANARY.caseNote,
          examDate: new Date("2019-05-06"),
        },
      });
      // Four real images per case (reuse the factory's images by moving them onto this case).
      const donor = await createCase(db, api.blobs, caseSite.id);
      await db.image.updateMany({ where: { caseId: donor.id }, data: { caseId: c.id } });
      const finding = await db.finding.create({
        data: {
          caseId: c.id,
          laterality: "L",
          key: `${CANARY.findingKey}-${n}`,
          note: CANARY.truthNote,
          createdById: annotator,
        },
      });
      findingIds.push(finding.id);
      const label = await db.pathologyLabel.create({
        data: {
          findingId: finding.id,
          subtype: CANARY.truthSubtype,
          source: "SURGERY",
          note: CANARY.truthNote,
          authorId: annotator,
        },
      });
      const decision = await db.consensusDecision.create({
        data: {
          findingId: finding.id,
          subtype: CANARY.truthSubtype,
          method: "ADJUDICATED",
          decidedById: annotator,
          rationale: CANARY.consensus,
        },
      });
      const images = await db.image.findMany({ where: { caseId: c.id }, orderBy: { laterality: "desc" } });
      const annotation = await db.annotation.create({
        data: {
          imageId: images[0]!.id, // a left-breast image: the finding's breast
          authorId: annotator,
          purpose: "LESION",
          shape: "POINT",
          geometry: { x: 1, y: 1 },
          findingId: finding.id,
          note: CANARY.annotation,
        },
      });
      const maps = await createCasePredictions(db, api.blobs, {
        modelVersionId: model.id,
        caseId: c.id,
        probabilities: [Number(CANARY.aiProbability), 0.2, 1 - 0.2 - Number(CANARY.aiProbability)],
        inferenceRunId: run.id,
      });
      const predictions = await db.prediction.findMany({ where: { image: { caseId: c.id } } });
      caseIds.push(c.id);
      ids.push(
        c.id,
        patient.id,
        finding.id,
        label.id,
        decision.id,
        annotation.id,
        ...images.map((i) => i.id),
        ...maps,
        ...predictions.map((p) => p.id),
      );
    }
    // A FINDING study: readers are shown which lesion is meant (its outline), never its truth.
    const { study, studyCases, readers } = await createStudy(db, {
      siteId: caseSite.id,
      createdById: coordinator,
      caseIds,
      findingIds,
      modelVersionId: model.id,
      readers: [
        { userId: readerA, arm: "AIDED" },
        { userId: readerB, arm: "UNAIDED" },
        { userId: readerBWithRoles, arm: "UNAIDED" },
      ],
    });
    studyId = study.id;
    // Reader A has read case 1 unaided and aided, and corrected the aided read.
    const [a] = readers;
    const images = await db.image.findMany({ where: { caseId: studyCases[0]!.caseId } });
    const roi = { imageId: images[0]!.id, geometry: { x: Number(CANARY.readRoi), y: 3 } };
    const unaided = await createRead(db, {
      studyReaderId: a!.id,
      studyCaseId: studyCases[0]!.id,
      answer: "SCIRRHOUS",
      timeSpentMs: Number(CANARY.readTime),
      roi,
      classScores: { SOLID: Number(CANARY.readScore) },
    });
    const aided = await createRead(db, {
      studyReaderId: a!.id,
      studyCaseId: studyCases[0]!.id,
      phase: "AIDED",
      answer: "SCIRRHOUS",
      timeSpentMs: Number(CANARY.readTime),
    });
    const corrected = await db.read.create({
      data: {
        studyReaderId: a!.id,
        studyCaseId: studyCases[0]!.id,
        phase: "AIDED",
        version: 2,
        supersedesId: aided.id,
        correctionReason: CANARY.readReason,
        answer: "TUBULE_FORMING",
        timeSpentMs: Number(CANARY.readTime),
      },
    });
    const map = await db.saliencyMap.findFirstOrThrow({ where: { prediction: { imageId: images[0]!.id } } });
    await db.concordanceResult.create({
      data: {
        saliencyMapId: map.id,
        source: "READ",
        readId: unaided.id,
        isPointingHit: true,
        energyInside: 0.4242424,
        iou: 0.25,
        iouThreshold: 0.5,
      },
    });
    ids.push(unaided.id, aided.id, corrected.id, a!.id);
    // The images of a study case are what its readers read: arguments to try, not canaries.
    imageIds.push(
      ...(await db.image.findMany({ where: { caseId: { in: caseIds } }, select: { id: true } })).map((i) => i.id),
    );

    const types = [
      "Case",
      "Image",
      "Finding",
      "PathologyLabel",
      "ConsensusDecision",
      "Annotation",
      "Prediction",
      "SaliencyMap",
      "Read",
      "StudyReader",
      "ModelVersion",
      "InferenceRun",
      "Site",
      "Patient",
      "StudyCase",
    ];
    const canaryIds = ids.filter((id) => !imageIds.includes(id));
    planted = {
      strings: [
        CANARY.pseudonym,
        CANARY.accession,
        CANARY.caseNote,
        CANARY.truthNote,
        CANARY.findingKey,
        CANARY.truthSubtype,
        CANARY.consensus,
        CANARY.annotation,
        CANARY.aiProbability,
        CANARY.readReason,
        CANARY.readTime,
        CANARY.readRoi,
        CANARY.readScore,
      ],
      ids: canaryIds,
      globalIds: canaryIds.flatMap((id) => types.map((t) => globalId(t, id))),
    };
    // Arguments: every planted id under the type it is (types tried per id, so a node lookup of
    // any kind reaches it), the study itself, and the cases' ids.
    const add = (type: string, id: string) => {
      const list = idsByType.get(type) ?? [];
      if (!list.includes(globalId(type, id))) list.push(globalId(type, id));
      idsByType.set(type, list);
    };
    add("ReaderStudy", study.id);
    add("Site", caseSite.id);
    add("ModelVersion", model.id);
    add("InferenceRun", run.id);
    for (const id of ids) for (const t of types) if (await rowExists(t, id)) add(t, id);
    idCandidates = [...idsByType.values()].flat();
  }, 300_000);
  afterAll(async () => {
    await api.stop();
  });

  async function rowExists(type: string, id: string): Promise<boolean> {
    const db = api.db as unknown as Record<string, { count: (args: { where: { id: string } }) => Promise<number> }>;
    const model =
      { StudyReader: "studyReader", StudyCase: "studyCase" }[type] ?? type.charAt(0).toLowerCase() + type.slice(1);
    return db[model] ? (await db[model].count({ where: { id } })) > 0 : false;
  }

  const isTooLarge = (result: GraphQLResult) =>
    (result.errors ?? []).some(
      (e) =>
        ["QUERY_TOO_COMPLEX", "GRAPHQL_PARSE_FAILED"].includes(e.extensions?.code ?? "") ||
        /too (large|complex|many)|tokens/i.test(e.message),
    );

  /** Runs every root field (queries, or mutations too) as a user; returns every response text and the fields reached. */
  async function walk(userId: string, operations: ("query" | "mutation")[], skip: string[] = []) {
    const token = await api.sessionFor(userId);
    const responses: { field: string; text: string }[] = [];
    const reached = new Set<string>();
    const caseCode = async () => {
      const next = await api.db.readerCaseOrder.findFirst({
        where: { studyReader: { userId, studyId } },
        orderBy: { position: "asc" },
        include: { studyCase: true },
      });
      return next?.studyCase.code ?? "C-NONE";
    };
    const code = await caseCode();
    const values = {
      idsFor,
      // B's own read of its current case goes through, as a reader's would.
      scalar: (type: string, field: string) =>
        ({
          JSON: '"{}"',
          "String caseCode": JSON.stringify(code),
          "Int confidence": "50",
          "Subtype answer": "SOLID",
          "ArmKind phase": "UNAIDED",
        })[type === "JSON" ? type : `${type} ${field}`],
    };
    // Selections already refused as too costly for one call: later calls split them at once.
    const tooCostly = new Set<string>();
    const send = async (
      call: RootCall,
      calls: RootCall["calls"],
      type: GraphQLNamedType,
      depth: number,
      selection: string,
    ): Promise<void> => {
      if (tooCostly.has(`${call.field} ${selection}`)) return split(call, calls, type, depth, selection);
      const started = performance.now();
      const result = await api.graphql(documentOf(call, calls, selection), {}, { token });
      const stat = (stats[call.field] ??= { requests: 0, ms: 0 });
      stat.requests += 1;
      stat.ms += performance.now() - started;
      if (!isTooLarge(result)) {
        reached.add(`${call.operation}.${call.field}`);
        responses.push({ field: `${call.operation}.${call.field}`, text: JSON.stringify(result) });
        return;
      }
      if (calls.length === 1) tooCostly.add(`${call.field} ${selection}`);
      return split(call, calls, type, depth, selection, result);
    };
    // Too costly for the limits: one alias at a time, then one field at a time, then shallower.
    const split = async (
      call: RootCall,
      calls: RootCall["calls"],
      type: GraphQLNamedType,
      depth: number,
      selection: string,
      result?: GraphQLResult,
    ): Promise<void> => {
      if (calls.length > 1) {
        for (const one of calls) await send(call, [one], type, depth, selection);
      } else if (selection === selectionOf(schema, type, depth) && depth > 1) {
        for (const part of fieldSelectionsOf(schema, type, depth)) await send(call, calls, type, depth, part);
      } else if (depth > 1) {
        await send(call, calls, type, depth - 1, selectionOf(schema, type, depth - 1));
      } else {
        throw new Error(`${call.field}: refused as too large even at depth 1: ${JSON.stringify(result?.errors)}`);
      }
    };
    const stats: Record<string, { requests: number; ms: number }> = {};
    for (const operation of operations) {
      const calls = rootCalls(schema, operation, values, skip);
      if (operation === "query") {
        // Queries change nothing: a few at a time.
        const queue = [...calls];
        const worker = async () => {
          for (let call = queue.shift(); call; call = queue.shift())
            await send(call, call.calls, call.returnType, DEPTH, selectionOf(schema, call.returnType, DEPTH));
        };
        await Promise.all([worker(), worker(), worker()]);
      } else {
        // A mutation's payload is made of the same types the queries walked in depth.
        for (const call of calls)
          await send(
            call,
            call.calls,
            call.returnType,
            MUTATION_DEPTH,
            selectionOf(schema, call.returnType, MUTATION_DEPTH),
          );
      }
    }
    if (process.env.BLINDING_STATS)
      console.log(
        Object.entries(stats)
          .sort((a, b) => b[1].ms - a[1].ms)
          .slice(0, 25)
          .map(([f, s]) => `${f}: ${s.requests} req ${Math.round(s.ms)} ms`)
          .join("\n"),
      );
    return { responses, reached };
  }

  const leaks = (responses: { field: string; text: string }[], canaries: string[]) =>
    responses.flatMap(({ field, text }) => canaries.filter((c) => text.includes(c)).map((c) => `${field}: ${c}`));

  it("reader B (another site) finds no canary in any response of any query or mutation, with every planted id", async () => {
    const { responses, reached } = await walk(readerB, process.env.BLINDING_STATS ? ["query"] : ["query", "mutation"]);
    const everyField = [
      ...Object.keys(schema.getQueryType()!.getFields()).map((f) => `query.${f}`),
      ...Object.keys(schema.getMutationType()!.getFields()).map((f) => `mutation.${f}`),
    ];
    expect(
      everyField.filter((f) => !reached.has(f)),
      "root fields the walk could not send",
    ).toEqual([]);
    const canaries = [
      ...planted.strings,
      CANARY.siteCode,
      CANARY.siteName,
      CANARY.modelName,
      ...planted.ids,
      ...planted.globalIds.filter((g) => !idCandidates.includes(g)),
    ];
    expect(leaks(responses, canaries)).toEqual([]);
    // B did read: the walk submitted B's own current case (the reading path is part of the walk).
    expect(await api.db.read.count({ where: { studyReader: { userId: readerB } } })).toBeGreaterThan(0);
  }, 600_000);

  it("reader B' who also holds every other role at the cases' site finds none of the cases' canaries either", async () => {
    // Queries, and the mutations except closing the study: as its site's coordinator B' may close it, and then see its answers.
    const { responses } = await walk(readerBWithRoles, ["query", "mutation"], ["closeReaderStudy"]);
    const caseCanaries = [...planted.strings, ...planted.ids.filter((id) => id !== caseSiteId && id !== readerA)];
    expect(leaks(responses, caseCanaries)).toEqual([]);
    expect(await api.db.readerStudy.count({ where: { id: studyId, status: "OPEN" } })).toBe(1);
  }, 600_000);

  it("the same walk does reach the planted values for a user allowed to see them (positive control)", async () => {
    const { responses } = await walk(insider, ["query"]);
    const found = new Set(
      leaks(responses, [
        CANARY.truthNote,
        CANARY.truthSubtype,
        CANARY.accession,
        CANARY.pseudonym,
        CANARY.aiProbability,
        CANARY.siteCode,
      ]).map((l) => l.split(": ")[1]),
    );
    expect([...found].sort()).toEqual(
      [
        CANARY.truthNote,
        CANARY.truthSubtype,
        CANARY.accession,
        CANARY.pseudonym,
        CANARY.aiProbability,
        CANARY.siteCode,
      ].sort(),
    );
  }, 600_000);

  it("serves reader B no heatmap of the study's cases over HTTP", async () => {
    const maps = await api.db.saliencyMap.findMany({ select: { id: true } });
    for (const user of [readerB, readerBWithRoles]) {
      const token = await api.sessionFor(user);
      const statuses = await Promise.all(
        maps.map(
          async (m) =>
            (
              await fetch(`${api.url}/saliency-maps/${m.id}/heatmap.png`, {
                headers: { authorization: `Bearer ${token}` },
              })
            ).status,
        ),
      );
      expect(new Set(statuses)).toEqual(new Set([404]));
    }
    // Control: the insider gets them.
    const ok = await fetch(`${api.url}/saliency-maps/${maps[0]!.id}/heatmap.png`, {
      headers: { authorization: `Bearer ${await api.sessionFor(insider)}` },
    });
    expect(ok.status).toBe(200);
  });
});
