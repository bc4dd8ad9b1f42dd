// Mutation fuzzing of the ingest path: valid DICOM (every codec), PNG and JPEG files, mutated
// (bit flips, truncation, inserted bytes, corrupted length fields), must each either import or
// fail with an ImagingError, quickly. Used by the unit test and by `npm run fuzz`.
import sharp from "sharp";
import { isImagingError } from "../src/errors.ts";
import { ingestFile } from "../src/ingest/ingest-file.ts";
import type { ImagingLimits } from "../src/limits.ts";
import { buildDicom, transcode } from "./fixtures/synthetic-dicom.ts";
import { encodeJpegLossless } from "./fixtures/jpeg-lossless-encoder.ts";
import { patternPixels } from "./fixtures/synthetic-dicom.ts";

export type FuzzReport = {
  iterations: number;
  accepted: number;
  rejected: Record<string, number>;
  crashes: { seed: string; error: string }[];
  /** The slowest single input, for DICOM and for PNG/JPEG inputs. */
  slowestMs: { dicom: number; raster: number };
};

const LIMITS: ImagingLimits = { maxFileBytes: 8 * 1024 * 1024, maxPixels: 2_000_000 };
const DEID = { secret: "fuzz", patientPseudonym: "P-FUZZ", dateShiftDays: -10 };

export async function fuzzSeeds(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const w = 24;
  const h = 20;
  const base = buildDicom({
    widthPx: w,
    heightPx: h,
    attributes: {
      WindowCenter: 2000,
      WindowWidth: 1000,
      ReferencedImageSequence: [{ ReferencedSOPClassUID: "1.2.3", ReferencedSOPInstanceUID: "1.2.3.4" }],
    },
  });
  const png8 = await sharp(Buffer.from(patternPixels(w, h, 8).map((v) => v)), {
    raw: { width: w, height: h, channels: 1 },
  })
    .png()
    .toBuffer();
  const png16 = await sharp(Buffer.from(patternPixels(w, h, 16).buffer), { raw: { width: w, height: h, channels: 1 } })
    .toColourspace("grey16")
    .png()
    .toBuffer();
  const jpeg = await sharp(Buffer.alloc(w * h, 100), { raw: { width: w, height: h, channels: 1 } })
    .jpeg()
    .toBuffer();
  return [
    { name: "dicom-native", bytes: base },
    { name: "dicom-rle", bytes: await transcode(base, "RleLossless") },
    {
      name: "dicom-jpeg-lossless",
      bytes: buildDicom({
        widthPx: w,
        heightPx: h,
        bitsStored: 12,
        transferSyntaxUid: "1.2.840.10008.1.2.4.57",
        encapsulatedFrame: encodeJpegLossless(patternPixels(w, h, 12), w, h, 12, 6),
      }),
    },
    { name: "dicom-jpeg-ls", bytes: await transcode(base, "JpegLsLossless") },
    { name: "dicom-j2k", bytes: await transcode(base, "Jpeg2000Lossless") },
    { name: "png-8", bytes: new Uint8Array(png8) },
    { name: "png-16", bytes: new Uint8Array(png16) },
    { name: "jpeg", bytes: new Uint8Array(jpeg) },
  ];
}

export function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  let out = bytes.slice();
  const kind = Math.floor(random() * 5);
  const at = () => Math.floor(random() * out.length);
  if (kind === 0) for (let i = 0; i < 1 + random() * 8; i++) out[at()] ^= 1 << Math.floor(random() * 8);
  else if (kind === 1) out = out.slice(0, at());
  else if (kind === 2) {
    const i = at();
    const junk = Uint8Array.from({ length: 1 + Math.floor(random() * 16) }, () => Math.floor(random() * 256));
    out = Uint8Array.from([...out.subarray(0, i), ...junk, ...out.subarray(i)]);
  } else if (kind === 3) {
    // a length-like field set to a huge or undefined value
    const i = at() & ~1;
    const view = new DataView(out.buffer);
    if (i + 4 <= out.length) view.setUint32(i, random() < 0.5 ? 0xffffffff : Math.floor(random() * 0x7fffffff), true);
  } else for (let i = 0; i < 1 + random() * 32; i++) out[at()] = Math.floor(random() * 256);
  return out;
}

export function seededRandom(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export async function runFuzz(iterations: number, seed = 1): Promise<FuzzReport> {
  const seeds = await fuzzSeeds();
  const random = seededRandom(seed);
  const report: FuzzReport = { iterations, accepted: 0, rejected: {}, crashes: [], slowestMs: { dicom: 0, raster: 0 } };
  for (const s of seeds) await ingestFile(s.bytes, DEID, LIMITS); // warm up (WebAssembly, libvips) outside the timing
  for (let i = 0; i < iterations; i++) {
    const source = seeds[i % seeds.length]!;
    const input = mutate(source.bytes, random);
    const started = performance.now();
    try {
      await ingestFile(input, DEID, LIMITS);
      report.accepted++;
    } catch (error) {
      if (isImagingError(error)) report.rejected[error.code] = (report.rejected[error.code] ?? 0) + 1;
      else
        report.crashes.push({
          seed: `${seed}:${i}:${source.name}`,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
    }
    const elapsed = performance.now() - started;
    if (process.env.FUZZ_TRACE && elapsed > 200) console.log(`slow ${elapsed.toFixed(0)} ms: ${source.name} #${i}`);
    const kind = source.name.startsWith("dicom") ? "dicom" : "raster";
    report.slowestMs[kind] = Math.max(report.slowestMs[kind], elapsed);
  }
  return report;
}
