// BLINDING, the rule that matters most: while a study is OPEN, a READER assigned to it receives,
// by any query, alias, nested field or node lookup, no pathology truth, no AI output (unless AIDED
// after their own unaided read), no other reader's read, and no patient key or site of its cases.
//
// Canary values are planted around an open study (a truth note and a subtype the study never
// offers, a case note, a consensus, an ROI note, AI probabilities and heatmaps, reader A's read and
// its correction, the patient and exam keys, the case site), and the objects' global ids are
// canaries too. Then, as reader B and reader B' (who also holds every other role at the cases'
// site): every mutation is executed with valid arguments (test/blinding/mutation-plans.ts: the
// walk fails when a mutation the reader may call did not run, or one they may not call did), and
// sent again with every planted id; every query is crawled to the schema's depth limit
// (test/schema-crawl.ts), every object field below every object that comes back. No response
// may contain a canary. A positive control crawls the same way as a user who may see the truth
// (before and after the study closes) and must find every canary, so the walk does reach them.
// The test prints its report: per field executed or refused, and the canaries the control found.
import { getNamedType, isObjectType, type GraphQLField } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  mutationPlans,
  ownSession,
  type MutationPlan,
  type WalkingReader,
} from "../../../test/blinding/mutation-plans.ts";
import { createCase, createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import { crawlQueries, type CrawlReport } from "../../../test/schema-crawl.ts";
import { documentOf, rootCalls, selectionOf } from "../../../test/schema-walk.ts";
import {
  createCasePredictions,
  createModelVersion,
  createRead,
  createStudy,
  deliverCaseImages,
} from "../../../test/study-factories.ts";
import { hashPassword } from "../../auth/password.ts";
import { QUERY_LIMITS } from "../../graphql/limits.ts";
import { schema } from "../../graphql/schema.ts";

const MUTATION_DEPTH = 3;
const REFUSALS = new Set(["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"]);
const READER_PASSWORD = "the walking reader's password";
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

/** The 13 planted values of the cases, their findings, AI output and reader A's reads. */
const PLANTED_STRINGS = [
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
];

type Response = { field: string; text: string };
type MutationOutcome = { field: string; expected: string; planned: string; probes: string };

describe("blinding of an open study's readers", () => {
  let api: TestApi;
  let readerA: string;
  let readerB: string;
  let readerBWithRoles: string;
  let insider: string;
  let coordinator: string;
  let caseSiteId: string;
  let studyId: string;
  let idCandidates: string[];
  let plans: Record<string, MutationPlan>;
  const imageIds: string[] = [];
  const idsByType = new Map<string, string[]>();
  /** Every planted object with the type the API names it by (its global id is a canary too). */
  const planted: { type: string; id: string }[] = [];
  const plant = (type: string, id: string) => void planted.push({ type, id });
  /** Global ids of planted objects of types the API has (a Patient, for one, is never an object of its own). */
  const plantedGlobalIds = (except: readonly string[] = []) =>
    planted.filter((o) => schema.getType(o.type) && !except.includes(o.type)).map((o) => globalId(o.type, o.id));
  // Which planted ids an argument gets: by the argument's name ("caseId" -> Case, "id" of the
  // root field "readerStudy" -> ReaderStudy); every planted id for node/nodes; one planted id
  // (the study's) for arguments of types nothing was planted for.
  const ARG_TYPES: Record<string, string> = {
    study: "ReaderStudy",
    label: "PathologyLabel",
    studyReader: "StudyReader",
    consensus: "ConsensusDecision",
  };
  const typeOfGlobalId = (id: string) => Buffer.from(id, "base64").toString("utf8").split(":")[0]!;
  const isNodeType = (name: string) => {
    const type = schema.getType(name);
    return isObjectType(type) && type.getInterfaces().some((i) => i.name === "Node");
  };
  const idsFor = (name: string, rootField: string): string[] => {
    const base = name === "id" ? rootField : name.replace(/Ids?$/, "");
    const type = ARG_TYPES[base] ?? base.charAt(0).toUpperCase() + base.slice(1);
    // node/nodes take the ids of node types (the others are refused as malformed before anything runs).
    if (name === "ids" || (name === "id" && /^nodes?$/.test(rootField)))
      return idCandidates.filter((id) => isNodeType(typeOfGlobalId(id)));
    return idsByType.get(type) ?? idsByType.get("ReaderStudy")!;
  };
  const addCandidate = (type: string, id: string) => {
    const list = idsByType.get(type) ?? [];
    if (!list.includes(globalId(type, id))) list.push(globalId(type, id));
    idsByType.set(type, list);
    idCandidates = [...idsByType.values()].flat();
  };
  /** The site's datasets, versions, runs and models made since (by the mutation plans): arguments too. */
  async function addSiteObjects() {
    const db = api.db;
    const site = { siteId: caseSiteId };
    for (const d of await db.dataset.findMany({ where: site, take: 5 })) addCandidate("Dataset", d.id);
    for (const v of await db.datasetVersion.findMany({ where: { dataset: site }, take: 5 }))
      addCandidate("DatasetVersion", v.id);
    for (const r of await db.trainingRun.findMany({ where: site, take: 5 })) addCandidate("TrainingRun", r.id);
    for (const e of await db.evaluation.findMany({ where: { modelVersion: site }, take: 5 }))
      addCandidate("Evaluation", e.id);
  }

  beforeAll(async () => {
    api = await startTestApi();
    const db = api.db;
    const caseSite = await createSite(db, CANARY.siteCode);
    await db.site.update({ where: { id: caseSite.id }, data: { name: CANARY.siteName } });
    caseSiteId = caseSite.id;
    const readerSite = await createSite(db);
    const annotator = (await createUser(db, [{ siteId: caseSite.id, role: "ANNOTATOR" }])).id;
    const ml = (await createUser(db, [{ siteId: caseSite.id, role: "ML_ENGINEER" }])).id;
    coordinator = (await createUser(db, [{ siteId: caseSite.id, role: "COORDINATOR" }])).id;
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
    plant("Site", caseSite.id);
    plant("ModelVersion", model.id);
    plant("InferenceRun", run.id);
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
      plant("Case", c.id);
      plant("Patient", patient.id);
      plant("Finding", finding.id);
      plant("PathologyLabel", label.id);
      plant("ConsensusDecision", decision.id);
      plant("Annotation", annotation.id);
      for (const id of maps) plant("SaliencyMap", id);
      for (const p of predictions) plant("Prediction", p.id);
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
    // The readers' viewers have received every image (a read is refused before), so the walk's
    // submitRead reaches the reading path.
    for (const reader of readers) for (const sc of studyCases) await deliverCaseImages(db, reader.id, sc);
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
    for (const r of [unaided, aided, corrected]) plant("Read", r.id);
    plant("StudyReader", a!.id);
    // The images of a study case are what its readers read: arguments to try, not canaries.
    imageIds.push(
      ...(await db.image.findMany({ where: { caseId: { in: caseIds } }, select: { id: true } })).map((i) => i.id),
    );

    // Arguments: every planted id under the type it is, the study itself, and the study's images
    // (what its readers read: arguments to try, not canaries).
    addCandidate("ReaderStudy", study.id);
    for (const o of planted) addCandidate(o.type, o.id);
    for (const id of imageIds) addCandidate("Image", id);

    // Passwords (login, changePassword) and the world the mutation plans act in.
    const passwordHash = await hashPassword(READER_PASSWORD);
    await db.user.updateMany({ where: { id: { in: [readerB, readerBWithRoles] } }, data: { passwordHash } });
    const emailOf = async (id: string) => (await db.user.findUniqueOrThrow({ where: { id } })).email;
    plans = mutationPlans({
      api,
      caseSiteId,
      studyId,
      coordinatorId: coordinator,
      annotatorId: annotator,
      mlId: ml,
      readers: {
        B: { userId: readerB, email: await emailOf(readerB), password: READER_PASSWORD },
        "B'": { userId: readerBWithRoles, email: await emailOf(readerBWithRoles), password: READER_PASSWORD },
      },
    });
  }, 300_000);
  afterAll(async () => {
    await api.stop();
  });

  /** Argument values for the generic calls: planted ids, and the reader's own study case. */
  async function argumentValues(userId: string) {
    await addSiteObjects();
    const next = await api.db.readerCaseOrder.findFirst({
      where: { studyReader: { userId, studyId } },
      orderBy: { position: "asc" },
      include: { studyCase: true },
    });
    const code = next?.studyCase.code ?? "C-NONE";
    return {
      idsFor,
      scalar: (type: string, field: string) =>
        ({
          JSON: '"{}"',
          "String caseCode": JSON.stringify(code),
          "Int confidence": "50",
          "Subtype answer": "SOLID",
          "ArmKind phase": "UNAIDED",
        })[type === "JSON" ? type : `${type} ${field}`],
    };
  }

  /** Every query root field crawled to the depth limit as this user; every answer kept. */
  async function crawl(userId: string) {
    const token = await api.sessionFor(userId);
    const responses: Response[] = [];
    const report = await crawlQueries({
      schema,
      roots: rootCalls(schema, "query", await argumentValues(userId)),
      maxDepth: QUERY_LIMITS.depth,
      send: (document) => api.graphql(document, {}, { token }),
      onResponse: (field, text) => responses.push({ field, text }),
    });
    return { responses, report };
  }

  /**
   * Every mutation as a walking reader: once with the plan's valid arguments (the outcome must be
   * what the plan says), then with every planted id (probes: refused or harmless, no canary).
   */
  async function runMutations(reader: WalkingReader, userId: string, skipProbes: readonly string[]) {
    const token = await api.sessionFor(userId);
    const responses: Response[] = [];
    const outcomes: MutationOutcome[] = [];
    const values = await argumentValues(userId);
    const probes = new Map(rootCalls(schema, "mutation", values).map((c) => [c.field, c]));
    const mutations = Object.values(schema.getMutationType()!.getFields()).sort((a, b) => a.name.localeCompare(b.name));
    for (const field of mutations) {
      const plan = plans[field.name];
      if (!plan) {
        outcomes.push({ field: field.name, expected: "a plan", planned: "none", probes: "-" });
        continue;
      }
      const expected = plan.executesFor.includes(reader) ? "executed" : "refused";
      const variables = await plan.variables(reader);
      const result = await sendMutation(field, variables, plan.needsOwnSession ? await ownSession(api, userId) : token);
      responses.push({ field: `mutation.${field.name}`, text: JSON.stringify(result) });
      const codes = (result.errors ?? []).map((e) => e.extensions?.code ?? "?");
      const planned =
        codes.length === 0 && result.data?.m != null
          ? "executed"
          : codes.length > 0 && codes.every((c) => REFUSALS.has(c))
            ? `refused ${codes[0]}`
            : `error ${JSON.stringify(result.errors)}`;
      const probe = probes.get(field.name);
      let probeSummary = "-";
      if (probe && !skipProbes.includes(field.name)) {
        const result = await api.graphql(
          documentOf(probe, probe.calls, selectionOf(schema, probe.returnType, 2)),
          {},
          { token },
        );
        responses.push({ field: `mutation.${field.name}`, text: JSON.stringify(result) });
        const probeCodes = [...new Set((result.errors ?? []).map((e) => e.extensions?.code ?? "?"))];
        probeSummary = `${probe.calls.length} call(s): ${probeCodes.join(", ") || "no error"}`;
      }
      outcomes.push({ field: field.name, expected, planned, probes: probeSummary });
    }
    return { responses, outcomes };
  }

  /** One mutation with its variables; the payload asked as deep as the limits allow (checked before it runs). */
  async function sendMutation(
    field: GraphQLField<unknown, unknown>,
    variables: Record<string, unknown>,
    token: string,
  ) {
    const definitions = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(", ");
    const args = field.args.map((a) => `${a.name}: $${a.name}`).join(", ");
    const returned = getNamedType(field.type);
    for (let depth = MUTATION_DEPTH; ; depth--) {
      const document = `mutation${definitions ? `(${definitions})` : ""} { m: ${field.name}${args ? `(${args})` : ""} ${selectionOf(schema, returned, depth)} }`;
      const result = await api.graphql<{ m: unknown }>(document, variables, { token });
      const isTooLarge = result.errors?.some((e) => e.extensions?.code === "QUERY_TOO_COMPLEX");
      if (!isTooLarge || depth === 1) return result;
    }
  }

  const leaks = (responses: Response[], canaries: string[]) =>
    responses.flatMap(({ field, text }) => canaries.filter((c) => text.includes(c)).map((c) => `${field}: ${c}`));

  /** The walk's report, printed for the record (issue 14, must-show 4). */
  function printReport(who: string, mutations: MutationOutcome[], crawlReport: CrawlReport) {
    const executed = mutations.filter((m) => m.planned === "executed").map((m) => m.field);
    const refused = mutations.filter((m) => m.planned.startsWith("refused")).map((m) => m.field);
    const roots = [...crawlReport.roots.entries()].sort(([a], [b]) => a.localeCompare(b));
    console.log(
      [
        `blinding walk as ${who}:`,
        `  mutations executed (${executed.length}): ${executed.join(", ") || "none"}`,
        `  mutations refused (${refused.length}): ${mutations
          .filter((m) => m.planned.startsWith("refused"))
          .map((m) => `${m.field} (${m.planned.slice(8)})`)
          .join(", ")}`,
        `  queries: ${roots.length} root fields, ${crawlReport.requests} requests, paths to depth ${crawlReport.deepest} (limit ${QUERY_LIMITS.depth}); ${crawlReport.beyondLimits.length} paths refused by the limits`,
        ...roots.map(
          ([f, s]) =>
            `    ${f}: ${s.requests} requests, ${s.withData} with data${s.codes.size ? `, refused: ${[...s.codes].map(([c, n]) => `${c} x${n}`).join(" ")}` : ""}`,
        ),
      ].join("\n"),
    );
  }

  const failures = (outcomes: MutationOutcome[]) =>
    outcomes.filter((o) => (o.expected === "executed" ? o.planned !== "executed" : !o.planned.startsWith("refused")));

  it("reader B (another site) finds no canary in any answer; every mutation runs or is refused as B's role says", async () => {
    const mutations = await runMutations("B", readerB, ["signOut"]);
    const queries = await crawl(readerB);
    printReport("reader B (a reader of another site)", mutations.outcomes, queries.report);
    expect(failures(mutations.outcomes), "mutations whose outcome differs from the plan").toEqual([]);
    const canaries = [
      ...PLANTED_STRINGS,
      CANARY.siteCode,
      CANARY.siteName,
      CANARY.modelName,
      ...planted.map((o) => o.id),
      ...plantedGlobalIds(),
    ];
    expect(leaks([...mutations.responses, ...queries.responses], canaries)).toEqual([]);
    // B did read: the walk submitted and corrected B's own reads (the reading path is part of it).
    expect(await api.db.read.count({ where: { studyReader: { userId: readerB } } })).toBeGreaterThan(1);
  }, 900_000);

  it("reader B' who also holds every other role at the cases' site finds none of the cases' canaries either", async () => {
    // Probes left out: closing the study with its own id (as its site's coordinator B' may close it,
    // and then see it) and renaming the site (as its admin B' may; its name is a canary).
    const mutations = await runMutations("B'", readerBWithRoles, ["closeReaderStudy", "updateSite", "signOut"]);
    const queries = await crawl(readerBWithRoles);
    printReport(
      "reader B' (a reader who is also admin, coordinator, annotator and ML engineer at the cases' site)",
      mutations.outcomes,
      queries.report,
    );
    expect(failures(mutations.outcomes), "mutations whose outcome differs from the plan").toEqual([]);
    // The site, its model and inference run are B's to see as ML engineer there, and who reads the
    // study (not what they read) as its coordinator; the cases, their truth, AI output and reads are not.
    const ownToSee = ["Site", "ModelVersion", "InferenceRun", "StudyReader"];
    const caseCanaries = [
      ...PLANTED_STRINGS,
      ...planted.filter((o) => !ownToSee.includes(o.type)).map((o) => o.id),
      ...plantedGlobalIds(ownToSee),
    ];
    expect(leaks([...mutations.responses, ...queries.responses], caseCanaries)).toEqual([]);
    expect(await api.db.readerStudy.count({ where: { id: studyId, status: "OPEN" } })).toBe(1);
  }, 900_000);

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
  it("the same walk does reach every planted value for users allowed to see them (positive control)", async () => {
    // The cases, their truth and AI output: a user of the cases' site who reads nothing; reader A's
    // reads: reader A (nobody else ever sees another's read itself).
    const insiderCrawl = await crawl(insider);
    const readerACrawl = await crawl(readerA);
    const responses = [...insiderCrawl.responses, ...readerACrawl.responses];
    const wanted = [...PLANTED_STRINGS, CANARY.siteCode, CANARY.siteName, CANARY.modelName, ...plantedGlobalIds()];
    const found = new Set(leaks(responses, wanted).map((l) => l.slice(l.indexOf(": ") + 2)));
    const names = new Map(planted.map((o) => [globalId(o.type, o.id), `${o.type} ${o.id.slice(0, 8)}`]));
    console.log(
      [
        `positive control: found ${found.size} of ${wanted.length} canaries (${PLANTED_STRINGS.length} planted values, the site's code and name, the model's name, ${wanted.length - PLANTED_STRINGS.length - 3} object ids)`,
        `  paths to depth ${insiderCrawl.report.deepest} (limit ${QUERY_LIMITS.depth}), ${insiderCrawl.report.requests + readerACrawl.report.requests} requests, ${insiderCrawl.report.beyondLimits.length} paths refused by the limits`,
        ...wanted.map((c) => `  ${found.has(c) ? "found  " : "MISSING"} ${names.get(c) ?? c}`),
      ].join("\n"),
    );
    expect(wanted.filter((c) => !found.has(c)).map((c) => names.get(c) ?? c)).toEqual([]);
    // The crawl follows what comes back as deep as it goes, to the limit.
    expect(insiderCrawl.report.deepest).toBeGreaterThanOrEqual(8);
  }, 900_000);
});
