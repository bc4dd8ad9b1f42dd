// `npm run bench:scale`: the archive at 10 000 and 100 000 exams. For each size: a fresh database on
// an embedded PostgreSQL, the archive generated with the benchmark's own SQL (scale-data.ts), the
// real API in its own process (production settings), then the web app's requests over HTTP: each
// list operation 5 times (median and max), the report of a closed 1000-case x 10-reader study (5
// studies, each computed, not cached), `myNextCase` in an open one (200 requests), the API's
// memory; then a second API process with PostgreSQL's auto_explain on, and every list operation
// once more: the plans of the statements it ran (EXPLAIN ANALYZE) go to this log.
//
// Settings (environment): BENCH_SCALE_SIZES ("10000,100000"), BENCH_SCALE_PLANS ("all": print every
// plan; default: the plans of statements that read archive tables).
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ensureDatabaseExists, migrateDatabase, startEmbeddedPostgres } from "@mammo/db";
import { findFreePort } from "@mammo/db/testing";
import { encode } from "next-auth/jwt";
import pg from "pg";
import {
  cpuSecondsOf,
  percentile,
  postgresCpuSeconds,
  rssBytesOf,
  startApiProcess,
  type ApiProcess,
} from "../api-process.ts";
import {
  ARCHIVE_TABLES,
  createLogMarkers,
  parseAutoExplainLog,
  startPlanCapture,
  stopPlanCapture,
} from "./explain-plans.ts";
import {
  generateScaleArchive,
  REPORT_STUDIES,
  STUDY_CASES,
  STUDY_READERS,
  SUBTYPES,
  type ScaleArchive,
} from "./scale-data.ts";
import {
  CREATE_DATASET,
  DATASET_PAGE,
  EXPLAINED_ALSO,
  FREEZE_DATASET,
  globalId,
  LIST_OPERATIONS,
  NEXT_CASE,
  REPORT_QUERIES,
  type GraphqlCall,
} from "./scale-operations.ts";

const SIZES = (process.env.BENCH_SCALE_SIZES ?? "10000,100000").split(",").map(Number);
const REPEATS = 5;
/** Each freeze writes a version of every labelled case's images (300 000 items at 100 000 cases). */
const FREEZE_REPEATS = 3;
const NEXT_CASE_REQUESTS_PER_READER = 20;
const SECRET = "bench-scale-session-secret-0123456789";

const log = (line: string) => console.log(`[bench:scale] ${line}`);
const ms = (t0: number) => performance.now() - t0;
const MiB = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

type Figures = Map<string, string>;

/** GraphQL over HTTP as a signed-in user (a next-auth session token, as the web app's server sends). */
/** A signed-in session of the user (a server-side Session row, whose id the token carries). */
async function sessionToken(databaseUrl: string, userId: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO "Session" ("userId", method, "expiresAt") VALUES ($1, 'password', now() + interval '6 hours') RETURNING id`,
      [userId],
    );
    return encode({ token: { sub: userId, sid: rows[0]!.id }, secret: SECRET, maxAge: 3600 * 6 });
  } finally {
    await client.end();
  }
}

function graphqlClient(url: string, databaseUrl: string): GraphqlCall {
  const tokens = new Map<string, Promise<string>>();
  return async (userId, query, variables = {}) => {
    if (!tokens.has(userId)) tokens.set(userId, sessionToken(databaseUrl, userId));
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await tokens.get(userId)}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (!response.ok || body.errors?.length)
      throw new Error(`GraphQL: ${body.errors?.map((e) => e.message).join("; ") ?? response.status}`);
    return body.data!;
  };
}

/** Samples the API's resident memory every 50 ms: its peak since the last reset. */
function memorySampler(api: ApiProcess) {
  let peak = rssBytesOf(api.child.pid) ?? 0;
  const timer = setInterval(() => (peak = Math.max(peak, rssBytesOf(api.child.pid) ?? 0)), 50);
  return {
    now: () => rssBytesOf(api.child.pid) ?? 0,
    peak: () => Math.max(peak, rssBytesOf(api.child.pid) ?? 0),
    reset: () => (peak = rssBytesOf(api.child.pid) ?? 0),
    stop: () => clearInterval(timer),
  };
}

const medianMax = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${percentile(sorted, 50).toFixed(0)} / ${sorted.at(-1)!.toFixed(0)}`;
};

