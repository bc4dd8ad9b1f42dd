// `npm run fuzz -- [--iterations N] [--seed S]`: the ingest fuzzer of the unit tests, for longer.
import { parseArgs } from "node:util";
import { runFuzz } from "../test/fuzz-harness.ts";

const { values } = parseArgs({
  options: {
    iterations: { type: "string", default: "20000" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
  },
});
const iterations = Number(values.iterations);
const seed = Number(values.seed);
const started = performance.now();
const report = await runFuzz(iterations, seed);
console.log(`fuzz: ${iterations} inputs, seed ${seed}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`  accepted ${report.accepted}; rejected ${JSON.stringify(report.rejected)}`);
console.log(
  `  slowest input: DICOM ${report.slowestMs.dicom.toFixed(0)} ms, PNG/JPEG ${report.slowestMs.raster.toFixed(0)} ms`,
);
for (const crash of report.crashes.slice(0, 20)) console.log(`  CRASH ${crash.seed}: ${crash.error}`);
if (report.crashes.length > 0 || report.slowestMs.dicom >= 1000) {
  console.log(`fuzz: FAILED (${report.crashes.length} crash(es))`);
  process.exit(1);
}
console.log("fuzz: no crash, every failure a domain error");
