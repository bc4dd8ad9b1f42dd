import { READABLE_IMAGE, type Laterality, type StudyUnit, type Subtype, type TruthStatus, type Tx } from "@mammo/db";
import { AppError } from "../../errors/app-error.ts";

// A study reads units: FINDING (one finding: the reader is shown which lesion is meant), BREAST
// (one breast) or CASE (the whole exam). A StudyCase row is one unit: its case, plus the breast
// (BREAST) or the finding (FINDING). The unit decides which images the AI's answer is computed
// over and which truth a read is scored against.

export type UnitRow = { caseId: string; laterality: Laterality | null; findingId: string | null };

/** The key of a unit within a study (each unit once per study). */
export const unitKey = (u: UnitRow) => u.findingId ?? `${u.caseId}:${u.laterality ?? ""}`;

/**
 * The units of these cases that a study of `unit` reads: the case itself (CASE), each imaged
 * breast (BREAST), or each finding placed on a breast that is not a statement of a normal
 * breast (FINDING: a lesion to mark). A case that has none is refused, by name of its key.
 */
export async function unitsOfCases(tx: Tx, unit: StudyUnit, caseIds: readonly string[]): Promise<UnitRow[]> {
  let units: UnitRow[];
  if (unit === "CASE") units = caseIds.map((caseId) => ({ caseId, laterality: null, findingId: null }));
  else if (unit === "BREAST") {
    const breasts = await tx.image.findMany({
      where: {
        caseId: { in: [...caseIds] },
        ...READABLE_IMAGE,
      },
      select: { caseId: true, laterality: true },
      distinct: ["caseId", "laterality"],
      orderBy: [{ caseId: "asc" }, { laterality: "asc" }],
    });
    units = breasts.map((b) => ({ ...b, findingId: null }));
  } else {
    const findings = await tx.finding.findMany({
      where: {
        caseId: { in: [...caseIds] },
        laterality: { not: null },
        OR: [{ truthSubtype: null }, { truthSubtype: { not: "NORMAL" } }],
      },
      select: { id: true, caseId: true },
      orderBy: [{ caseId: "asc" }, { key: "asc" }],
    });
    units = findings.map((f) => ({ caseId: f.caseId, laterality: null, findingId: f.id }));
  }
  const without = caseIds.filter((id) => !units.some((u) => u.caseId === id));
  if (without.length > 0) {
    const keys = await tx.case.findMany({ where: { id: { in: without } }, select: { accessionKey: true } });
    const what = unit === "BREAST" ? "no image to read" : "no finding placed on a breast (normal breasts excepted)";
    throw new AppError("VALIDATION", `caseIds: ${keys.map((k) => k.accessionKey).join(", ")} has ${what}`, {
      field: "caseIds",
    });
  }
  return units;
}

/** A unit as the report and the reading step need it: its breast, and for findings the finding's key. */
export type UnitFacts = {
  studyCaseId: string;
  caseId: string;
  laterality: Laterality | null;
  finding: { id: string; key: string } | null;
  truth: { status: TruthStatus; subtype: Subtype | null };
};

/**
 * Each study case's unit with its kept truth: the finding's (FINDING), the breast's (BREAST) or
 * the case's (CASE). One statement for the whole study.
 */
export async function loadUnitFacts(tx: Pick<Tx, "$queryRaw">, studyId: string): Promise<UnitFacts[]> {
  const rows = await tx.$queryRaw<
    {
      studyCaseId: string;
      caseId: string;
      laterality: Laterality | null;
      findingId: string | null;
      findingKey: string | null;
      status: TruthStatus;
      subtype: Subtype | null;
    }[]
  >`
    SELECT sc.id AS "studyCaseId", sc."caseId", coalesce(sc.laterality, f.laterality) AS laterality,
      f.id AS "findingId", f.key AS "findingKey",
      coalesce(f."truthStatus", CASE WHEN sc.laterality IS NOT NULL THEN coalesce(b."truthStatus", 'UNLABELLED') ELSE c."truthStatus" END) AS status,
      CASE WHEN f.id IS NOT NULL THEN f."truthSubtype" WHEN sc.laterality IS NOT NULL THEN b."truthSubtype" ELSE c."truthSubtype" END AS subtype
    FROM "StudyCase" sc
    JOIN "Case" c ON c.id = sc."caseId"
    LEFT JOIN "Finding" f ON f.id = sc."findingId"
    LEFT JOIN "Breast" b ON b."caseId" = sc."caseId" AND b.laterality = sc.laterality
    WHERE sc."studyId" = ${studyId}::uuid`;
  return rows.map((r) => ({
    studyCaseId: r.studyCaseId,
    caseId: r.caseId,
    laterality: r.laterality,
    finding: r.findingId ? { id: r.findingId, key: r.findingKey! } : null,
    truth: { status: r.status, subtype: r.subtype },
  }));
}