async function timeOperations(call: GraphqlCall, archive: ScaleArchive, figures: Figures) {
  for (const op of LIST_OPERATIONS) {
    const variables = await op.variables(archive, call);
    await call(op.as(archive), op.query, variables); // warm: the first request of a kind compiles code paths
    const samples: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const t0 = performance.now();
      await call(op.as(archive), op.query, variables);
      samples.push(ms(t0));
    }
    figures.set(op.name, medianMax(samples));
    log(`${op.name}: ${figures.get(op.name)} ms`);
  }
}

async function timeReports(
  call: GraphqlCall,
  archive: ScaleArchive,
  figures: Figures,
  cpu: () => { api: number; postgres: number },
) {
  const samples: number[] = [];
  const before = cpu();
  for (const studyId of archive.reportStudyIds) {
    const t0 = performance.now();
    await Promise.all(
      REPORT_QUERIES.map((q) => call(archive.staffId, q, { studyId: globalId("ReaderStudy", studyId) })),
    );
    samples.push(ms(t0));
  }
  const after = cpu();
  const name = `studyReport, ${STUDY_CASES} cases x ${STUDY_READERS} readers, both phases (the report page's 3 requests; each study computed, first one cold)`;
  figures.set(name, `${medianMax(samples)} (first ${samples[0]!.toFixed(0)})`);
  const perReport = (seconds: number) => ((seconds * 1000) / samples.length).toFixed(0);
  figures.set(
    "studyReport CPU per report, ms: API + PostgreSQL",
    `${perReport(after.api - before.api)} + ${perReport(after.postgres - before.postgres)}`,
  );
  log(`${name}: ${figures.get(name)} ms`);
}

/** Times `run` `repeats` times: median / max, or the error of the first failure (the operation breaks at this size). */
async function timeOrFailure(repeats: number, run: () => Promise<unknown>) {
  const samples: number[] = [];
  try {
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      await run();
      samples.push(ms(t0));
    }
  } catch (error) {
    return `fails: ${(error instanceof Error ? error.message : String(error)).slice(0, 160)}`;
  }
  return medianMax(samples);
}

/**
 * A dataset over every labelled case of the archive's site (every subtype its labels give): the
 * dataset page (its preview) 5 times, then the freeze form's mutation; the API's memory growth
 * (peak resident memory over that before the first request) during each.
 */
async function timeDatasets(
  call: GraphqlCall,
  archive: ScaleArchive,
  figures: Figures,
  memory: ReturnType<typeof memorySampler>,
) {
  const created = (await call(archive.staffId, CREATE_DATASET, {
    input: {
      name: "bench: every labelled case",
      siteId: globalId("Site", archive.siteId),
      filter: { siteIds: [globalId("Site", archive.siteId)], subtypes: SUBTYPES },
    },
  })) as { createDataset: { id: string } };
  const datasetId = created.createDataset.id;
  const steps = [
    {
      name: "previewDataset over all cases (the dataset page)",
      repeats: REPEATS,
      document: DATASET_PAGE,
      variables: { id: datasetId },
    },
    {
      name: `freezeDatasetVersion over all labelled cases (${FREEZE_REPEATS} freezes)`,
      repeats: FREEZE_REPEATS,
      document: FREEZE_DATASET,
      variables: { input: { datasetId } },
    },
  ];
  for (const step of steps) {
    const before = memory.now();
    memory.reset();
    figures.set(
      step.name,
      await timeOrFailure(step.repeats, () => call(archive.staffId, step.document, step.variables)),
    );
    figures.set(`API memory growth during ${step.name.split(" ")[0]}`, MiB(memory.peak() - before));
    log(`${step.name}: ${figures.get(step.name)} ms`);
  }
}

