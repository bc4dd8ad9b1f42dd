import { Laterality, SpecimenSource, Subtype, type Db, type Role, type Tx } from "@mammo/db";
import { z } from "zod";
import { hasRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { visibleCasesWhere } from "../cases/case.service.ts";

// Labels are never edited: a correction is a new row that `replaces` the old one, a retraction
// sets `retractedAt`; either supersedes the case's consensus (see case-truth.ts).
export const LABEL_WRITE_ROLES: Role[] = ["ANNOTATOR"];

const notInFuture = (d: Date) => d.getTime() <= Date.now() + 86_400_000;
const labelFields = {
  subtype: z.enum(Subtype),
  source: z.enum(SpecimenSource),
  specimenDate: z.date().refine(notInFuture, "cannot be in the future").optional(),
  laterality: z.enum(Laterality).optional(),
  note: z.string().trim().max(2000).optional(),
};
const addLabelInput = z.object({ caseId: z.uuid(), ...labelFields });
const correctLabelInput = z.object({
  labelId: z.uuid(),
  ...labelFields,
  reason: z.string().trim().min(1, "say why the label is corrected").max(2000),
});
const retractLabelInput = z.object({
  labelId: z.uuid(),
  reason: z.string().trim().min(1, "say why the label is retracted").max(2000),
});

type AuditContext = { requestId?: string };

/**
 * The case, if the viewer sees it and holds one of `roles` at its site, locked for the rest of
 * the transaction: label changes and consensus decisions of one case happen one at a time.
 */
export async function lockCaseForPathology(tx: Tx, viewer: Viewer, caseId: string, roles: Role[], action: string) {
  const target = await tx.case.findFirst({
    where: { AND: [{ id: caseId }, visibleCasesWhere(viewer)] },
    select: { id: true, siteId: true },
  });
  if (!target) throw notFound("case");
  if (!hasRole(viewer, target.siteId, ...roles))
    throw forbidden(`only ${roles.join(" or ").toLowerCase()}s of the case's site can ${action}`);
  await tx.$queryRaw`SELECT 1 FROM "Case" WHERE id = ${target.id}::uuid FOR UPDATE`;
  return target;
}

/** Marks the case's current consensus superseded (its labels changed under it). */
export async function supersedeConsensus(
  tx: Tx,
  viewer: Viewer,
  target: { id: string; siteId: string },
  audit: AuditContext,
) {
  const current = await tx.consensusDecision.findFirst({ where: { caseId: target.id, supersededAt: null } });
  if (!current) return;
  const superseded = await tx.consensusDecision.update({
    where: { id: current.id },
    data: { supersededAt: new Date() },
  });
  await recordAudit(tx, {
    actorId: viewer.userId,
    siteId: target.siteId,
    action: "consensusDecision.supersede",
    entityType: "ConsensusDecision",
    entityId: current.id,
    before: current,
    after: superseded,
    requestId: audit.requestId,
  });
}

/** A label of a case the viewer may change; CONFLICT when it is no longer current. */
async function currentLabelForWrite(tx: Tx, viewer: Viewer, labelId: string, action: string) {
  const label = await tx.pathologyLabel.findFirst({ where: { id: labelId, case: visibleCasesWhere(viewer) } });
  if (!label) throw notFound("pathology label");
  const target = await lockCaseForPathology(tx, viewer, label.caseId, LABEL_WRITE_ROLES, action);
  const fresh = await tx.pathologyLabel.findUniqueOrThrow({
    where: { id: labelId },
    include: { replacedBy: { select: { id: true } } },
  });
  if (fresh.retractedAt) throw new AppError("CONFLICT", "this label was retracted; only current labels can change");
  if (fresh.replacedBy)
    throw new AppError("CONFLICT", "this label was already corrected; change the correction instead");
  const { replacedBy: _replacedBy, ...row } = fresh;
  return { label: row, target };
}

/** A new pathology label for a case (cases hold several; history is never rewritten). */
export async function addPathologyLabel(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof addLabelInput>,
  audit: AuditContext = {},
) {
  const args = parseInput(addLabelInput, input);
  return db.$transaction(async (tx) => {
    const target = await lockCaseForPathology(tx, viewer, args.caseId, LABEL_WRITE_ROLES, "add pathology labels");
    const label = await tx.pathologyLabel.create({
      data: {
        caseId: target.id,
        subtype: args.subtype,
        source: args.source,
        specimenDate: args.specimenDate,
        laterality: args.laterality,
        note: args.note || null,
        authorId: viewer.userId,
      },
    });
    await supersedeConsensus(tx, viewer, target, audit);
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: target.siteId,
      action: "pathologyLabel.create",
      entityType: "PathologyLabel",
      entityId: label.id,
      after: label,
      requestId: audit.requestId,
    });
    return label;
  });
}

/** A correction: a new label that replaces a current one (the old row stays, as history). */
export async function correctPathologyLabel(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof correctLabelInput>,
  audit: AuditContext = {},
) {
  const args = parseInput(correctLabelInput, input);
  return db.$transaction(async (tx) => {
    const { label: old, target } = await currentLabelForWrite(tx, viewer, args.labelId, "correct pathology labels");
    const label = await tx.pathologyLabel.create({
      data: {
        caseId: target.id,
        subtype: args.subtype,
        source: args.source,
        specimenDate: args.specimenDate,
        laterality: args.laterality,
        note: args.note || null,
        authorId: viewer.userId,
        replacesId: old.id,
      },
    });
    await supersedeConsensus(tx, viewer, target, audit);
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: target.siteId,
      action: "pathologyLabel.correct",
      entityType: "PathologyLabel",
      entityId: label.id,
      before: old,
      after: { ...label, reason: args.reason },
      requestId: audit.requestId,
    });
    return label;
  });
}

/** Withdraws a current label (kept, with `retractedAt`; the reason is in the audit log). */
export async function retractPathologyLabel(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof retractLabelInput>,
  audit: AuditContext = {},
) {
  const args = parseInput(retractLabelInput, input);
  return db.$transaction(async (tx) => {
    const { label: old, target } = await currentLabelForWrite(tx, viewer, args.labelId, "retract pathology labels");
    const label = await tx.pathologyLabel.update({ where: { id: old.id }, data: { retractedAt: new Date() } });
    await supersedeConsensus(tx, viewer, target, audit);
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: target.siteId,
      action: "pathologyLabel.retract",
      entityType: "PathologyLabel",
      entityId: label.id,
      before: old,
      after: { ...label, reason: args.reason },
      requestId: audit.requestId,
    });
    return label;
  });
}

const withAuthor = { author: { select: { id: true, name: true } } } as const;

/** Labels of many cases, newest first (data loader); only cases the viewer may see. */
export async function loadLabelsByCaseIds(db: Db, viewer: Viewer | null, caseIds: readonly string[]) {
  if (!viewer) return caseIds.map(() => []);
  const labels = await db.pathologyLabel.findMany({
    where: { caseId: { in: [...caseIds] }, case: visibleCasesWhere(viewer) },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    include: withAuthor,
  });
  return caseIds.map((id) => labels.filter((label) => label.caseId === id));
}

/** Labels by id (node lookup); null where the viewer may not see the case. */
export async function loadVisibleLabels(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const labels = await db.pathologyLabel.findMany({
    where: { id: { in: [...ids] }, case: visibleCasesWhere(viewer) },
    include: withAuthor,
  });
  return ids.map((id) => labels.find((l) => l.id === id) ?? null);
}
