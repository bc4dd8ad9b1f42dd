// `npm run bench:ingest`: images per second through the ingest path (parse, decode, de-identify,
// write) and the display rendering, for a 16-bit 3328x4096 mammogram as DICOM (uncompressed,
// JPEG-LS, JPEG 2000) and an 8-bit 1024x1024 PNG. Results go to BENCHMARKS.md by hand.
import os from "node:os";
import sharp from "sharp";
import { renderDisplayPixels } from "../src/display/decode-for-display.ts";
import { ingestFile } from "../src/ingest/ingest-file.ts";
import { DEFAULT_IMAGING_LIMITS } from "../src/limits.ts";
import { buildDicom, patternPixels, transcode } from "../test/fixtures/synthetic-dicom.ts";

const deid = { secret: "bench", patientPseudonym: "P-BENCH", dateShiftDays: -30 };
const W = 3328;
const H = 4096;

async function measure(name: string, bytes: Uint8Array, runs: number) {
  await ingestFile(bytes, deid, DEFAULT_IMAGING_LIMITS); // warm-up
  let started = performance.now();
  for (let i = 0; i < runs; i++) await ingestFile(bytes, deid, DEFAULT_IMAGING_LIMITS);
  const ingestSeconds = (performance.now() - started) / 1000 / runs;
  started = performance.now();
  for (let i = 0; i < runs; i++) {
    const display = await renderDisplayPixels(bytes);
    await sharp(display.pixels, { raw: { width: display.widthPx, height: display.heightPx, channels: 1 } })
      .toColourspace("b-w")
      .png()
      .toBuffer();
  }
  const displaySeconds = (performance.now() - started) / 1000 / runs;
  console.log(
    `| ${name} | ${(bytes.length / 1024 / 1024).toFixed(1)} MiB | ${(1 / ingestSeconds).toFixed(2)} | ${(ingestSeconds * 1000).toFixed(0)} ms | ${(1 / displaySeconds).toFixed(2)} |`,
  );
}

console.log(
  `machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`,
);
console.log("| input | file size | ingest images/s | ingest per image | display PNG images/s |");
console.log("| --- | --- | --- | --- | --- |");
const pixels = patternPixels(W, H, 14);
const dicom = buildDicom({
  widthPx: W,
  heightPx: H,
  bitsStored: 14,
  pixels,
  attributes: { WindowCenter: 8000, WindowWidth: 12000 },
});
await measure("DICOM 16-bit 3328x4096, uncompressed", dicom, 5);
await measure("DICOM 16-bit 3328x4096, JPEG-LS lossless", await transcode(dicom, "JpegLsLossless"), 3);
await measure("DICOM 16-bit 3328x4096, JPEG 2000 lossless", await transcode(dicom, "Jpeg2000Lossless"), 2);
const png = await sharp(Buffer.from(patternPixels(1024, 1024, 8)), { raw: { width: 1024, height: 1024, channels: 1 } })
  .png()
  .toBuffer();
await measure("PNG 8-bit 1024x1024", new Uint8Array(png), 30);
