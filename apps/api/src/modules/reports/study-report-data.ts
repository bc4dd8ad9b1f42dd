import type { ArmKind, Db, Laterality, RoiShape, StudyUnit, Subtype } from "@mammo/db";
import { loadUnitAiAnswers, type CaseAiAnswer } from "../inference/case-ai-answer.ts";
import { loadUnitFacts } from "../studies/study-units.ts";

/*
 * Gathers what a closed study's report is computed from: the classes asked, the readers (by a
 * label, "R01"...), each study case (a unit: finding, breast or case) with its pathology truth and
 * the AI's answer over the unit's images, and each reader's latest read per unit and phase. The
 * statistics themselves come from @mammo/study-stats.
 */

export type ReportReader = {
  label: string;
  studyReaderId: string;
  userId: string;
  name: string;
  email: string;
  arm: ArmKind;
};

export type ReportCase = {
  studyCaseId: string;
  caseId: string;
  code: string;
  siteCode: string;
  /** The unit's breast (BREAST, FINDING units) and finding (FINDING units). */
  laterality: Laterality | null;
  findingKey: string | null;
  /** The unit's pathology truth (the finding's, the breast's or the case's); null when unlabelled or in conflict. */
  truth: Subtype | null;
  truthStatus: string;
  ai: { answer: Subtype; probabilities: Record<string, number> } | null;
  /** The AI's heatmap per image (for the case's answer), for the report's per-case explorer. */
  heatmaps: CaseAiAnswer["heatmaps"];
};

export type ReportRead = {
  readerLabel: string;
  code: string;
  phase: ArmKind;
  answer: Subtype;
  confidence: number | null;
  version: number;
  timeSpentMs: number;
  /** The reader's ROI mark, if any (image pixel coordinates). */
  roi: { imageId: string; shape: RoiShape; geometry: unknown } | null;
};

export type StudyReportData = {
  unit: StudyUnit;
  classes: Subtype[];
  readers: ReportReader[];
  cases: ReportCase[];
  /** The latest version of each reader's read of each case in each phase. */
  reads: ReportRead[];
};

export async function loadStudyReportData(
  db: Db,
  study: { id: string; unit: StudyUnit; modelVersionId: string | null },
): Promise<StudyReportData> {
  const [questions, readers, studyCases, units, reads] = await Promise.all([
    db.studyQuestion.findMany({ where: { studyId: study.id, kind: "SUBTYPE" } }),
    db.studyReader.findMany({
      where: { studyId: study.id },
      include: { arm: true, user: { select: { name: true, email: true } } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    db.studyCase.findMany({
      where: { studyId: study.id },
      include: { case: { select: { site: { select: { code: true } } } } },
      orderBy: { code: "asc" },
    }),
    loadUnitFacts(db, study.id),
    db.read.findMany({ where: { studyCase: { studyId: study.id } }, orderBy: [{ version: "asc" }] }),
  ]);
  const classes = questions[0]?.options ?? [];
  const labelOf = new Map(readers.map((r, index) => [r.id, `R${String(index + 1).padStart(2, "0")}`]));
  const codeOf = new Map(studyCases.map((sc) => [sc.id, sc.code]));
  const unitOf = new Map(units.map((u) => [u.studyCaseId, u]));
  const aiAnswers = study.modelVersionId
    ? await loadUnitAiAnswers(
        db,
        study.modelVersionId,
        units.map((u) => ({ key: u.studyCaseId, caseId: u.caseId, laterality: u.laterality })),
      )
    : new Map<string, CaseAiAnswer>();

  const latest = new Map<string, (typeof reads)[number]>();
  for (const read of reads) latest.set(`${read.studyReaderId}\u0000${read.studyCaseId}\u0000${read.phase}`, read);

  return {
    unit: study.unit,
    classes,
    readers: readers.map((r) => ({
      label: labelOf.get(r.id)!,
      studyReaderId: r.id,
      userId: r.userId,
      name: r.user.name,
      email: r.user.email,
      arm: r.arm.kind,
    })),
    cases: studyCases.map((sc) => {
      const unit = unitOf.get(sc.id)!;
      const ai = aiAnswers.get(sc.id);
      return {
        studyCaseId: sc.id,
        caseId: sc.caseId,
        code: sc.code,
        siteCode: sc.case.site.code,
        laterality: unit.laterality,
        findingKey: unit.finding?.key ?? null,
        truth: unit.truth.subtype,
        truthStatus: unit.truth.status,
        ai: ai
          ? {
              answer: ai.answer,
              probabilities: Object.fromEntries(
                ai.classNames.map((name: string, k: number) => [name, ai.probabilities[k]!]),
              ),
            }
          : null,
        heatmaps: ai?.heatmaps ?? [],
      };
    }),
    reads: [...latest.values()].map((r) => ({
      readerLabel: labelOf.get(r.studyReaderId)!,
      code: codeOf.get(r.studyCaseId)!,
      phase: r.phase,
      answer: r.answer,
      confidence: r.confidence,
      version: r.version,
      timeSpentMs: r.timeSpentMs,
      roi: r.roiImageId && r.roiShape ? { imageId: r.roiImageId, shape: r.roiShape, geometry: r.roiGeometry } : null,
    })),
  };
}
