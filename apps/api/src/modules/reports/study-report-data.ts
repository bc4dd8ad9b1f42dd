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
  /**
   * Measured on the server: from when the reader could start this step (every image of the case
   * delivered to them, and their previous answer given) to this read's first version. Null when
   * the deliveries were not recorded (reads older than the record).
   */
  readingTimeMs: number | null;
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
  const [questions, readers, studyCases, units, reads, deliveries] = await Promise.all([
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
    db.imageDelivery.groupBy({
      by: ["studyReaderId", "studyCaseId"],
      where: { studyCase: { studyId: study.id } },
      _max: { firstServedAt: true },
    }),
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

  const readingTimes = readingTimesOf(reads, shownPerUnit(studyCases, deliveries));
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
      readingTimeMs: readingTimes.get(`${r.studyReaderId}\u0000${r.studyCaseId}\u0000${r.phase}`) ?? null,
      roi: r.roiImageId && r.roiShape ? { imageId: r.roiImageId, shape: r.roiShape, geometry: r.roiGeometry } : null,
    })),
  };
}

type TimedRead = { studyReaderId: string; studyCaseId: string; phase: ArmKind; version: number; submittedAt: Date };

/**
 * Reading time of each reader's first answer per case and phase (key: reader, case, phase):
 * from the later of "every image of the case delivered" and the reader's previous answer, to the
 * answer. The previous answer bounds it because a reader works one step at a time (a prefetched
 * next case is delivered while the current one is read); the aided step starts at the unaided answer.
 */
/**
 * When each reader had each unit's case on screen: a case's images are delivered once per reader,
 * whichever of its units (finding, breast) came first, and count for every unit of that case.
 */
function shownPerUnit(
  studyCases: readonly { id: string; caseId: string }[],
  deliveries: readonly { studyReaderId: string; studyCaseId: string; _max: { firstServedAt: Date | null } }[],
) {
  const caseOf = new Map(studyCases.map((sc) => [sc.id, sc.caseId]));
  const shown = new Map<string, { studyReaderId: string; caseId: string; at: Date }>();
  for (const d of deliveries) {
    const caseId = caseOf.get(d.studyCaseId)!;
    const key = `${d.studyReaderId}\u0000${caseId}`;
    const at = d._max.firstServedAt;
    const known = shown.get(key);
    if (at && (!known || known.at < at)) shown.set(key, { studyReaderId: d.studyReaderId, caseId, at });
  }
  return [...shown.values()].flatMap((s) =>
    studyCases
      .filter((sc) => sc.caseId === s.caseId)
      .map((sc) => ({ studyReaderId: s.studyReaderId, studyCaseId: sc.id, shownAt: s.at })),
  );
}

export function readingTimesOf(
  reads: readonly TimedRead[],
  deliveries: readonly { studyReaderId: string; studyCaseId: string; shownAt: Date | null }[],
): Map<string, number> {
  const shownAt = new Map(deliveries.map((d) => [`${d.studyReaderId}\u0000${d.studyCaseId}`, d.shownAt]));
  const out = new Map<string, number>();
  const byReader = new Map<string, TimedRead[]>();
  for (const read of reads) {
    if (read.version !== 1) continue;
    byReader.set(read.studyReaderId, [...(byReader.get(read.studyReaderId) ?? []), read]);
  }
  for (const readerReads of byReader.values()) {
    readerReads.sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
    let previous: Date | null = null;
    for (const read of readerReads) {
      const shown = shownAt.get(`${read.studyReaderId}\u0000${read.studyCaseId}`);
      if (shown) {
        const start = previous && previous > shown ? previous : shown;
        out.set(
          `${read.studyReaderId}\u0000${read.studyCaseId}\u0000${read.phase}`,
          Math.max(0, read.submittedAt.getTime() - start.getTime()),
        );
      }
      previous = read.submittedAt;
    }
  }
  return out;
}
