import { Prisma } from "@mammo/db";
import { describeThrown, isImagingError } from "../errors.ts";
import { FileRefusal } from "./image-identity.ts";
import type { ManifestRow, RowError } from "./manifest.ts";

// One file listed under two patients would put one image in both: both rows are refused.
export function refuseFilesUnderTwoPatients(rows: ManifestRow[], errors: RowError[], refusedCaseKeys: Set<string>) {
  for (const [file, fileRows] of groupBy(rows, (r) => r.file)) {
    const patients = [...new Set(fileRows.map((r) => r.patientKey))];
    if (patients.length < 2) continue;
    for (const r of fileRows) {
      errors.push({
        row: r.row,
        file,
        code: "INVALID_MANIFEST",
        message: `the same file is listed under patients ${patients.join(" and ")}; one image cannot belong to two patients`,
      });
      refusedCaseKeys.add(r.caseKey);
    }
  }
  const refusedRows = new Set(errors.map((e) => e.row));
  for (let i = rows.length - 1; i >= 0; i--) if (refusedRows.has(rows[i]!.row)) rows.splice(i, 1);
}

// Why a case was not written, by row: a refused file on its own rows, anything else on every row.
export function caseWriteErrors(error: unknown, rows: ManifestRow[], caseKey: string): RowError[] {
  if (error instanceof FileRefusal) {
    const refused = rows.filter((r) => r.file === error.file);
    const fileErrors = refused.map((r) => ({ row: r.row, file: r.file, code: error.code, message: error.message }));
    return withCaseRefusal(rows, fileErrors, caseKey);
  }
  const code = isImagingError(error)
    ? error.code
    : error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002"
      ? "CONFLICT"
      : "WRITE_FAILED";
  const message = isImagingError(error)
    ? error.message
    : code === "CONFLICT"
      ? `a file of case ${caseKey} conflicts with an image written at the same time; import the case again`
      : `could not save the case: ${describeThrown(error)}`;
  if (code === "WRITE_FAILED") console.error("[import] case write failed", error);
  return rows.map((r) => ({ row: r.row, file: r.file, code, message }));
}

export function withCaseRefusal(rows: ManifestRow[], errors: RowError[], caseKey: string): RowError[] {
  const failed = new Set(errors.map((e) => e.row));
  return [
    ...errors,
    ...rows
      .filter((r) => !failed.has(r.row))
      .map((r) => ({
        row: r.row,
        file: r.file,
        code: "CASE_REFUSED",
        message: `another file of case ${caseKey} failed; the case was not imported`,
      })),
  ];
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}
