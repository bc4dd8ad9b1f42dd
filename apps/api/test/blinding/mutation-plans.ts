// The blinding walk executes every mutation with valid arguments, as each walking reader:
// "B" reads the open study from another site and holds no other role; "B'" reads it too and holds
// every other role at the cases' site. Each plan makes its own objects (never the study's blinded
// cases), says who may run it, and the walk fails when one of them is refused, or when someone
// else is not. Mutations without a plan fail the walk: a new mutation needs one.
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { hashApiToken, newApiTokenSecret } from "../../src/auth/api-token.ts";
import { createAnnotation, createCase, createFrozenDataset, createLabel, createUser, globalId } from "../factories.ts";
import { TEST_SESSION_SECRET, type TestApi } from "../harness.ts";
import { dicomCaseWithRegion, standInDicomweb } from "../pacs-stand-in.ts";
import { createModelVersion, createRead, createStudy } from "../study-factories.ts";

export type WalkingReader = "B" | "B'";

export type PlanWorld = {
  api: TestApi;
  caseSiteId: string;
  /** The open study both readers read (never touched by a plan, only read in). */
  studyId: string;
  readers: Record<WalkingReader, { userId: string; email: string; password: string }>;
  /** A coordinator of the cases' site (makes the objects the plans act on). */
  coordinatorId: string;
  annotatorId: string;
  mlId: string;
};

export type MutationPlan = {
  /** Variables for one run by `reader` (objects made fresh where the mutation consumes them). */
  variables: (reader: WalkingReader) => Promise<Record<string, unknown>>;
  /** The readers who may run it with these variables. */
  executesFor: readonly WalkingReader[];
  /** Run with a session of its own (signing out ends the session it runs in). */
  needsOwnSession?: boolean;
};

const unique = () => randomBytes(4).toString("hex");
const BOTH: readonly WalkingReader[] = ["B", "B'"];
const SITE_ROLES: readonly WalkingReader[] = ["B'"];

