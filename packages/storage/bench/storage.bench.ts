// `npm run bench:storage`: a 300 MB artifact written and read through the S3 store (s3rver in its
// own process, on a free port) and the local store. Throughput and this process's peak memory
// (RSS above its level before each step): streaming must not hold the artifact in memory.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { createLocalBlobStore, createS3BlobStore, type BlobStore } from "../src/index.ts";

const SIZE_BYTES = Number(process.env.BENCH_STORAGE_MB ?? 300) * 1024 * 1024;
const CHUNK = 1024 * 1024;

function artifact(): Readable {
  let sent = 0;
  const chunk = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK; i++) chunk[i] = (i * 2654435761) >>> 24;
  return Readable.from(
    (function* () {
      while (sent < SIZE_BYTES) {
        const n = Math.min(CHUNK, SIZE_BYTES - sent);
        chunk[0] = sent / CHUNK; // every megabyte differs a little
        sent += n;
        yield Buffer.from(chunk.subarray(0, n));
      }
    })(),
  );
}

async function measure<T>(run: () => Promise<T>) {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, seconds, peakMb: (peak - base) / 1024 / 1024 };
}

async function bench(name: string, store: BlobStore) {
  const mb = SIZE_BYTES / 1024 / 1024;
  const write = await measure(() => store.putStream(artifact()));
  const read = await measure(async () => {
    let n = 0;
    for await (const chunk of await store.getStream(write.result.key)) n += (chunk as Buffer).length;
    return n;
  });
  if (read.result !== SIZE_BYTES) throw new Error(`${name}: read ${read.result} of ${SIZE_BYTES} bytes`);
  const range = await measure(() => store.getRange(write.result.key, SIZE_BYTES / 2, SIZE_BYTES / 2 + 65535));
  console.log(
    `${name.padEnd(6)} write ${(mb / write.seconds).toFixed(0).padStart(4)} MB/s (peak +${write.peakMb.toFixed(0)} MB RSS)` +
      `  read ${(mb / read.seconds).toFixed(0).padStart(4)} MB/s (peak +${read.peakMb.toFixed(0)} MB RSS)` +
      `  64 KiB range ${(range.seconds * 1000).toFixed(1)} ms`,
  );
}

async function startS3rver(dir: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const script = `import S3rver from "s3rver";
const s = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: ${JSON.stringify(dir)}, configureBuckets: [{ name: "bench" }] });
const { port } = await s.run(); console.log(port);`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    cwd: path.dirname(new URL(import.meta.url).pathname),
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once("exit", (code) => reject(new Error(`s3rver exited (${code})`)));
  });
  return { port, stop: async () => void (child.kill(), await new Promise((r) => child.once("exit", r))) };
}

const work = await mkdtemp(path.join(os.tmpdir(), "mammo-bench-storage-"));
try {
  console.log(
    `bench:storage: one ${SIZE_BYTES / 1024 / 1024} MB artifact, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}`,
  );
  const s3 = await startS3rver(path.join(work, "s3rver"));
  try {
    await bench(
      "S3",
      createS3BlobStore({
        bucket: "bench",
        endpoint: `http://127.0.0.1:${s3.port}`,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      }),
    );
  } finally {
    await s3.stop();
  }
  await bench("local", createLocalBlobStore(path.join(work, "local")));
} finally {
  await rm(work, { recursive: true, force: true });
}
