/** Short, locale-independent date and time for tables (UTC, so servers and tests agree). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return iso.replace("T", " ").slice(0, 16) + " UTC";
}

export const formatPercent = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? "—" : `${(v * 100).toFixed(digits)}%`;
export const formatNumber = (v: number | null | undefined, digits = 3) =>
  v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits);

/** The message to show for a failed server call (GraphQLRequestError or anything else). */
export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : "Something went wrong.");
