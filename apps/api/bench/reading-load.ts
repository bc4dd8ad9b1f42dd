// `npm run bench:api`: the real API (its own process, production settings) on a seeded database
// (the demo seed plus a 60-case open study read by 50 readers, half of them in the AIDED arm),
// then 50 concurrent readers, each in a loop: fetch my next case, submit the read. Reports
// p50/p95/p99 latency per operation and overall, and throughput, after a warm-up.
//
// Settings (environment): BENCH_READERS (50), BENCH_DURATION_S (30), BENCH_WARMUP_S (3),
// BENCH_THINK_MS (0: each reader sends its next request as soon as the last one answered; a real
// reader looks at a case for seconds, so e.g. 2000 paces each reader like a very fast one),
// BENCH_PG_PORT (5650), BENCH_API_PORT (5651), BENCH_API_NODE_ARGS (extra node flags for the API
// process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPrismaClient, migrateDatabase, startEmbeddedPostgres } from "@mammo/db";
import { createLocalBlobStore } from "@mammo/storage";
import { encode } from "next-auth/jwt";
import { seedDemo } from "../src/seed/demo-seed.ts";
import { NEXT_CASE, SUBMIT_READ } from "../test/reading-documents.ts";
import { createCasePredictions, createModelVersion, createStudy } from "../test/study-factories.ts";
import { cpuSecondsOf, percentile, postgresCpuSeconds, startApiProcess } from "./api-process.ts";

const READERS = Number(process.env.BENCH_READERS ?? 50);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 30);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 0);
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 5650);
const API_PORT = Number(process.env.BENCH_API_PORT ?? 5651);
const SECRET = "bench-session-secret-0123456789abcdef";

type Sample = { op: "next" | "submit"; ms: number; at: number };
type Task = { caseCode: string; phase: string; questions: { kind: string; options: string[] }[] };

const log = (line: string) => console.log(`[bench:api] ${line}`);

