import { SpecimenSource, Subtype, Laterality, type Db } from "@mammo/db";
import { z } from "zod";
import { hasRole, type Viewer } from "../../auth/viewer.ts";
import { forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { visibleCasesWhere } from "../cases/case.service.ts";

const addLabelInput = z.object({
  caseId: z.uuid(),
  subtype: z.enum(Subtype),
  source: z.enum(SpecimenSource),
  specimenDate: z.date().max(new Date(Date.now() + 86_400_000), "cannot be in the future").optional(),
  laterality: z.enum(Laterality).optional(),
  note: z.string().trim().max(2000).optional(),
});

/** A new pathology label for a case (cases hold several; history is never rewritten). */
export async function addPathologyLabel(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof addLabelInput>,
  requestId?: string,
) {
  const args = parseInput(addLabelInput, input);
  const target = await db.case.findFirst({ where: { AND: [{ id: args.caseId }, visibleCasesWhere(viewer)] } });
  if (!target) throw notFound("case");
  if (!hasRole(viewer, target.siteId, "ANNOTATOR")) throw forbidden("only annotators of the case's site can add pathology labels");
  return db.$transaction(async (tx) => {
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
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: target.siteId,
      action: "pathologyLabel.create",
      entityType: "PathologyLabel",
      entityId: label.id,
      after: label,
      requestId,
    });
    return label;
  });
}

/** Labels of many cases, newest first (data loader). Caller has authorised the cases. */
export async function loadLabelsByCaseIds(db: Db, caseIds: readonly string[]) {
  const labels = await db.pathologyLabel.findMany({
    where: { caseId: { in: [...caseIds] } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    include: { author: { select: { id: true, name: true } } },
  });
  return caseIds.map((id) => labels.filter((label) => label.caseId === id));
}
