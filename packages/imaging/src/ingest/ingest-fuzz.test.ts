import { describe, expect, it } from "vitest";
import { runFuzz } from "../../test/fuzz-harness.ts";

// More iterations and other seeds: `npm run fuzz -- --iterations 50000 --seed 7`.
const ITERATIONS = 2500;

describe("fuzzing the ingest path with mutated DICOM, PNG and JPEG files", () => {
  // How fast each input is refused is measured by `npm run fuzz` (BENCHMARKS.md), not asserted here.
  it(`${ITERATIONS} mutated inputs: no crash, every one accepted or refused with an ImagingError`, async () => {
    const report = await runFuzz(ITERATIONS, 20261125);
    expect(report.crashes).toEqual([]);
    expect(report.accepted + Object.values(report.rejected).reduce((a, b) => a + b, 0)).toBe(ITERATIONS);
    // The mutations reach the deep paths, not just the format check.
    expect(report.rejected.MALFORMED_DICOM).toBeGreaterThan(0);
    expect(report.rejected.CORRUPT_PIXEL_DATA).toBeGreaterThan(0);
  }, 120_000);
});
