/** Small numeric helpers shared by the modules (no statistics here). */

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample covariance with divisor n − 1. */
export function sampleCovariance(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = mean(a);
  const mb = mean(b);
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i]! - ma) * (b[i]! - mb);
  return s / (n - 1);
}

/** Sorted unique values, numbers numerically and strings lexically. */
export function sortedUnique<T extends string | number>(values: Iterable<T>): T[] {
  const unique = [...new Set(values)];
  return unique.sort((x, y) =>
    typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y)),
  );
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
