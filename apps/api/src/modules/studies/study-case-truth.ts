import type { Subtype, Tx } from "@mammo/db";
import { AppError } from "../../errors/app-error.ts";
import { caseTruth } from "../pathology/case-truth.ts";

const SUBTYPE_NAME: Record<Subtype, string> = {
  TUBULE_FORMING: "tubule forming",
  SOLID: "solid",
  SCIRRHOUS: "scirrhous",
  OTHER_INVASIVE: "other invasive",
  BENIGN: "benign",
  NORMAL: "normal",
};

/**
 * Refuses to open a study with a case that could not be scored: one whose pathology truth is not
 * among the study's answers (Normal in a three-subtype study), or that has no truth (no label, or
 * labels in conflict). The report would only leave them out after every reader had read them.
 */
export async function assertCasesScorable(tx: Tx, studyId: string, answers: readonly Subtype[]): Promise<void> {
  if (answers.length === 0) return;
  const studyCases = await tx.studyCase.findMany({
    where: { studyId },
    orderBy: { code: "asc" },
    select: {
      code: true,
      case: {
        select: {
          accessionKey: true,
          pathologyLabels: { select: { id: true, subtype: true, retractedAt: true, replacesId: true } },
          consensusDecisions: { where: { supersededAt: null }, select: { subtype: true, method: true } },
        },
      },
    },
  });
  const problems = studyCases.flatMap(({ code, case: c }) => {
    const truth = caseTruth(c.pathologyLabels, c.consensusDecisions[0] ?? null);
    const name = `${c.accessionKey} (${code})`;
    if (!truth.subtype)
      return [
        `${name}: ${truth.status === "CONFLICT" ? "its pathology labels disagree" : "it has no pathology truth"}`,
      ];
    if (!answers.includes(truth.subtype))
      return [`${name}: its truth ${SUBTYPE_NAME[truth.subtype]} is not among the study's answers`];
    return [];
  });
  if (problems.length > 0)
    throw new AppError(
      "CONFLICT",
      `${problems.length} case${problems.length === 1 ? "" : "s"} cannot be scored in this study (${problems.join("; ")}): remove ${problems.length === 1 ? "it" : "them"} or change the answers`,
      { field: "cases" },
    );
}
