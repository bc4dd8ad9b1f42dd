import { Laterality, SpecimenSource, Subtype, type Db, type PathologyLabel, type Role, type Tx } from "@mammo/db";
import { z } from "zod";
import type { Viewer } from "../../auth/viewer.ts";
import { AppError, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { visibleCasesWhere } from "../cases/case.service.ts";
import { currentLabels } from "./case-truth.ts";
import {
  createFindingIn,
  lockCaseForPathology,
  lockFindingForPathology,
  type AuditContext,
  type PathologyTarget,
} from "./finding.service.ts";

// Labels belong to findings and are never edited: a correction is a new row that `replaces` the
// old one, a retraction sets `retractedAt`; either supersedes the finding's consensus. The
// database updates the finding's, breast's and case's truth in the same transaction (triggers).
export const LABEL_WRITE_ROLES: Role[] = ["ANNOTATOR"];

const notInFuture = (d: Date) => d.getTime() <= Date.now() + 86_400_000;
const labelFields = {
  subtype: z.enum(Subtype),
  source: z.enum(SpecimenSource),
  specimenDate: z.date().refine(notInFuture, "cannot be in the future").optional(),
  note: z.string().trim().max(2000).optional(),
};
// A label joins a finding, or starts a new finding on one breast of a case.
const addLabelInput = z
  .object({
    findingId: z.uuid().optional(),
    caseId: z.uuid().optional(),
    laterality: z.enum(Laterality).optional(),
    ...labelFields,
  })
  .refine((a) => (a.findingId === undefined) !== (a.caseId === undefined), {
    message: "give either findingId or caseId (with laterality, for a new finding)",
    path: ["findingId"],
  })
  .refine((a) => a.caseId === undefined || a.laterality !== undefined, {
    message: "a new finding needs the breast (R or L)",
    path: ["laterality"],
  })
  .refine((a) => a.findingId === undefined || a.laterality === undefined, {
    message: "the finding's breast is changed with updateFinding",
    path: ["laterality"],
  });
const correctLabelInput = z.object({
  labelId: z.uuid(),
  ...labelFields,
  reason: z.string().trim().min(1, "say why the label is corrected").max(2000),
});
const retractLabelInput = z.object({
  labelId: z.uuid(),
  reason: z.string().trim().min(1, "say why the label is retracted").max(2000),
});

type LabelArgs = { subtype: Subtype; source: SpecimenSource; specimenDate?: Date; note?: string };
const labelRow = (args: LabelArgs, findingId: string, authorId: string) => ({
  findingId,
  subtype: args.subtype,
  source: args.source,
  specimenDate: args.specimenDate,
  note: args.note || null,
  authorId,
});

/** Marks the finding's current consensus superseded (its labels changed under it). */
export async function supersedeConsensus(
  tx: Tx,
  viewer: Viewer,
  target: PathologyTarget,
  findingId: string,
  audit: AuditContext,
) {
  const current = await tx.consensusDecision.findFirst({ where: { findingId, supersededAt: null } });
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

/** The rest of every label change: the finding's consensus superseded, the change audited. */
async function afterLabelChange(
  tx: Tx,
  viewer: Viewer,
  target: PathologyTarget,
  change: { action: string; label: PathologyLabel; before?: PathologyLabel; reason?: string },
  audit: AuditContext,
) {
  await supersedeConsensus(tx, viewer, target, change.label.findingId, audit);
  await recordAudit(tx, {
    actorId: viewer.userId,
    siteId: target.siteId,
    action: change.action,
    entityType: "PathologyLabel",
    entityId: change.label.id,
    before: change.before,
    after: change.reason ? { ...change.label, reason: change.reason } : change.label,
    requestId: audit.requestId,
  });
  return change.label;
}

/** A label of a case the viewer may change; CONFLICT when it is no longer current. */
async function currentLabelForWrite(tx: Tx, viewer: Viewer, labelId: string, action: string) {
  const label = await tx.pathologyLabel.findFirst({
    where: { id: labelId, finding: { case: visibleCasesWhere(viewer) } },
  });
  if (!label) throw notFound("pathology label");
  const { target } = await lockFindingForPathology(tx, viewer, label.findingId, LABEL_WRITE_ROLES, action);
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

/** A new pathology label of a finding (findings hold several; history is never rewritten). */
export async function addPathologyLabel(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof addLabelInput>,
  audit: AuditContext = {},
) {
  const args = parseInput(addLabelInput, input);
  const action = "add pathology labels";
  return db.$transaction(async (tx) => {
    const { findingId, target } = args.findingId
      ? await lockFindingForPathology(tx, viewer, args.findingId, LABEL_WRITE_ROLES, action).then((f) => ({
          findingId: f.finding.id,
          target: f.target,
        }))
      : await lockCaseForPathology(tx, viewer, args.caseId!, LABEL_WRITE_ROLES, action).then(async (target) => ({
          findingId: (await createFindingIn(tx, viewer, target, { laterality: args.laterality! }, audit)).id,
          target,
        }));
    const label = await tx.pathologyLabel.create({ data: labelRow(args, findingId, viewer.userId) });
    return afterLabelChange(tx, viewer, target, { action: "pathologyLabel.create", label }, audit);
  });
}

/** A correction: a new label of the same finding that replaces a current one (the old row stays). */
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
      data: { ...labelRow(args, old.findingId, viewer.userId), replacesId: old.id },
    });
    const change = { action: "pathologyLabel.correct", label, before: old, reason: args.reason };
    return afterLabelChange(tx, viewer, target, change, audit);
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
    const change = { action: "pathologyLabel.retract", label, before: old, reason: args.reason };
    return afterLabelChange(tx, viewer, target, change, audit);
  });
}