async function prepare(dir: string) {
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dir, "pg"),
    port: PG_PORT,
    database: "mammo_bench",
    password: randomBytes(18).toString("base64url"), // a throw-away cluster
    isEphemeral: true,
  });
  await migrateDatabase(pg.url);
  const db = createPrismaClient(pg.url, { maxConnections: 4 });
  const blobDir = path.join(dir, "blobs");
  const blobs = createLocalBlobStore(blobDir);
  log("seeding the demo data");
  await seedDemo(db, blobs);
  const north = await db.site.findUniqueOrThrow({ where: { code: "NORTH" } });
  const south = await db.site.findUniqueOrThrow({ where: { code: "SOUTH" } });
  const coordinator = await db.user.findUniqueOrThrow({ where: { email: "coordinator@north.example" } });
  const ml = await db.user.findUniqueOrThrow({ where: { email: "ml@north.example" } });
  const datasetVersion = await db.datasetVersion.findFirstOrThrow();
  const model = await createModelVersion(db, {
    siteId: north.id,
    createdById: ml.id,
    datasetVersionId: datasetVersion.id,
    name: "bench-model",
  });
  const cases = await db.case.findMany({ select: { id: true }, orderBy: { accessionKey: "asc" } });
  log(`AI predictions and heatmaps for ${cases.length} cases`);
  for (const [i, c] of cases.entries())
    await createCasePredictions(db, blobs, {
      modelVersionId: model.id,
      caseId: c.id,
      probabilities: [0.5 - (i % 3) * 0.1, 0.3, 0.2 + (i % 3) * 0.1],
    });
  const readers = [];
  for (let i = 0; i < READERS; i++) {
    const site = i % 2 === 0 ? north : south;
    readers.push(
      await db.user.create({
        data: {
          email: `bench-reader-${i}@bench.example`,
          name: `Bench reader ${i}`,
          memberships: { create: { siteId: site.id, role: "READER" } },
        },
      }),
    );
  }
  const { study } = await createStudy(db, {
    siteId: north.id,
    createdById: coordinator.id,
    caseIds: cases.map((c) => c.id),
    modelVersionId: model.id,
    readers: readers.map((r, i) => ({ userId: r.id, arm: i % 2 === 0 ? "UNAIDED" : "AIDED" })),
  });
  // Each reader signed in: a server-side session, whose id the session token carries.
  const sessions = await Promise.all(
    readers.map((r) =>
      db.session.create({ data: { userId: r.id, method: "password", expiresAt: new Date(Date.now() + 3_600_000) } }),
    ),
  );
  // A read counts only once its case's images were delivered to the reader (the image routes
  // record it). This bench measures next case and submit, not image serving: every image is
  // recorded as delivered to every reader up front.
  const studyReaders = await db.studyReader.findMany({ where: { studyId: study.id }, select: { id: true } });
  const studyCases = await db.studyCase.findMany({ where: { studyId: study.id }, select: { id: true, caseId: true } });
  const images = await db.image.findMany({
    where: { caseId: { in: cases.map((c) => c.id) }, status: "ACTIVE" },
    select: { id: true, caseId: true },
  });
  await db.imageDelivery.createMany({
    data: studyReaders.flatMap((reader) =>
      studyCases.flatMap((sc) =>
        images
          .filter((image) => image.caseId === sc.caseId)
          .map((image) => ({ studyReaderId: reader.id, imageId: image.id, studyCaseId: sc.id })),
      ),
    ),
  });
  await db.$disconnect();
  return {
    pg,
    blobDir,
    studyId: Buffer.from(`ReaderStudy:${study.id}`).toString("base64"),
    readerSessions: sessions.map((s) => ({ sub: s.userId, sid: s.id })),
    caseCount: cases.length,
  };
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mammo-bench-api-"));
  await chmod(dir, 0o755);
  const load = os.loadavg()[0]!;
  const { pg, blobDir, studyId, readerSessions, caseCount } = await prepare(dir);
  const api = await startApiProcess({
    databaseUrl: pg.url,
    blobDir,
    port: API_PORT,
    secret: SECRET,
    nodeArgs: (process.env.BENCH_API_NODE_ARGS ?? "").split(" ").filter(Boolean),
  });
  const { child, url } = api;
  try {
    const tokens = await Promise.all(readerSessions.map((token) => encode({ token, secret: SECRET, maxAge: 3600 })));
    const samples: Sample[] = [];
    let errors = 0;
    const post = async (token: string, query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
      if (!response.ok || body.errors?.length) {
        errors++;
        if (errors <= 3) log(`error: ${JSON.stringify(body.errors ?? response.status)}`);
      }
      return body.data;
    };
    const start = performance.now();
    const end = start + DURATION_S * 1000;
    let cpuAtWarmup: { api: number | null; postgres: number | null; bench: number } | null = null;
    const warmup = setTimeout(
      () =>
        void (cpuAtWarmup = {
          api: cpuSecondsOf(child.pid),
          postgres: postgresCpuSeconds("mammo_bench"),
          bench: process.cpuUsage().user + process.cpuUsage().system,
        }),
      WARMUP_S * 1000,
    );
    let finishedReaders = 0;
    log(
      `${READERS} readers, ${caseCount} cases each (AIDED readers answer twice per case), ${DURATION_S} s, think time ${THINK_MS} ms per step`,
    );
    await Promise.all(
      tokens.map(async (token, r) => {
        let step = 0;
        while (performance.now() < end) {
          let t0 = performance.now();
          const next = (await post(token, NEXT_CASE, { studyId }))?.myNextCase as Task | null | undefined;
          samples.push({ op: "next", ms: performance.now() - t0, at: t0 - start });
          if (!next) {
            finishedReaders++;
            return;
          }
          if (THINK_MS > 0) await new Promise((resolve) => setTimeout(resolve, THINK_MS * (0.5 + Math.random())));
          const options = next.questions.find((q) => q.kind === "SUBTYPE")!.options;
          const input = {
            studyId,
            caseCode: next.caseCode,
            phase: next.phase,
            answer: options[(r + step) % options.length],
            confidence: 30 + ((r * 7 + step) % 70),
            timeSpentMs: 20_000 + step,
          };
          t0 = performance.now();
          await post(token, SUBMIT_READ, { input });
          samples.push({ op: "submit", ms: performance.now() - t0, at: t0 - start });
          step++;
        }
      }),
    );
    clearTimeout(warmup);
    const before = cpuAtWarmup as { api: number | null; postgres: number | null; bench: number } | null;
    const cpu = before && {
      api: before.api === null ? null : cpuSecondsOf(child.pid)! - before.api,
      postgres: before.postgres === null ? null : postgresCpuSeconds("mammo_bench")! - before.postgres,
      bench: (process.cpuUsage().user + process.cpuUsage().system - before.bench) / 1e6,
    };
    const elapsedS = (performance.now() - start) / 1000;
    const measured = samples.filter((s) => s.at >= WARMUP_S * 1000);
    const windowS = elapsedS - WARMUP_S;
    const row = (label: string, list: Sample[]) => {
      const sorted = list.map((s) => s.ms).sort((a, b) => a - b);
      return `| ${label} | ${sorted.length} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 95).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${(sorted.length / windowS).toFixed(0)} |`;
    };
    const cpus = os.cpus();
    console.log("");
    console.log(
      `Machine: ${cpus[0]?.model ?? "?"}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${load.toFixed(1)} before the run.`,
    );
    console.log(
      `${READERS} concurrent readers, think time ${THINK_MS} ms (x0.5-1.5) per step, ${elapsedS.toFixed(1)} s (first ${WARMUP_S} s of warm-up not counted), ${finishedReaders} readers finished the study, ${errors} errors.`,
    );
    console.log("");
    console.log("| operation | requests | p50 ms | p95 ms | p99 ms | requests/s |");
    console.log("| --- | --- | --- | --- | --- | --- |");
    console.log(
      row(
        "myNextCase",
        measured.filter((s) => s.op === "next"),
      ),
    );
    console.log(
      row(
        "submitRead",
        measured.filter((s) => s.op === "submit"),
      ),
    );
    console.log(row("all", measured));
    if (cpu) {
      const per = (seconds: number | null) =>
        seconds === null ? "?" : `${((seconds * 1000) / measured.length).toFixed(1)} ms`;
      console.log(
        `\nCPU per request: API ${per(cpu.api)}, PostgreSQL ${per(cpu.postgres)}, load generator ${per(cpu.bench)} (over ${windowS.toFixed(1)} s).`,
      );
    }
    if (errors > 0) process.exitCode = 1;
  } finally {
    await api.stop();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
