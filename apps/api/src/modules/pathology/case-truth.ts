import type { ConsensusMethod, Laterality, Prisma, Subtype, TruthStatus } from "@mammo/db";

// Truth, the way radiology keeps it: per finding (one lesion, or the statement that a breast is
// normal), per breast, and derived for the case.
// - Finding: a label is current while it is neither retracted nor replaced by a correction. A
//   current consensus decision is the truth (ADJUDICATED); otherwise LABELLED when every current
//   label names the same subtype, CONFLICT when they disagree, UNLABELLED when there is none.
//   Any change to a finding's labels supersedes its consensus (pathology-label.service.ts).
// - Breast: from its labelled findings (those on it, and a case-level finding labelled NORMAL,
//   which states both breasts normal): CONFLICT when one of them is, or when it is labelled
//   NORMAL and has a lesion; otherwise the most severe truth (malignant over BENIGN over NORMAL),
//   MIXED when two classes share the top severity; ADJUDICATED when all of them are.
// - Case: CONFLICT when a finding or a breast is; UNLABELLED without labelled findings;
//   ADJUDICATED when every labelled finding is, else LABELLED. Its subtype is the most severe
//   truth of its findings when one class is the most severe (two breasts that differ are no
//   conflict).
// The database keeps these in columns (Finding, Breast, Case: refresh_truth in the findings
// migration, run by triggers in the transaction of every change). The functions below are the
// same rule in memory: the consistency test recomputes the columns with them.

/** The statuses of a case (and of the case browser's filter). */
export const LABEL_STATUSES = ["UNLABELLED", "LABELLED", "CONFLICT", "ADJUDICATED"] as const;
export type LabelStatus = (typeof LABEL_STATUSES)[number];

export const CURRENT_LABEL: Prisma.PathologyLabelWhereInput = { retractedAt: null, replacedBy: { is: null } };

/** Cases with the given label status (a where clause on the kept column: it composes with pagination). */
export function labelStatusWhere(status: LabelStatus): Prisma.CaseWhereInput {
  return { truthStatus: status };
}

/** Cases with a finding whose truth is one of `subtypes` (NORMAL: a breast labelled normal). */
export function truthWhere(subtypes: readonly Subtype[]): Prisma.CaseWhereInput {
  return { findings: { some: { truthSubtype: { in: [...subtypes] } } } };
}

type LabelFacts = { id: string; subtype: Subtype; retractedAt: Date | null; replacesId: string | null };
export type Truth = { status: TruthStatus; subtype: Subtype | null };
export type FindingTruth = Truth & { method: ConsensusMethod | null };

/** Labels that are neither retracted nor corrected, out of all labels of one finding. */
export function currentLabels<T extends LabelFacts>(labels: readonly T[]): T[] {
  const replaced = new Set(labels.map((l) => l.replacesId).filter(Boolean));
  return labels.filter((l) => !l.retractedAt && !replaced.has(l.id));
}

/** A finding's truth from all its labels and its current consensus decision. */
export function findingTruth(
  labels: readonly LabelFacts[],
  consensus: { subtype: Subtype; method: ConsensusMethod } | null,
): FindingTruth {
  if (consensus) return { status: "ADJUDICATED", subtype: consensus.subtype, method: consensus.method };
  const subtypes = new Set(currentLabels(labels).map((l) => l.subtype));
  if (subtypes.size === 0) return { status: "UNLABELLED", subtype: null, method: null };
  if (subtypes.size > 1) return { status: "CONFLICT", subtype: null, method: null };
  return { status: "LABELLED", subtype: [...subtypes][0]!, method: null };
}

/** Malignant over benign over normal: how a breast's and a case's truth is chosen among findings. */
export const severity = (subtype: Subtype) => (subtype === "NORMAL" ? 0 : subtype === "BENIGN" ? 1 : 2);

type Labelled = Truth & { laterality: Laterality | null };

/** The findings' truths that decide a set: the top severity and whether one class holds it. */
function mostSevere(findings: readonly Truth[]) {
  const subtypes = findings.map((f) => f.subtype).filter((s): s is Subtype => s !== null);
  const top = Math.max(...subtypes.map(severity));
  const atTop = [...new Set(subtypes.filter((s) => severity(s) === top))];
  return { subtype: atTop.length === 1 ? atTop[0]! : null, isMixed: atTop.length > 1 };
}

/** One breast's truth from the truths of its case's findings. */
export function breastTruth(findings: readonly Labelled[], laterality: Laterality): Truth {
  const member = findings.filter(
    (f) =>
      f.status !== "UNLABELLED" && (f.laterality === laterality || (f.laterality === null && f.subtype === "NORMAL")),
  );
  if (member.length === 0) return { status: "UNLABELLED", subtype: null };
  const hasNormal = member.some((f) => f.subtype === "NORMAL");
  const hasLesion = member.some((f) => f.subtype !== null && f.subtype !== "NORMAL");
  if (member.some((f) => f.status === "CONFLICT") || (hasNormal && hasLesion))
    return { status: "CONFLICT", subtype: null };
  const top = mostSevere(member);
  if (top.isMixed) return { status: "MIXED", subtype: null };
  return { status: member.every((f) => f.status === "ADJUDICATED") ? "ADJUDICATED" : "LABELLED", subtype: top.subtype };
}

/** The breasts a case's findings name (both for a case-level NORMAL finding). */
export function breastsNamed(findings: readonly Labelled[]): Laterality[] {
  const sides = new Set<Laterality>();
  for (const f of findings) {
    if (f.laterality) sides.add(f.laterality);
    else if (f.subtype === "NORMAL") ["R", "L"].forEach((s) => sides.add(s as Laterality));
  }
  return (["L", "R"] as const).filter((s) => sides.has(s));
}

/** The case's truth, derived from its findings and its breasts. */
export function caseTruth(
  findings: readonly Labelled[],
  breasts: readonly Truth[],
): Truth & { status: LabelStatus; hasMalignantFinding: boolean } {
  const labelled = findings.filter((f) => f.status !== "UNLABELLED");
  const hasMalignantFinding = labelled.some((f) => f.subtype !== null && severity(f.subtype) === 2);
  if (labelled.length === 0) return { status: "UNLABELLED", subtype: null, hasMalignantFinding };
  if (labelled.some((f) => f.status === "CONFLICT") || breasts.some((b) => b.status === "CONFLICT"))
    return { status: "CONFLICT", subtype: null, hasMalignantFinding };
  const status = labelled.every((f) => f.status === "ADJUDICATED") ? "ADJUDICATED" : "LABELLED";
  return { status, subtype: mostSevere(labelled).subtype, hasMalignantFinding };
}
