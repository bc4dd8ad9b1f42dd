// Objects of the reader-study and ML modules for the authorisation matrix (test/authz): every
// module of that area calls ensureStudyWorld in its setup; the first call builds, per site, a
// model version with predictions and heatmaps of the site's case, an inference run, a training
// run, an evaluation, an alias, an OPEN study read (AIDED arm) by the site's READER, and a CLOSED
// study with reads.
import { randomBytes } from "node:crypto";
import type { ArmKind, StudyStatus } from "@mammo/db";
import type { AuthzWorld, SiteFixture } from "./authz/authz.ts";
import { createCasePredictions, createModelVersion, createRead, createStudy } from "./study-factories.ts";

const built = new WeakSet<AuthzWorld>();

export async function ensureStudyWorld(world: AuthzWorld): Promise<void> {
  if (built.has(world)) return;
  built.add(world);
  const { db, blobs } = world.api;
  for (const site of [world.own, world.other]) {
    const caseId = site.ids.caseId!;
    const model = await createModelVersion(db, {
      siteId: site.siteId,
      createdById: site.users.ML_ENGINEER,
      datasetVersionId: site.ids.datasetVersionId,
    });
    const inferenceRun = await db.inferenceRun.create({
      data: {
        siteId: site.siteId,
        modelVersionId: model.id,
        target: "IMAGES",
        imageIds: [site.ids.imageId!],
        status: "SUCCEEDED",
        requestedById: site.users.ML_ENGINEER,
      },
    });
    await createCasePredictions(db, blobs, {
      modelVersionId: model.id,
      caseId,
      probabilities: [0.2, 0.3, 0.5],
      inferenceRunId: inferenceRun.id,
    });
    const trainingRun = await db.trainingRun.create({
      data: {
        siteId: site.siteId,
        datasetVersionId: site.ids.datasetVersionId!,
        preset: "quick",
        params: {},
        seed: 1,
        requestedById: site.users.ML_ENGINEER,
      },
    });
    const evaluation = await db.evaluation.create({
      data: {
        modelVersionId: model.id,
        datasetVersionId: site.ids.datasetVersionId!,
        split: "TEST",
        requestedById: site.users.ML_ENGINEER,
      },
    });
    await db.modelAlias.create({
      data: {
        siteId: site.siteId,
        modelName: model.name,
        alias: "production",
        modelVersionId: model.id,
        updatedById: site.users.ML_ENGINEER,
      },
    });
    const open = await createStudy(db, {
      siteId: site.siteId,
      createdById: site.users.COORDINATOR,
      caseIds: [caseId],
      readers: [{ userId: site.users.READER, arm: "AIDED" }],
      modelVersionId: model.id,
    });
    const read = await createRead(db, {
      studyReaderId: open.readers[0]!.id,
      studyCaseId: open.studyCases[0]!.id,
      answer: "SOLID",
    });
    const closed = await createStudy(db, {
      siteId: site.siteId,
      createdById: site.users.COORDINATOR,
      caseIds: [caseId],
      readers: [{ userId: site.users.READER, arm: "UNAIDED" }],
      modelVersionId: model.id,
      status: "CLOSED",
    });
    await createRead(db, {
      studyReaderId: closed.readers[0]!.id,
      studyCaseId: closed.studyCases[0]!.id,
      answer: "SCIRRHOUS",
      confidence: 80,
    });
    Object.assign(site.ids, {
      modelVersionId: model.id,
      modelName: model.name,
      inferenceRunId: inferenceRun.id,
      trainingRunId: trainingRun.id,
      evaluationId: evaluation.id,
      openStudyId: open.study.id,
      openReadId: read.id,
      closedStudyId: closed.study.id,
    });
  }
}

/** A fresh study of the site for one matrix run (mutations act on their own object). */
export async function freshStudy(
  world: AuthzWorld,
  site: SiteFixture,
  options: { status?: StudyStatus; arm?: ArmKind; withReader?: boolean; unit?: "CASE" | "FINDING" } = {},
) {
  return createStudy(world.api.db, {
    siteId: site.siteId,
    createdById: site.users.COORDINATOR,
    caseIds: [site.ids.caseId!],
    findingIds: options.unit === "FINDING" ? [site.ids.findingId!] : undefined,
    readers: options.withReader === false ? [] : [{ userId: site.users.READER, arm: options.arm ?? "UNAIDED" }],
    status: options.status ?? "DRAFT",
    modelVersionId: site.ids.modelVersionId,
  });
}

export const uniqueName = (prefix: string) => `${prefix} ${randomBytes(4).toString("hex")}`;