export function mutationPlans(w: PlanWorld): Record<string, MutationPlan> {
  const db = w.api.db;
  const g = globalId;
  const site = () => g("Site", w.caseSiteId);
  /** A labelled case of the site, in no study (its truth is no secret to the site's roles). */
  const freeCase = async (subtype: "SOLID" | "SCIRRHOUS" = "SOLID") => {
    const c = await createCase(db, w.api.blobs, w.caseSiteId);
    const label = await createLabel(db, c.id, w.annotatorId, subtype);
    const images = await db.image.findMany({ where: { caseId: c.id }, orderBy: { id: "asc" } });
    return { ...c, label, images };
  };
  const freeDatasetVersion = async () => {
    const [a, b] = [await freeCase("SOLID"), await freeCase("SCIRRHOUS")];
    return createFrozenDataset(db, w.caseSiteId, w.coordinatorId, [
      { id: a.id, patientId: a.patientId, subtype: "SOLID" },
      { id: b.id, patientId: b.patientId, subtype: "SCIRRHOUS" },
    ]);
  };
  const freeModel = async () => {
    const { version } = await freeDatasetVersion();
    return createModelVersion(db, { siteId: w.caseSiteId, createdById: w.mlId, datasetVersionId: version.id });
  };
  const member = async (extra: { disabledAt?: Date; oidcSubject?: string } = {}) => {
    const user = await createUser(db, [{ siteId: w.caseSiteId, role: "READER" }]);
    return Object.keys(extra).length ? db.user.update({ where: { id: user.id }, data: extra }) : user;
  };
  const draftStudy = async (options: { withReader?: boolean; ofFindings?: boolean } = {}) => {
    const c = await freeCase();
    const reader = options.withReader ? await createUser(db, [{ siteId: w.caseSiteId, role: "READER" }]) : null;
    return createStudy(db, {
      siteId: w.caseSiteId,
      createdById: w.coordinatorId,
      caseIds: [c.id],
      ...(options.ofFindings ? { findingIds: [c.label.findingId] } : {}),
      readers: reader ? [{ userId: reader.id, arm: "UNAIDED" }] : [],
      status: "DRAFT",
    });
  };
  /** The reader's own reading state in the open study: the position-ordered case codes and reads. */
  const readingOf = async (reader: WalkingReader) => {
    const studyReader = await db.studyReader.findFirstOrThrow({
      where: { studyId: w.studyId, userId: w.readers[reader].userId },
      include: { order: { orderBy: { position: "asc" }, include: { studyCase: true } }, reads: true },
    });
    return studyReader;
  };
  const read = { answer: "SOLID", confidence: 50, timeSpentMs: 1000 };
  /** A PACS connection of the site, at a stand-in that accepts what is stored (made once). */
  let standIn: Promise<string> | undefined;
  const pacsConnection = async () => {
    standIn ??= standInDicomweb();
    return db.pacsConnection.create({
      data: { siteId: w.caseSiteId, name: `walk ${unique()}`, baseUrl: await standIn, createdById: w.coordinatorId },
    });
  };

  return {
    addMembership: {
      executesFor: SITE_ROLES,
      variables: async () => ({ input: { email: (await member()).email, role: "ANNOTATOR", siteId: site() } }),
    },
    addPathologyLabel: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: { findingId: g("Finding", (await freeCase()).label.findingId), subtype: "SCIRRHOUS", source: "BIOPSY" },
      }),
    },
    addStudyCases: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: {
          studyId: g("ReaderStudy", (await draftStudy()).study.id),
          caseIds: [g("Case", (await freeCase()).id)],
        },
      }),
    },
    addStudyFindings: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: {
          studyId: g("ReaderStudy", (await draftStudy({ ofFindings: true })).study.id),
          findingIds: [g("Finding", (await freeCase()).label.findingId)],
        },
      }),
    },
    addStudyReader: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: {
          studyId: g("ReaderStudy", (await draftStudy()).study.id),
          email: (await createUser(db, [{ siteId: w.caseSiteId, role: "READER" }])).email,
          arm: "UNAIDED",
        },
      }),
    },
    cancelTrainingRun: {
      executesFor: SITE_ROLES,
      variables: async () => {
        const { version } = await freeDatasetVersion();
        const run = await db.trainingRun.create({
          data: {
            siteId: w.caseSiteId,
            datasetVersionId: version.id,
            preset: "quick",
            params: {},
            seed: 1,
            requestedById: w.mlId,
          },
        });
        return { id: g("TrainingRun", run.id) };
      },
    },
    changePassword: {
      executesFor: BOTH,
      variables: async (reader) => ({
        currentPassword: w.readers[reader].password,
        newPassword: w.readers[reader].password,
      }),
    },
    closeReaderStudy: {
      executesFor: SITE_ROLES,
      variables: async () => {
        const c = await freeCase();
        const reader = await createUser(db, [{ siteId: w.caseSiteId, role: "READER" }]);
        const { study } = await createStudy(db, {
          siteId: w.caseSiteId,
          createdById: w.coordinatorId,
          caseIds: [c.id],
          readers: [{ userId: reader.id, arm: "UNAIDED" }],
        });
        return { id: g("ReaderStudy", study.id) };
      },
    },
    correctPathologyLabel: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: {
          labelId: g("PathologyLabel", (await freeCase()).label.id),
          subtype: "SCIRRHOUS",
          source: "SURGERY",
          reason: "walk: corrected",
        },
      }),
    },
    correctRead: {
      executesFor: BOTH,
      variables: async (reader) => {
        // The reader's own unaided read of their first case (written as if submitted earlier).
        const state = await readingOf(reader);
        const first = state.order[0]!.studyCase;
        const own =
          state.reads.find((r) => r.studyCaseId === first.id) ??
          (await createRead(db, { studyReaderId: state.id, studyCaseId: first.id, answer: "SCIRRHOUS" }));
        return { input: { readId: g("Read", own.id), ...read, reason: "walk: second look" } };
      },
    },
    createAnnotation: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: {
          imageId: g("Image", (await freeCase()).images[0]!.id),
          purpose: "LESION",
          shape: "BOX",
          geometry: { x: 1, y: 1, width: 2, height: 2 },
        },
      }),
    },
    createApiToken: { executesFor: BOTH, variables: async () => ({ input: { name: "walk", expiresInDays: 1 } }) },
    createDataset: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: {
          siteId: site(),
          name: `walk ${unique()}`,
          filter: { siteIds: [site()], subtypes: ["SOLID", "SCIRRHOUS"] },
        },
      }),
    },
    createFinding: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: { caseId: g("Case", (await freeCase()).id), laterality: "L", key: `walk-${unique()}` },
      }),
    },
    createPacsConnection: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: {
          siteId: site(),
          name: `walk ${unique()}`,
          baseUrl: "http://127.0.0.1:9/dicom-web",
          authKind: "BASIC",
          username: "u",
          password: "p",
        },
      }),
    },
    createReaderStudy: {
      executesFor: SITE_ROLES,
      variables: async () => ({ input: { siteId: site(), name: `walk ${unique()}` } }),
    },
    createUser: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: { siteId: site(), email: `walk-${unique()}@test.example`, name: "Walk", roles: ["READER"] },
      }),
    },
    decideConsensus: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: { findingId: g("Finding", (await freeCase()).label.findingId), subtype: "SOLID", rationale: "walk" },
      }),
    },
    deleteAnnotation: {
      executesFor: SITE_ROLES,
      // One's own annotation (only its author may change it).
      variables: async (reader) => {
        const c = await freeCase();
        return { id: g("Annotation", (await createAnnotation(db, c.images[0]!.id, w.readers[reader].userId)).id) };
      },
    },
    disableUser: { executesFor: SITE_ROLES, variables: async () => ({ id: g("User", (await member()).id) }) },
    enableUser: {
      executesFor: SITE_ROLES,
      variables: async () => ({ id: g("User", (await member({ disabledAt: new Date() })).id) }),
    },
    exportResultsToPacs: {
      executesFor: SITE_ROLES,
      // A DICOM case with a region, sent to a stand-in PACS that accepts what is stored.
      variables: async () => {
        const pacs = await pacsConnection();
        return {
          input: {
            caseId: g("Case", await dicomCaseWithRegion(w.api, w.caseSiteId, w.annotatorId)),
            connectionId: g("PacsConnection", pacs.id),
            identifiers: "DEIDENTIFIED",
            includeRegions: true,
          },
        };
      },
    },
    freezeDatasetVersion: {
      executesFor: SITE_ROLES,
      variables: async () => ({ input: { datasetId: g("Dataset", (await freeDatasetVersion()).dataset.id) } }),
    },
    login: {
      executesFor: BOTH,
      variables: async (reader) => ({ email: w.readers[reader].email, password: w.readers[reader].password }),
    },
    openReaderStudy: {
      executesFor: SITE_ROLES,
      variables: async () => ({ id: g("ReaderStudy", (await draftStudy({ withReader: true })).study.id) }),
    },
    removeMembership: {
      executesFor: SITE_ROLES,
      variables: async () => {
        const user = await member();
        const membership = await db.membership.create({
          data: { userId: user.id, siteId: w.caseSiteId, role: "ANNOTATOR" },
        });
        return { id: g("Membership", membership.id) };
      },
    },
    removeModelAlias: {
      executesFor: SITE_ROLES,
      variables: async () => {
        const model = await freeModel();
        const alias = `walk-${unique()}`;
        await db.modelAlias.create({
          data: { siteId: w.caseSiteId, modelName: model.name, alias, modelVersionId: model.id, updatedById: w.mlId },
        });
        return { siteId: site(), modelName: model.name, alias };
      },
    },
    removeStudyCases: {
      executesFor: SITE_ROLES,
      variables: async () => {
        const { study, studyCases } = await draftStudy();
        return { input: { studyId: g("ReaderStudy", study.id), caseIds: [g("Case", studyCases[0]!.caseId)] } };
      },
    },
    removeStudyFindings: {
      executesFor: SITE_ROLES,
      variables: async () => {
        const { study, studyCases } = await draftStudy({ ofFindings: true });
        return {
          input: { studyId: g("ReaderStudy", study.id), findingIds: [g("Finding", studyCases[0]!.findingId!)] },
        };
      },
    },
    removeStudyReader: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        studyReaderId: g("StudyReader", (await draftStudy({ withReader: true })).readers[0]!.id),
      }),
    },
    requestConcordance: {
      executesFor: SITE_ROLES,
      variables: async () => {
        const model = await freeModel();
        const run = await db.inferenceRun.create({
          data: {
            siteId: w.caseSiteId,
            modelVersionId: model.id,
            target: "IMAGES",
            imageIds: [],
            status: "SUCCEEDED",
            requestedById: w.mlId,
          },
        });
        return { inferenceRunId: g("InferenceRun", run.id) };
      },
    },
    requestEvaluation: {
      executesFor: SITE_ROLES,
      variables: async () => {
        const model = await freeModel();
        return {
          input: {
            modelVersionId: g("ModelVersion", model.id),
            datasetVersionId: g("DatasetVersion", model.datasetVersionId),
          },
        };
      },
    },
    requestInference: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: {
          modelVersionId: g("ModelVersion", (await freeModel()).id),
          target: "IMAGES",
          imageIds: [g("Image", (await freeCase()).images[0]!.id)],
        },
      }),
    },
    requestPacsImport: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: { connectionId: g("PacsConnection", (await pacsConnection()).id), studyInstanceUids: ["1.2.3.4"] },
      }),
    },
    requestTrainingRun: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: { datasetVersionId: g("DatasetVersion", (await freeDatasetVersion()).version.id), preset: "quick" },
      }),
    },
    retractPathologyLabel: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: { labelId: g("PathologyLabel", (await freeCase()).label.id), reason: "walk: retracted" },
      }),
    },
    revokeApiToken: {
      executesFor: BOTH,
      variables: async (reader) => {
        const secret = newApiTokenSecret();
        const token = await db.apiToken.create({
          data: {
            userId: w.readers[reader].userId,
            name: "walk",
            tokenHash: hashApiToken(secret),
            tokenPrefix: secret.slice(0, 10),
            expiresAt: new Date(Date.now() + 86_400_000),
          },
        });
        return { id: g("ApiToken", token.id) };
      },
    },
    setModelAlias: {
      executesFor: SITE_ROLES,
      variables: async () => ({ alias: `walk-${unique()}`, modelVersionId: g("ModelVersion", (await freeModel()).id) }),
    },
    // Single sign-on is not configured in this API: refused for everyone.
    signInWithOidc: { executesFor: [], variables: async () => ({ idToken: "not.a.token" }) },
    signOut: { executesFor: BOTH, needsOwnSession: true, variables: async () => ({}) },
    submitRead: {
      executesFor: BOTH,
      variables: async (reader) => {
        const state = await readingOf(reader);
        const next = state.order.find((o) => !state.reads.some((r) => r.studyCaseId === o.studyCaseId))!;
        return {
          input: { studyId: g("ReaderStudy", w.studyId), caseCode: next.studyCase.code, phase: "UNAIDED", ...read },
        };
      },
    },
    unlinkSingleSignOn: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        id: g("User", (await member({ oidcSubject: `https://idp.example|${unique()}` })).id),
      }),
    },
    updateAnnotation: {
      executesFor: SITE_ROLES,
      variables: async (reader) => {
        const c = await freeCase();
        const annotation = await createAnnotation(db, c.images[0]!.id, w.readers[reader].userId);
        return { input: { annotationId: g("Annotation", annotation.id), note: "walk" } };
      },
    },
    updateDataset: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: { datasetId: g("Dataset", (await freeDatasetVersion()).dataset.id), name: `walk ${unique()}` },
      }),
    },
    updateFinding: {
      executesFor: SITE_ROLES,
      variables: async () => ({ input: { findingId: g("Finding", (await freeCase()).label.findingId), note: "walk" } }),
    },
    updateMyPreferences: {
      executesFor: BOTH,
      variables: async () => ({ input: { hangingProtocol: "TWO_BY_TWO" } }),
    },
    updateReaderStudy: {
      executesFor: SITE_ROLES,
      variables: async () => ({
        input: { studyId: g("ReaderStudy", (await draftStudy()).study.id), name: `walk ${unique()}` },
      }),
    },
    updateSite: {
      executesFor: SITE_ROLES,
      // The same name again: the site's canaries stay as planted.
      variables: async () => ({
        input: { siteId: site(), name: (await db.site.findUniqueOrThrow({ where: { id: w.caseSiteId } })).name },
      }),
    },
  };
}

/** A session token of the reader's own, signed in now (for plans that end their session). */
export async function ownSession(api: TestApi, userId: string): Promise<string> {
  const session = await api.db.session.create({
    data: { userId, method: "password", expiresAt: new Date(Date.now() + 3_600_000) },
  });
  return encode({ token: { sub: userId, sid: session.id }, secret: TEST_SESSION_SECRET, maxAge: 3600 });
}