/** CPU seconds of the API process and of the bench database's PostgreSQL backends, so far. */
const cpuOf = (api: ApiProcess, database: string) => ({
  api: cpuSecondsOf(api.child.pid) ?? 0,
  postgres: postgresCpuSeconds(database) ?? 0,
});

async function timeNextCase(
  call: GraphqlCall,
  archive: ScaleArchive,
  figures: Figures,
  cpu: () => { api: number; postgres: number },
) {
  const studyId = globalId("ReaderStudy", archive.openStudyId);
  for (const reader of archive.readerIds) await call(reader, NEXT_CASE, { studyId });
  const samples: number[] = [];
  const before = cpu();
  for (let i = 0; i < NEXT_CASE_REQUESTS_PER_READER; i++)
    for (const reader of archive.readerIds) {
      const t0 = performance.now();
      await call(reader, NEXT_CASE, { studyId });
      samples.push(ms(t0));
    }
  const after = cpu();
  const sorted = samples.sort((a, b) => a - b);
  const perRequest = (seconds: number) => ((seconds * 1000) / samples.length).toFixed(1);
  const name = `myNextCase in the open study (${samples.length} requests, 10 readers partway): p50 / p95 / max`;
  figures.set(
    name,
    `${percentile(sorted, 50).toFixed(0)} / ${percentile(sorted, 95).toFixed(0)} / ${sorted.at(-1)!.toFixed(0)}`,
  );
  figures.set(
    "myNextCase CPU per request, ms: API + PostgreSQL",
    `${perRequest(after.api - before.api)} + ${perRequest(after.postgres - before.postgres)}`,
  );
  log(`${name}: ${figures.get(name)} ms`);
}

/** The plans of every list operation's statements, printed to the log; a one-line summary per operation. */
async function explainOperations(
  archive: ScaleArchive,
  call: GraphqlCall,
  databaseUrl: string,
  serverLog: () => string,
): Promise<Map<string, { archiveScans: string; indexes: string }>> {
  const markers = createLogMarkers(databaseUrl, serverLog);
  const summary = new Map<string, { archiveScans: string; indexes: string }>();
  const printAll = process.env.BENCH_SCALE_PLANS === "all";
  try {
    for (const op of [...LIST_OPERATIONS, ...EXPLAINED_ALSO]) {
      const variables = await op.variables(archive, call);
      const from = await markers.mark(`begin ${op.name}`);
      await call(op.as(archive), op.query, variables);
      const to = await markers.mark(`end ${op.name}`);
      // Not the markers, nor the job queue's own housekeeping (pg-boss polls in the background).
      const statements = parseAutoExplainLog(serverLog().slice(from, to)).filter(
        (s) => !s.queryText.includes("bench-marker") && !s.queryText.includes("pgboss"),
      );
      const archiveStatements = statements.filter(
        (s) => printAll || ARCHIVE_TABLES.some((table) => s.queryText.includes(`"${table}"`)),
      );
      console.log(`\n#### EXPLAIN (ANALYZE): ${op.name}, ${archive.cases} cases (${statements.length} statements)\n`);
      for (const s of archiveStatements) console.log(`Query: ${s.queryText.slice(0, 600)}\n${s.plan}\n`);
      const indexes = [...new Set(statements.flatMap((s) => s.scans.filter((scan) => !scan.startsWith("Seq Scan"))))];
      const seq = [...new Set(statements.flatMap((s) => s.archiveSeqScans))];
      summary.set(op.name, {
        archiveScans: seq.length === 0 ? "index scans only" : `SEQUENTIAL: ${seq.join(", ")}`,
        indexes: indexes.join("; "),
      });
    }
  } finally {
    await markers.close();
  }
  return summary;
}

