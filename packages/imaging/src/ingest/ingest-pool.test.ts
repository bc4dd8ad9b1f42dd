import { parseFullDepthPixels } from "@mammo/wire-formats";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { buildDicom, transcode } from "../../test/fixtures/synthetic-dicom.ts";
import { isImagingError } from "../errors.ts";
import { DEFAULT_IMAGING_LIMITS } from "../limits.ts";
import { ingestFile } from "./ingest-file.ts";
import { createIngestPool, ingestWorkerCount } from "./ingest-pool.ts";

const deid = { secret: "pool", patientPseudonym: "P-POOL", dateShiftDays: -9 };
const pool = createIngestPool(2);
const inThread = createIngestPool(0);
afterAll(() => pool.close());

describe("ingest pool (worker threads)", () => {
  it("gives the same result as ingesting in this thread, for DICOM (compressed too) and PNG", async () => {
    const dicom = buildDicom({ attributes: { ViewPosition: "SCC" } });
    const png = await sharp(Buffer.alloc(32 * 16, 40), { raw: { width: 32, height: 16, channels: 1 } })
      .png()
      .toBuffer();
    const files = [dicom, await transcode(dicom, "JpegLsLossless"), new Uint8Array(png)];
    const inPool = await Promise.all(files.map((f) => pool.ingest(f.slice(), deid, DEFAULT_IMAGING_LIMITS)));
    const here = await Promise.all(files.map((f) => inThread.ingest(f, deid, DEFAULT_IMAGING_LIMITS)));
    expect(inPool).toEqual(here);
    expect(inPool[0]).toMatchObject({ view: "CC", viewModifiers: ["SPOT_COMPRESSION"] });
    // With the viewer's screen levels (made from the stored bytes), which ingestFile alone has not.
    expect(inPool.map((i) => i.screenLevels?.map((l) => l.level))).toEqual([
      [2, 3, 4, 5, 6],
      [2, 3, 4, 5, 6],
      [2, 3, 4, 5, 6],
    ]);
    const plain = await ingestFile(files[0]!, deid, DEFAULT_IMAGING_LIMITS);
    expect(plain.screenLevels).toBeUndefined();
    expect({ ...inPool[0], screenLevels: undefined }).toEqual(plain);
  });

  it("gives a stored file's decoding problem back as an ImagingError from a worker", async () => {
    const error = await pool.deriveLevels(buildDicom().subarray(0, 400), [3]).catch((e) => e);
    expect(isImagingError(error)).toBe(true);
    expect(error).toMatchObject({ code: "MALFORMED_DICOM" });
  });

  it("frames full-depth levels of a stored file in a worker as in this thread", async () => {
    const dicom = buildDicom({ widthPx: 40, heightPx: 30 });
    const inPool = await pool.deriveLevels(dicom.slice(), [0, 2]);
    const here = await inThread.deriveLevels(dicom, [0, 2]);
    expect(inPool.map((l) => l.level)).toEqual([0, 2]);
    expect(inPool).toEqual(here);
    // Level 2 of a 40x30 image: 10x8 samples.
    expect(parseFullDepthPixels(inPool[1]!.framed.slice().buffer)).toMatchObject({
      level: 2,
      widthPx: 10,
      heightPx: 8,
    });
  });

  it("returns the file's problem as an ImagingError with its code, and keeps working", async () => {
    const error = await pool.ingest(buildDicom().subarray(0, 400), deid, DEFAULT_IMAGING_LIMITS).catch((e) => e);
    expect(isImagingError(error)).toBe(true);
    expect(error).toMatchObject({ code: "MALFORMED_DICOM" });
    expect((await pool.ingest(buildDicom(), deid, DEFAULT_IMAGING_LIMITS)).sourceFormat).toBe("DICOM");
  });

  it("takes its size from INGEST_WORKERS (0: in this thread), else one worker per core", () => {
    expect(ingestWorkerCount({ INGEST_WORKERS: "3" })).toBe(3);
    expect(ingestWorkerCount({ INGEST_WORKERS: "0" })).toBe(0);
    expect(ingestWorkerCount({})).toBeGreaterThanOrEqual(1);
    expect(() => ingestWorkerCount({ INGEST_WORKERS: "two" })).toThrow(/INGEST_WORKERS must be a whole number/);
  });
});
