import type { Prisma, Tx } from "@mammo/db";
import { shiftDate } from "../deid/pseudonyms.ts";
import { ImagingError } from "../errors.ts";
import type { ManifestRow, RowError } from "./manifest.ts";

// The findings of an imported case: each row's label and region belong to the finding its
// `finding` column names (default: one finding per breast, keyed by the breast), on the breast
// of the row's image. Labels and regions already there are not added twice, so importing a
// manifest again applies exactly what is new in each row (issue 13, import defect 2).

type Laterality = "R" | "L";
export type PlacedRow = ManifestRow & { laterality: Laterality };

const keyOf = (r: PlacedRow) => r.finding ?? r.laterality;
const hasFinding = (r: ManifestRow) => r.label !== undefined || r.roi !== undefined;

/**
 * The rows of a case that name findings, by finding key; a key named on both breasts is refused
 * (a finding is on one breast: one file twice with conflicting placement, or a typo).
 */
export function planFindings(rows: readonly PlacedRow[]): { plan: Map<string, PlacedRow[]>; errors: RowError[] } {
  const plan = new Map<string, PlacedRow[]>();
  for (const r of rows.filter(hasFinding)) plan.set(keyOf(r), [...(plan.get(keyOf(r)) ?? []), r]);
  const errors: RowError[] = [];
  for (const [key, named] of plan) {
    const sides = [...new Set(named.map((r) => r.laterality))];
    if (sides.length > 1)
      errors.push(
        ...named.map((r) => ({
          row: r.row,
          file: r.file,
          code: "INVALID_MANIFEST",
          message: `finding ${key} is placed on both breasts (rows ${named.map((n) => n.row).join(", ")}); a finding is one breast's`,
        })),
      );
  }
  return { plan, errors };
}

/** The case's findings named by the rows, created where new; an existing one on the other breast is refused. */
export async function upsertFindings(
  tx: Tx,
  actorUserId: string,
  caseId: string,
  caseKey: string,
  plan: Map<string, PlacedRow[]>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [key, named] of plan) {
    const laterality = named[0]!.laterality;
    const existing = await tx.finding.findUnique({ where: { caseId_key: { caseId, key } } });
    if (existing && existing.laterality !== laterality)
      throw new ImagingError(
        "CONFLICT",
        `finding ${key} of case ${caseKey} is already recorded on ${existing.laterality ? `the ${existing.laterality} breast` : "no breast"}; this row puts it on the ${laterality}`,
      );
    const finding =
      existing ?? (await tx.finding.create({ data: { caseId, laterality, key, createdById: actorUserId } }));
    ids.set(key, finding.id);
  }
  return ids;
}

/** The rows' labels not yet current on their finding; returns how many were added. */
export async function addLabels(
  tx: Tx,
  actorUserId: string,
  findingIds: Map<string, string>,
  dateShiftDays: number,
  rows: readonly PlacedRow[],
): Promise<number> {
  let added = 0;
  for (const r of rows) {
    if (!r.label) continue;
    const shifted = r.label.specimenDate ? shiftDate(r.label.specimenDate.replace(/-/g, ""), dateShiftDays) : undefined;
    const specimenDate = shifted
      ? new Date(`${shifted.slice(0, 4)}-${shifted.slice(4, 6)}-${shifted.slice(6)}T00:00:00Z`)
      : null;
    const findingId = findingIds.get(keyOf(r))!;
    const label = { findingId, subtype: r.label.subtype, source: r.label.source, specimenDate };
    if (await tx.pathologyLabel.findFirst({ where: { ...label, retractedAt: null, replacedBy: null } })) continue;
    await tx.pathologyLabel.create({ data: { ...label, authorId: actorUserId, note: r.note } });
    added++;
  }
  return added;
}

/** The row's region on `imageId`, unless the same region of the same finding is there already. */
export async function addRegion(
  tx: Tx,
  actorUserId: string,
  imageId: string,
  findingIds: Map<string, string>,
  r: PlacedRow,
): Promise<number> {
  if (!r.roi) return 0;
  const findingId = findingIds.get(keyOf(r))!;
  const geometry = r.roi.geometry as unknown as Prisma.InputJsonValue;
  const same = await tx.annotation.findFirst({
    where: { imageId, findingId, shape: r.roi.shape, deletedAt: null, geometry: { equals: geometry } },
    select: { id: true },
  });
  if (same) return 0;
  await tx.annotation.create({
    data: {
      imageId,
      authorId: actorUserId,
      purpose: r.roi.purpose,
      shape: r.roi.shape,
      geometry,
      findingId,
      note: r.note,
    },
  });
  return 1;
}