async function benchmarkSize(
  pgServer: Awaited<ReturnType<typeof startEmbeddedPostgres>>,
  cases: number,
  serverLog: { text: string; isOn: boolean },
  blobDir: string,
) {
  const database = `mammo_scale_${cases}`;
  await ensureDatabaseExists(pgServer.adminUrl, database);
  const url = new URL(pgServer.url);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  await migrateDatabase(databaseUrl);
  const t0 = performance.now();
  const archive = await generateScaleArchive(databaseUrl, cases, (l) => log(`  ${l}`));
  const figures: Figures = new Map();
  figures.set("archive generated (SQL), s", (ms(t0) / 1000).toFixed(0));
  log(`rows: ${JSON.stringify(archive.rows)}`);

  let api = await startApiProcess({ databaseUrl, blobDir, port: await findFreePort(), secret: SECRET });
  const memory = memorySampler(api);
  try {
    const call = graphqlClient(api.url, databaseUrl);
    const atStart = memory.now();
    await timeOperations(call, archive, figures);
    await timeReports(call, archive, figures, () => cpuOf(api, database));
    await timeNextCase(call, archive, figures, () => cpuOf(api, database));
    figures.set("API process memory (RSS): after start / peak", `${MiB(atStart)} / ${MiB(memory.peak())}`);
    await timeDatasets(call, archive, figures, memory);
  } finally {
    memory.stop();
    await api.stop();
  }

  log("explaining: a second API process with auto_explain on");
  await startPlanCapture(pgServer.adminUrl, database);
  serverLog.isOn = true;
  api = await startApiProcess({ databaseUrl, blobDir, port: await findFreePort(), secret: SECRET });
  let plans: Awaited<ReturnType<typeof explainOperations>>;
  try {
    plans = await explainOperations(archive, graphqlClient(api.url, databaseUrl), databaseUrl, () => serverLog.text);
  } finally {
    await api.stop();
    serverLog.isOn = false;
    serverLog.text = "";
    await stopPlanCapture(pgServer.adminUrl, database);
  }
  const admin = new pg.Client({ connectionString: pgServer.adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE ${admin.escapeIdentifier(database)} WITH (FORCE)`);
  await admin.end();
  return { figures, plans };
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mammo-bench-scale-"));
  await chmod(dir, 0o755);
  const serverLog = { text: "", isOn: false };
  const loadBefore = os.loadavg();
  const pgServer = await startEmbeddedPostgres({
    dataDir: path.join(dir, "pg"),
    port: await findFreePort(),
    database: "postgres",
    password: randomBytes(18).toString("base64url"), // a throw-away cluster
    isEphemeral: true,
    onServerLog: (text) => {
      if (serverLog.isOn) serverLog.text += text.endsWith("\n") ? text : `${text}\n`;
    },
  });
  const results = new Map<number, Awaited<ReturnType<typeof benchmarkSize>>>();
  try {
    for (const cases of SIZES) {
      log(`--- ${cases} cases`);
      results.set(cases, await benchmarkSize(pgServer, cases, serverLog, path.join(dir, "blobs")));
    }
  } finally {
    await pgServer.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const cpus = os.cpus();
  console.log(
    `\nMachine: ${cpus[0]?.model ?? "?"}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${loadBefore.map((l) => l.toFixed(1)).join(" ")} before, ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} after.`,
  );
  console.log(
    `${REPORT_STUDIES} closed studies (report) and 1 open study, ${STUDY_CASES} cases x ${STUDY_READERS} readers each.\n`,
  );
  const sizes = [...results.keys()];
  console.log(
    `| operation (ms, median / max of ${REPEATS}) | ${sizes.map((n) => `${n.toLocaleString("en")} cases`).join(" | ")} |`,
  );
  console.log(`| --- | ${sizes.map(() => "---").join(" | ")} |`);
  for (const name of results.get(sizes[0]!)!.figures.keys())
    console.log(`| ${name} | ${sizes.map((n) => results.get(n)!.figures.get(name) ?? "").join(" | ")} |`);
  const largest = sizes.at(-1)!;
  console.log(
    `\nIndex use at ${largest.toLocaleString("en")} cases (auto_explain, EXPLAIN ANALYZE of every statement):\n`,
  );
  console.log("| operation | archive tables | scans |");
  console.log("| --- | --- | --- |");
  for (const [name, plan] of results.get(largest)!.plans)
    console.log(`| ${name} | ${plan.archiveScans} | ${plan.indexes} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
