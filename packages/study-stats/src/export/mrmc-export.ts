import type { MrmcDataset } from "../mrmc/mrmc-dataset.ts";
import { invalidInput } from "../util/errors.ts";

/**
 * Exports of an MRMC dataset in the input formats of the reference tools, so a statistician can
 * re-run any figure there. Both tools want integer case numbers: cases are numbered 1..K in the
 * dataset's case order, and `caseNumbers` maps each caseId to its number. Layouts are documented
 * in packages/study-stats/README.md ("Exports").
 */
export type MrmcExport = { text: string; caseNumbers: Record<string, number>; readerNumbers?: Record<string, number> };

function caseNumbering(dataset: MrmcDataset): Record<string, number> {
  return Object.fromEntries(dataset.caseIds.map((id, k) => [id, k + 1]));
}

/** Reader and modality names go into comma-separated fields: refuse ones that would break a row. */
function field(name: string, what: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    throw invalidInput(`${what} "${name}" must use only letters, digits, "_", "." or "-" to be exported`);
  return name;
}

function score(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
}

/**
 * iMRMC input file (.imrmc; FDA/DIDSR iMRMC, also read by RJafroc::DfReadDataFile): free-text
 * description lines, then `NR:`, `N0:`, `N1:`, `NM:`, then `BEGIN DATA:` and rows
 * `readerID,caseID,modalityID,score`; truth rows have readerID -1, modalityID 0 and score 0/1.
 * Readers are numbered 1..J too (`readerNumbers`): RJafroc's reader parses reader ids as numbers.
 */
export function toImrmc(dataset: MrmcDataset, description = "Exported by @mammo/study-stats"): MrmcExport {
  const caseNumbers = caseNumbering(dataset);
  const readerNumbers = Object.fromEntries(dataset.readers.map((r, j) => [r, j + 1]));
  const negatives = dataset.truth.filter((t) => !t).length;
  const lines = [
    ...description.split(/\r?\n/).map((l) => l.replace(/:/g, " -")),
    `NR: ${dataset.readers.length}`,
    `N0: ${negatives}`,
    `N1: ${dataset.truth.length - negatives}`,
    `NM: ${dataset.modalities.length}`,
    "",
    "BEGIN DATA:",
  ];
  dataset.caseIds.forEach((id, k) => lines.push(`-1,${caseNumbers[id]},0,${dataset.truth[k] ? 1 : 0}`));
  dataset.modalities.forEach((m, i) =>
    dataset.readers.forEach((r, j) =>
      dataset.caseIds.forEach((id, k) =>
        lines.push(
          `${readerNumbers[r]},${caseNumbers[id]},${field(m, "modality")},${score(dataset.ratings[i]![j]![k]!)}`,
        ),
      ),
    ),
  );
  return { text: `${lines.join("\n")}\n`, caseNumbers, readerNumbers };
}

/**
 * OR-DBM MRMC / RJafroc "MRMC" text format (.csv, read by RJafroc::DfReadDataFile(file,
 * format = "MRMC", delimiter = ",")): a header row, then one row per rating
 * `Reader,Treatment,Case,Truth,Rating` with Truth 0/1.
 */
export function toRjafrocCsv(dataset: MrmcDataset): MrmcExport {
  const caseNumbers = caseNumbering(dataset);
  const lines = ["Reader,Treatment,Case,Truth,Rating"];
  dataset.modalities.forEach((m, i) =>
    dataset.readers.forEach((r, j) =>
      dataset.caseIds.forEach((id, k) =>
        lines.push(
          `${field(r, "reader")},${field(m, "modality")},${caseNumbers[id]},${dataset.truth[k] ? 1 : 0},${score(dataset.ratings[i]![j]![k]!)}`,
        ),
      ),
    ),
  );
  return { text: `${lines.join("\n")}\n`, caseNumbers };
}

/** Parses rows written by toRjafrocCsv back into flat records (used to prove the round trip). */
export function parseRjafrocCsv(
  text: string,
): { reader: string; treatment: string; caseNumber: number; truth: boolean; rating: number }[] {
  const [header, ...rows] = text.trim().split("\n");
  if (header !== "Reader,Treatment,Case,Truth,Rating") throw invalidInput("not an RJafroc MRMC csv: unexpected header");
  return rows.map((row, n) => {
    const cells = row.split(",");
    if (cells.length !== 5) throw invalidInput(`row ${n + 2} has ${cells.length} fields, expected 5`);
    const [reader, treatment, caseNumber, truth, rating] = cells as [string, string, string, string, string];
    return { reader, treatment, caseNumber: Number(caseNumber), truth: truth === "1", rating: Number(rating) };
  });
}

/** A categorical answer row for the plain answers export. */
export type AnswerRow = {
  caseId: string;
  site?: string;
  truth: string;
  rater: string;
  modality?: string;
  answer: string;
  confidence?: number;
};

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Every answer as one CSV row `caseId,site,truth,rater,modality,answer,correct,confidence`
 * (RFC 4180 quoting; empty cells for absent values), rows in caseId, rater, modality order.
 */
export function toAnswersCsv(rows: readonly AnswerRow[]): string {
  const sorted = [...rows].sort(
    (a, b) =>
      a.caseId.localeCompare(b.caseId) ||
      a.rater.localeCompare(b.rater) ||
      (a.modality ?? "").localeCompare(b.modality ?? ""),
  );
  const lines = ["caseId,site,truth,rater,modality,answer,correct,confidence"];
  for (const r of sorted) {
    lines.push(
      [
        r.caseId,
        r.site ?? "",
        r.truth,
        r.rater,
        r.modality ?? "",
        r.answer,
        r.answer === r.truth ? "1" : "0",
        r.confidence === undefined ? "" : String(r.confidence),
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
