import { expect } from "vitest";

/**
 * Asserts that `actual` equals a value printed by a reference source to the precision it was
 * printed with: |actual − printed| ≤ half a unit in the last printed digit. Pass the printed
 * text exactly as published, e.g. "0.4842" or "-0.08796".
 */
export function expectPrinted(actual: number, printed: string): void {
  const expected = Number(printed);
  const decimals = printed.includes(".") ? printed.split(".")[1]!.replace(/e.*$/i, "").length : 0;
  const exponent = /e([+-]?\d+)$/i.exec(printed);
  const unit = 10 ** (-decimals + (exponent ? Number(exponent[1]) : 0));
  expect(Math.abs(actual - expected), `expected ${actual} to print as ${printed}`).toBeLessThanOrEqual(
    unit / 2 + 1e-15,
  );
}
