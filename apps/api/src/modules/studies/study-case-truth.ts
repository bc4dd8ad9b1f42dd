import type { Subtype, Tx } from "@mammo/db";
import { AppError } from "../../errors/app-error.ts";
import { loadUnitFacts } from "./study-units.ts";

const SUBTYPE_NAME: Record<Subtype, string> = {
  TUBULE_FORMING: "tubule forming",
  SOLID: "solid",
  SCIRRHOUS: "scirrhous",
  OTHER_INVASIVE: "other invasive",
  BENIGN: "benign",
  NORMAL: "normal",
};

/**
 * Refuses to open a study with a unit (finding, breast or case) that could not be scored: one whose
 * pathology truth is not among the study's answers (Normal in a three-subtype study), or that has
 * no truth (no label, or labels in conflict). The report would only leave them out after every
 * reader had read them.
 */
export async function assertCasesScorable(tx: Tx, studyId: string, answers: readonly Subtype[]): Promise<void> {
  if (answers.length === 0) return;
  const [units, studyCases] = await Promise.all([
    loadUnitFacts(tx, studyId),
    tx.studyCase.findMany({
      where: { studyId },
      select: { id: true, code: true, case: { select: { accessionKey: true } } },
    }),
  ]);
  const caseOf = new Map(studyCases.map((sc) => [sc.id, sc]));
  const problems = units
    .map((unit) => ({ unit, sc: caseOf.get(unit.studyCaseId)! }))
    .sort((a, b) => a.sc.code.localeCompare(b.sc.code))
    .flatMap(({ unit, sc }) => {
      const { truth } = unit;
      const name = `${sc.case.accessionKey} (${sc.code})`;
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