const withAuthor = { author: { select: { id: true, name: true } } } as const;
const byNewest = [{ createdAt: "desc" as const }, { id: "asc" as const }];

/** Marks which labels are current, given every label of their findings (so no further query is needed). */
function withCurrency<T extends PathologyLabel>(labels: T[]): (T & { isCurrent: boolean })[] {
  const current = new Set(currentLabels(labels).map((l) => l.id));
  return labels.map((l) => ({ ...l, isCurrent: current.has(l.id) }));
}

/** Labels of many findings, newest first (data loader); only cases the viewer may see. */
export async function loadLabelsByFindingIds(db: Db, viewer: Viewer | null, findingIds: readonly string[]) {
  if (!viewer) return findingIds.map(() => []);
  const labels = await db.pathologyLabel.findMany({
    where: { findingId: { in: [...findingIds] }, finding: { case: visibleCasesWhere(viewer) } },
    orderBy: byNewest,
    include: withAuthor,
  });
  return findingIds.map((id) => withCurrency(labels.filter((label) => label.findingId === id)));
}

/** Every label of many cases' findings, newest first (data loader); only cases the viewer may see. */
export async function loadLabelsByCaseIds(db: Db, viewer: Viewer | null, caseIds: readonly string[]) {
  if (!viewer) return caseIds.map(() => []);
  const labels = await db.pathologyLabel.findMany({
    where: { finding: { caseId: { in: [...caseIds] }, case: visibleCasesWhere(viewer) } },
    orderBy: byNewest,
    include: { ...withAuthor, finding: { select: { caseId: true } } },
  });
  return caseIds.map((id) => withCurrency(labels.filter((label) => label.finding.caseId === id)));
}

/** Labels by id (node lookup); null where the viewer may not see the case. */
export async function loadVisibleLabels(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const labels = await db.pathologyLabel.findMany({
    where: { id: { in: [...ids] }, finding: { case: visibleCasesWhere(viewer) } },
    include: withAuthor,
  });
  return ids.map((id) => labels.find((l) => l.id === id) ?? null);
}
