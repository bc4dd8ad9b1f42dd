import { invalidInput } from "../util/errors.ts";
import { compareStrings } from "../util/math.ts";

/**
 * Where a read lands against the AI on a pathology-proven case (see shared DOMAIN.md):
 * A reader right, AI wrong; B both right; C reader wrong, AI right; D both wrong.
 */
export type Region = "A" | "B" | "C" | "D";

export type RegionCounts = { A: number; B: number; C: number; D: number; total: number };

/** A case with its truth, the AI's answer and optional grouping keys. */
export type RegionCase = { caseId: string; truth: string; aiAnswer: string; site?: string };

/** One reader's answer to one case. */
export type RegionRead = { caseId: string; readerId: string; answer: string };

export type CaseRegionRow = {
  caseId: string;
  truth: string;
  site: string | null;
  aiAnswer: string;
  aiCorrect: boolean;
  reads: { readerId: string; answer: string; correct: boolean; region: Region }[];
};

export type RegionReport = {
  perCase: CaseRegionRow[];
  overall: RegionCounts;
  byReader: { readerId: string; counts: RegionCounts }[];
  /** Grouped by truth (the subtype). */
  bySubtype: { subtype: string; counts: RegionCounts }[];
  /** Cases without a site are grouped under "". */
  bySite: { site: string; counts: RegionCounts }[];
};

export function regionOf(readerCorrect: boolean, aiCorrect: boolean): Region {
  if (readerCorrect) return aiCorrect ? "B" : "A";
  return aiCorrect ? "C" : "D";
}

function emptyCounts(): RegionCounts {
  return { A: 0, B: 0, C: 0, D: 0, total: 0 };
}

function grouped<K extends string>(
  map: Map<string, RegionCounts>,
  key: K,
): ({ counts: RegionCounts } & Record<K, string>)[] {
  return [...map.keys()]
    .sort(compareStrings)
    .map((k) => ({ [key]: k, counts: map.get(k)! }) as { counts: RegionCounts } & Record<K, string>);
}

/**
 * Per case, the truth, the AI's answer and each reader's answer with its region, and the region
 * counts overall, per reader, per subtype (truth) and per site. Every read must refer to a known
 * case; a reader may read a case only once. Rows are in caseId order, reads in readerId order.
 */
export function regionReport(cases: readonly RegionCase[], reads: readonly RegionRead[]): RegionReport {
  const byId = new Map<string, RegionCase>();
  for (const c of cases) {
    if (byId.has(c.caseId)) throw invalidInput(`case ${c.caseId} is listed twice`);
    byId.set(c.caseId, c);
  }
  const readsByCase = new Map<string, RegionRead[]>();
  const seen = new Set<string>();
  for (const r of reads) {
    if (!byId.has(r.caseId))
      throw invalidInput(`reader ${r.readerId} answered case ${r.caseId}, which is not among the cases`);
    const key = `${r.readerId}\u0000${r.caseId}`;
    if (seen.has(key)) throw invalidInput(`reader ${r.readerId} answered case ${r.caseId} twice`);
    seen.add(key);
    const own = readsByCase.get(r.caseId);
    if (own) own.push(r);
    else readsByCase.set(r.caseId, [r]);
  }
  const overall = emptyCounts();
  const byReader = new Map<string, RegionCounts>();
  const bySubtype = new Map<string, RegionCounts>();
  const bySite = new Map<string, RegionCounts>();
  const bump = (map: Map<string, RegionCounts>, key: string, region: Region) => {
    const counts = map.get(key) ?? emptyCounts();
    counts[region] += 1;
    counts.total += 1;
    map.set(key, counts);
  };
  const perCase = [...byId.values()]
    .sort((a, b) => compareStrings(a.caseId, b.caseId))
    .map((c): CaseRegionRow => {
      const aiCorrect = c.aiAnswer === c.truth;
      const caseReads = [...(readsByCase.get(c.caseId) ?? [])]
        .sort((a, b) => compareStrings(a.readerId, b.readerId))
        .map((r) => {
          const correct = r.answer === c.truth;
          const region = regionOf(correct, aiCorrect);
          overall[region] += 1;
          overall.total += 1;
          bump(byReader, r.readerId, region);
          bump(bySubtype, c.truth, region);
          bump(bySite, c.site ?? "", region);
          return { readerId: r.readerId, answer: r.answer, correct, region };
        });
      return {
        caseId: c.caseId,
        truth: c.truth,
        site: c.site ?? null,
        aiAnswer: c.aiAnswer,
        aiCorrect,
        reads: caseReads,
      };
    });
  return {
    perCase,
    overall,
    byReader: grouped(byReader, "readerId"),
    bySubtype: grouped(bySubtype, "subtype"),
    bySite: grouped(bySite, "site"),
  };
}
