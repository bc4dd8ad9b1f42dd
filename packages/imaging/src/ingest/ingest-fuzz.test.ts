import { describe, expect, it } from "vitest";
import { runFuzz } from "../../test/fuzz-harness.ts";

// More iterations and other seeds: `npm run fuzz -- --iterations 50000 --seed 7`.
const ITERATIONS = 2500;

describe("fuzzing the ingest path with mutated DICOM, PNG and JPEG files", () => {
  it(`${ITERATIONS} mutated inputs: no crash, no hang, every failure an ImagingError`, async () => {
    const report = await runFuzz(ITERATIONS, 20261125);
    expect(report.crashes).toEqual([]);
    expect(report.accepted + Object.values(report.rejected).reduce((a, b) => a + b, 0)).toBe(ITERATIONS);
    // Malformed DICOM is refused in well under a second; PNG/JPEG decoding is bounded by the
    // pixel limit (a mutated header may declare up to 2 Mpx that libvips then tries to read).
    expect(report.slowestMs.dicom).toBeLessThan(1000);
    expect(report.slowestMs.raster).toBeLessThan(3000);
    // The mutations reach the deep paths, not just the format check.
    expect(report.rejected.MALFORMED_DICOM).toBeGreaterThan(0);
    expect(report.rejected.CORRUPT_PIXEL_DATA).toBeGreaterThan(0);
  }, 120_000);
});
