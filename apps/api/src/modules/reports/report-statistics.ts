import type { ArmKind, Subtype } from "@mammo/db";
import { studyStatistics, StudyStatsError, type StudyStatistics } from "@mammo/study-stats";
import type { ReportCase, ReportRead } from "./study-report-data.ts";

/** The arm names the statistics and the exports use for the two reading phases. */
export const MODALITY: Record<ArmKind, string> = { UNAIDED: "unaided", AIDED: "aided" };
export const MODALITIES = [MODALITY.UNAIDED, MODALITY.AIDED];

const pick = (probabilities: Record<string, number>, classes: readonly string[]) =>
  Object.fromEntries(classes.map((k) => [k, probabilities[k]!]));

/**
 * Every studyStatistics figure of the included cases and their reads, with `aiOf` as the AI: the
 * study's own model in its report, a later model version in the "model versions on this study"
 * table (the same reads and cases, the same seed).
 */
export function statisticsWithAi(
  study: { seed: number },
  classes: readonly Subtype[],
  included: readonly ReportCase[],
  reads: readonly ReportRead[],
  aiOf: (c: ReportCase) => ReportCase["ai"],
): { statistics: StudyStatistics | null; notes: string[] } {
  const notes: string[] = [];
  if (included.length === 0)
    return { statistics: null, notes: ["no case has a pathology truth among the study's answers: nothing to score"] };
  const aiUsable = (c: ReportCase) => aiOf(c) !== null && classes.includes(aiOf(c)!.answer);
  const aiHasAllClasses = included.every(
    (c) => !aiOf(c) || classes.every((k) => aiOf(c)!.probabilities[k] !== undefined),
  );
  if (included.some((c) => aiOf(c) && !classes.includes(aiOf(c)!.answer)))
    notes.push("AI: some answers are classes the study does not offer; those cases have no AI answer");
  try {
    const statistics = studyStatistics({
      classes,
      cases: included.map((c) => ({
        caseId: c.code,
        truth: c.truth!,
        site: c.siteCode,
        ...(aiUsable(c)
          ? {
              ai: {
                answer: aiOf(c)!.answer,
                ...(aiHasAllClasses ? { probabilities: pick(aiOf(c)!.probabilities, classes) } : {}),
              },
            }
          : {}),
      })),
      reads: reads.map((r) => ({
        caseId: r.code,
        readerId: r.readerLabel,
        modality: MODALITY[r.phase],
        answer: r.answer,
        ...(r.confidence === null ? {} : { confidence: r.confidence }),
      })),
      modalities: MODALITIES,
      seed: study.seed,
    });
    return { statistics, notes: [...notes, ...statistics.notes] };
  } catch (error) {
    if (!(error instanceof StudyStatsError)) throw error;
    return { statistics: null, notes: [...notes, `statistics: ${error.message}`] };
  }
}
