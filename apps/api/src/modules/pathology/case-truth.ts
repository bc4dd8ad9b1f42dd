import { Subtype, type ConsensusMethod, type Prisma } from "@mammo/db";

// A case's pathology truth, one rule for the case browser, datasets and reports:
// - a label is current while it is neither retracted nor replaced by a correction;
// - ADJUDICATED: the case has a current consensus decision (UNANIMOUS or ADJUDICATED); its
//   subtype is the truth;
// - otherwise LABELLED when every current label names the same subtype (that is the truth),
//   CONFLICT when current labels disagree, UNLABELLED when there is none.
// Any change to a case's labels supersedes its consensus (pathology-label.service.ts), so a
// consensus never stands on labels it did not see.
export const LABEL_STATUSES = ["UNLABELLED", "LABELLED", "CONFLICT", "ADJUDICATED"] as const;
export type LabelStatus = (typeof LABEL_STATUSES)[number];

export const CURRENT_LABEL: Prisma.PathologyLabelWhereInput = { retractedAt: null, replacedBy: { is: null } };
const HAS_CONSENSUS: Prisma.CaseWhereInput = { consensusDecisions: { some: { supersededAt: null } } };
const NO_CONSENSUS: Prisma.CaseWhereInput = { consensusDecisions: { none: { supersededAt: null } } };
const HAS_CONFLICT: Prisma.CaseWhereInput = {
  OR: Object.values(Subtype).map((s) => ({
    AND: [
      { pathologyLabels: { some: { ...CURRENT_LABEL, subtype: s } } },
      { pathologyLabels: { some: { ...CURRENT_LABEL, subtype: { not: s } } } },
    ],
  })),
};

/** Cases with the given label status (a where clause, so it composes with pagination). */
export function labelStatusWhere(status: LabelStatus): Prisma.CaseWhereInput {
  switch (status) {
    case "ADJUDICATED":
      return HAS_CONSENSUS;
    case "UNLABELLED":
      return { AND: [NO_CONSENSUS, { pathologyLabels: { none: CURRENT_LABEL } }] };
    case "CONFLICT":
      return { AND: [NO_CONSENSUS, HAS_CONFLICT] };
    case "LABELLED":
      return { AND: [NO_CONSENSUS, { pathologyLabels: { some: CURRENT_LABEL } }, { NOT: HAS_CONFLICT }] };
  }
}

/** Cases whose truth is one of `subtypes` (ADJUDICATED or LABELLED cases only). */
export function truthWhere(subtypes: readonly Subtype[]): Prisma.CaseWhereInput {
  return {
    OR: subtypes.flatMap((s): Prisma.CaseWhereInput[] => [
      { consensusDecisions: { some: { supersededAt: null, subtype: s } } },
      {
        AND: [
          NO_CONSENSUS,
          { pathologyLabels: { some: { ...CURRENT_LABEL, subtype: s } } },
          { pathologyLabels: { none: { ...CURRENT_LABEL, subtype: { not: s } } } },
        ],
      },
    ]),
  };
}

type LabelFacts = { id: string; subtype: Subtype; retractedAt: Date | null; replacesId: string | null };
export type CaseTruth = { status: LabelStatus; subtype: Subtype | null; method: ConsensusMethod | null };

/** Labels that are neither retracted nor corrected, out of all labels of one case. */
export function currentLabels<T extends LabelFacts>(labels: readonly T[]): T[] {
  const replaced = new Set(labels.map((l) => l.replacesId).filter(Boolean));
  return labels.filter((l) => !l.retractedAt && !replaced.has(l.id));
}

/** The same rule in memory, from all labels of one case and its current consensus. */
export function caseTruth(
  labels: readonly LabelFacts[],
  consensus: { subtype: Subtype; method: ConsensusMethod } | null,
): CaseTruth {
  if (consensus) return { status: "ADJUDICATED", subtype: consensus.subtype, method: consensus.method };
  const current = currentLabels(labels);
  const subtypes = new Set(current.map((l) => l.subtype));
  if (subtypes.size === 0) return { status: "UNLABELLED", subtype: null, method: null };
  if (subtypes.size > 1) return { status: "CONFLICT", subtype: null, method: null };
  return { status: "LABELLED", subtype: current[0]!.subtype, method: null };
}
