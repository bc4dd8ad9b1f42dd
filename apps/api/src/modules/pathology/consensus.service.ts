import { Subtype, type ConsensusMethod, type Db, type Role } from "@mammo/db";
import { z } from "zod";
import type { Viewer } from "../../auth/viewer.ts";
import { AppError, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { visibleCasesWhere } from "../cases/case.service.ts";
import { currentLabels } from "./case-truth.ts";
import { lockFindingForPathology } from "./finding.service.ts";
import { supersedeConsensus } from "./pathology-label.service.ts";

// Pathologists (annotators) and study coordinators of the case's site settle a finding's truth.
export const CONSENSUS_ROLES: Role[] = ["ANNOTATOR", "COORDINATOR"];

const decideInput = z.object({
  findingId: z.uuid(),
  subtype: z.enum(Subtype),
  rationale: z.string().trim().max(2000).optional(),
});

/**
 * Records a finding's consensus truth. The method follows from its current labels: UNANIMOUS
 * when they all name `subtype`, ADJUDICATED when they disagree and the decider picks one of
 * them (a rationale is then required). A subtype no current label names is refused. The
 * previous decision stays, superseded: at most one is current (a partial unique index).
 */
export async function decideConsensus(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof decideInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(decideInput, input);
  return db.$transaction(async (tx) => {
    const { finding, target } = await lockFindingForPathology(
      tx,
      viewer,
      args.findingId,
      CONSENSUS_ROLES,
      "decide a consensus",
    );
    const labels = currentLabels(await tx.pathologyLabel.findMany({ where: { findingId: finding.id } }));
    if (labels.length === 0)
      throw new AppError("CONFLICT", "the finding has no current pathology label to decide between");
    const named = new Set(labels.map((l) => l.subtype));
    if (!named.has(args.subtype)) {
      throw new AppError(
        "VALIDATION",
        `subtype: must be one of the finding's current labels (${[...named].join(", ")})`,
        {
          field: "subtype",
        },
      );
    }
    const method: ConsensusMethod = named.size === 1 ? "UNANIMOUS" : "ADJUDICATED";
    if (method === "ADJUDICATED" && !args.rationale) {
      throw new AppError("VALIDATION", "rationale: required when the labels disagree", { field: "rationale" });
    }
    const previous = await tx.consensusDecision.findFirst({ where: { findingId: finding.id, supersededAt: null } });
    await supersedeConsensus(tx, viewer, target, finding.id, audit);
    const decision = await tx.consensusDecision.create({
      data: {
        findingId: finding.id,
        subtype: args.subtype,
        method,
        rationale: args.rationale || null,
        decidedById: viewer.userId,
      },
    });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: target.siteId,
      action: "consensusDecision.create",
      entityType: "ConsensusDecision",
      entityId: decision.id,
      before: previous,
      after: decision,
      requestId: audit.requestId,
    });
    return decision;
  });
}

const withDecider = { decidedBy: { select: { id: true, name: true } } } as const;

/** Every consensus decision of many findings, newest first (data loader); visible cases only. */
export async function loadConsensusByFindingIds(db: Db, viewer: Viewer | null, findingIds: readonly string[]) {
  if (!viewer) return findingIds.map(() => []);
  const decisions = await db.consensusDecision.findMany({
    where: { findingId: { in: [...findingIds] }, finding: { case: visibleCasesWhere(viewer) } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    include: withDecider,
  });
  return findingIds.map((id) => decisions.filter((d) => d.findingId === id));
}

/** Consensus decisions by id (node lookup); null where the viewer may not see the case. */
export async function loadVisibleDecisions(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const decisions = await db.consensusDecision.findMany({
    where: { id: { in: [...ids] }, finding: { case: visibleCasesWhere(viewer) } },
    include: withDecider,
  });
  return ids.map((id) => decisions.find((d) => d.id === id) ?? null);
}

export type PathologyEventKind =
  "LABEL_ADDED" | "LABEL_CORRECTED" | "LABEL_RETRACTED" | "CONSENSUS_DECIDED" | "CONSENSUS_SUPERSEDED";
export type PathologyEvent = {
  kind: PathologyEventKind;
  at: Date;
  findingId: string;
  actor: { id: string; name: string } | null;
  labelId: string | null;
  decisionId: string | null;
  subtype: Subtype;
  detail: string | null;
};

/**
 * The case's pathology history, oldest first: every label added, corrected and retracted and
 * every consensus decided and superseded, in any of its findings, with who did it (from the rows
 * and the audit log).
 */
export async function getPathologyHistory(db: Db, viewer: Viewer, caseId: string): Promise<PathologyEvent[]> {
  const id = parseInput(z.uuid(), caseId);
  const target = await db.case.findFirst({ where: { AND: [{ id }, visibleCasesWhere(viewer)] }, select: { id: true } });
  if (!target) throw notFound("case");
  const [labels, decisions] = await Promise.all([
    db.pathologyLabel.findMany({
      where: { finding: { caseId: id } },
      include: { author: { select: { id: true, name: true } } },
    }),
    db.consensusDecision.findMany({ where: { finding: { caseId: id } }, include: withDecider }),
  ]);
  const laterEvents = await db.auditEvent.findMany({
    where: {
      OR: [
        { entityType: "PathologyLabel", action: "pathologyLabel.retract", entityId: { in: labels.map((l) => l.id) } },
        {
          entityType: "ConsensusDecision",
          action: "consensusDecision.supersede",
          entityId: { in: decisions.map((d) => d.id) },
        },
      ],
    },
  });
  const actorIds = [...new Set(laterEvents.map((e) => e.actorId).filter((a): a is string => a !== null))];
  const actors = await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } });
  const auditOf = (entityId: string) => laterEvents.find((e) => e.entityId === entityId);
  const actorOf = (entityId: string) => actors.find((a) => a.id === auditOf(entityId)?.actorId) ?? null;
  const reasonOf = (entityId: string) => (auditOf(entityId)?.after as { reason?: string } | null)?.reason ?? null;

  const events: PathologyEvent[] = [];
  for (const l of labels) {
    events.push({
      kind: l.replacesId ? "LABEL_CORRECTED" : "LABEL_ADDED",
      at: l.createdAt,
      findingId: l.findingId,
      actor: l.author,
      labelId: l.id,
      decisionId: null,
      subtype: l.subtype,
      detail: l.note,
    });
    if (l.retractedAt)
      events.push({
        kind: "LABEL_RETRACTED",
        at: l.retractedAt,
        findingId: l.findingId,
        actor: actorOf(l.id),
        labelId: l.id,
        decisionId: null,
        subtype: l.subtype,
        detail: reasonOf(l.id),
      });
  }
  for (const d of decisions) {
    events.push({
      kind: "CONSENSUS_DECIDED",
      at: d.createdAt,
      findingId: d.findingId,
      actor: d.decidedBy,
      labelId: null,
      decisionId: d.id,
      subtype: d.subtype,
      detail: d.rationale,
    });
    if (d.supersededAt)
      events.push({
        kind: "CONSENSUS_SUPERSEDED",
        at: d.supersededAt,
        findingId: d.findingId,
        actor: actorOf(d.id),
        labelId: null,
        decisionId: d.id,
        subtype: d.subtype,
        detail: null,
      });
  }
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}
