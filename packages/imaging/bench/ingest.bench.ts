// `npm run bench:ingest`: images per second through the ingest path of one file (format by
// content, parse, decode every pixel, de-identify, write the stored DICOM / strip PNG metadata,
// hash the pixels) the way the importer runs it, in the ingest pool's worker threads: in the
// calling thread, with 1 worker, and with one worker per core (or BENCH_WORKERS). The three run in
// alternating rounds so that load from other work on the machine falls on all of them; medians
// are reported, with the cores the process kept busy and the CPU seconds per image (CPU time of
// all its threads). Peak memory: a child process per configuration ingests one batch alone
// (workers are threads of that process). Also the display rendering (decode, window, 8-bit PNG),
// one at a time. Synthetic 14-bit data in 16-bit words; compressed versions made by dcmjs-codecs.
// Results go to BENCHMARKS.md by hand, with the machine's load.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { renderDisplayPixels } from "../src/display/decode-for-display.ts";
import { createIngestPool, type IngestPool } from "../src/ingest/ingest-pool.ts";
import { DEFAULT_IMAGING_LIMITS } from "../src/limits.ts";
import { buildDicom, patternPixels, transcode } from "../test/fixtures/synthetic-dicom.ts";

const deid = { secret: "bench", patientPseudonym: "P-BENCH", dateShiftDays: -30 };
const W = 3328;
const H = 4096;
const WORKERS = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

type Batch = { perSecond: number; coresBusy: number; peakMiB: number };

// The child process of peakMemoryMiB: prints its peak RSS after one batch.
if (process.argv[2] === "--memory") {
  const [file, count, workers] = process.argv.slice(3);
  const pool = createIngestPool(Number(workers));
  const result = await batch(pool, new Uint8Array(readFileSync(file!)), Number(count));
  await pool.close();
  console.log(result.peakMiB.toFixed(1));
  process.exit(0);
}

/** One batch of `count` files through `pool`, as the importer feeds it: one file more than workers in flight. */
async function batch(pool: IngestPool, bytes: Uint8Array, count: number): Promise<Batch> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next++ < count) await pool.ingest(bytes.slice(), deid, DEFAULT_IMAGING_LIMITS);
  };
  await Promise.all(Array.from({ length: Math.max(1, pool.workers) + 1 }, lane));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  const used = process.cpuUsage(cpu);
  return {
    perSecond: count / seconds,
    coresBusy: (used.user + used.system) / 1e6 / seconds,
    peakMiB: Math.max(peak, process.memoryUsage.rss()) / 1024 ** 2,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Peak resident memory of a fresh process ingesting `count` copies of the file with `workers` threads. */
function peakMemoryMiB(file: string, count: number, workers: number): number {
  const tsx = path.resolve(import.meta.dirname, "../../../node_modules/tsx/dist/cli.mjs");
  const out = execFileSync(process.execPath, [
    tsx,
    import.meta.filename,
    "--memory",
    file,
    String(count),
    String(workers),
  ]);
  return Number(out.toString().trim());
}

async function measure(name: string, bytes: Uint8Array, count: number) {
  const configs = [0, 1, WORKERS].map((workers) => ({ pool: createIngestPool(workers), runs: [] as Batch[] }));
  try {
    // Warm-up: start every worker and load its codecs before the clock runs.
    for (const { pool } of configs)
      await Promise.all(
        Array.from({ length: Math.max(1, pool.workers) }, () =>
          pool.ingest(bytes.slice(), deid, DEFAULT_IMAGING_LIMITS),
        ),
      );
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? configs : [...configs].reverse();
      for (const config of order) config.runs.push(await batch(config.pool, bytes, count));
    }
  } finally {
    await Promise.all(configs.map((c) => c.pool.close()));
  }
  const [inThread, one, many] = configs.map(({ runs }) => ({
    perSecond: median(runs.map((r) => r.perSecond)),
    range: `${Math.min(...runs.map((r) => r.perSecond)).toFixed(2)}-${Math.max(...runs.map((r) => r.perSecond)).toFixed(2)}`,
    coresBusy: median(runs.map((r) => r.coresBusy)),
    cpuPerImage: median(runs.map((r) => r.coresBusy / r.perSecond)),
  }));
  const display = await displayPerSecond(bytes, 2);
  const file = path.join(scratch, `${name.replace(/\W+/g, "-")}.bin`);
  writeFileSync(file, bytes);
  const memory = [1, WORKERS].map((workers) => peakMemoryMiB(file, count, workers).toFixed(0));
  const cell = (r: typeof one) =>
    `${r!.perSecond.toFixed(2)} (${r!.range}); ${r!.coresBusy.toFixed(2)} cores, ${r!.cpuPerImage.toFixed(2)} CPU s/image`;
  console.log(
    `| ${name} | ${(bytes.length / 1024 / 1024).toFixed(1)} MiB | ${ROUNDS} x ${count} | ${cell(inThread)} | ${cell(one)} | ${cell(many)} | **${(many!.perSecond / one!.perSecond).toFixed(2)}x** | ${memory.join(" / ")} MiB | ${display.toFixed(2)} |`,
  );
}

async function displayPerSecond(bytes: Uint8Array, runs: number) {
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const display = await renderDisplayPixels(bytes);
    await sharp(display.pixels, { raw: { width: display.widthPx, height: display.heightPx, channels: 1 } })
      .toColourspace("b-w")
      .png()
      .toBuffer();
  }
  return runs / ((performance.now() - started) / 1000);
}

const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-ingest-"));
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
console.log(
  `machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}; ${WORKERS} workers; load average at start ${load()}`,
);
console.log(
  `| input | file size | rounds x images | in the calling thread: images/s (range); cores busy, CPU per image | 1 worker | ${WORKERS} workers | speed-up, ${WORKERS} workers / 1 | peak RSS of a process, 1 / ${WORKERS} workers | display PNG images/s |`,
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
const dicom = buildDicom({
  widthPx: W,
  heightPx: H,
  bitsStored: 14,
  pixels: patternPixels(W, H, 14),
  attributes: { WindowCenter: 8000, WindowWidth: 12000 },
});
await measure("DICOM 16-bit 3328x4096, uncompressed", dicom, 6);
await measure("DICOM 16-bit 3328x4096, JPEG-LS lossless", await transcode(dicom, "JpegLsLossless"), 4);
await measure("DICOM 16-bit 3328x4096, JPEG 2000 lossless", await transcode(dicom, "Jpeg2000Lossless"), 4);
const png = await sharp(Buffer.from(patternPixels(1024, 1024, 8)), { raw: { width: 1024, height: 1024, channels: 1 } })
  .png()
  .toBuffer();
await measure("PNG 8-bit 1024x1024", new Uint8Array(png), 30);
console.log(`load average at the end ${load()}`);
rmSync(scratch, { recursive: true, force: true });
