// `npm run bench:neighbours`: the case page's previous / next / next unlabelled case at 100 000
// cases, as the API asks for them (caseNeighbours, through Prisma), against the query it asked
// before (an OR over accession key and id, which no index can answer in order), with and without
// the (accessionKey, id) index, in one run. A fresh embedded PostgreSQL; the archive is cases and
// patients only, made with SQL: the neighbour queries read nothing else.
//
// Settings (environment): BENCH_NEIGHBOURS_CASES (100000), BENCH_NEIGHBOURS_SAMPLES (25).
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  createPrismaClient,
  ensureDatabaseExists,
  migrateDatabase,
  startEmbeddedPostgres,
  type Db,
  type Prisma,
} from "@mammo/db";
import { findFreePort } from "@mammo/db/testing";
import type { Viewer } from "../../src/auth/viewer.ts";
import { percentile } from "../api-process.ts";
import { caseNeighbours } from "../../src/modules/cases/case.service.ts";
import { visibleCasesWhere } from "@mammo/access";
import { labelStatusWhere } from "../../src/modules/pathology/case-truth.ts";

const CASES = Number(process.env.BENCH_NEIGHBOURS_CASES ?? 100_000);
const SAMPLES = Number(process.env.BENCH_NEIGHBOURS_SAMPLES ?? 25);
const ROUNDS = 3;
const log = (line: string) => console.log(`[bench:neighbours] ${line}`);

type Current = { id: string; accessionKey: string };

/** The query before this change (f31d5e4): the same rule, written as an OR of the two orders. */
async function neighboursBefore(db: Db, viewer: Viewer, current: Current) {
  const after: Prisma.CaseWhereInput = {
    OR: [
      { accessionKey: { gt: current.accessionKey } },
      { accessionKey: current.accessionKey, id: { gt: current.id } },
    ],
  };
  const before: Prisma.CaseWhereInput = {
    OR: [
      { accessionKey: { lt: current.accessionKey } },
      { accessionKey: current.accessionKey, id: { lt: current.id } },
    ],
  };
  const visible = visibleCasesWhere(viewer);
  const unlabelled = labelStatusWhere("UNLABELLED");
  const first = (where: Prisma.CaseWhereInput[], direction: "asc" | "desc") =>
    db.case.findFirst({
      where: { AND: [visible, ...where] },
      orderBy: [{ accessionKey: direction }, { id: direction }],
      include: { patient: { select: { pseudonym: true } } },
    });
  const [previous, next, nextUnlabelled] = await Promise.all([
    first([before], "desc"),
    first([after], "asc"),
    first([after, unlabelled], "asc"),
  ]);
  const wrapped = nextUnlabelled ?? (await first([unlabelled, { id: { not: current.id } }], "asc"));
  return { previous, next, nextUnlabelled: wrapped };
}

async function generate(db: Db) {
  // Three sites; the viewer works at two of them (as bench:scale's staff). One case in ten is
  // unlabelled; one key in a hundred is used at two sites (the order then goes by id).
  await db.$executeRawUnsafe(
    `INSERT INTO "Site" (code, name) VALUES ('NORTH', 'North'), ('SOUTH', 'South'), ('EAST', 'East')`,
  );
  await db.$executeRawUnsafe(`
    WITH s AS (SELECT id, code FROM "Site"),
    n AS (
      SELECT i, CASE WHEN i % 10 < 6 THEN 'NORTH' WHEN i % 10 < 9 THEN 'SOUTH' ELSE 'EAST' END AS site,
             'A-' || lpad(((i * 7919) % ${CASES})::text, 7, '0') || CASE WHEN i % 100 = 0 THEN '' ELSE '-' || (i % 3) END AS key
      FROM generate_series(1, ${CASES}) i
    ),
    p AS (
      INSERT INTO "Patient" ("siteId", pseudonym, "dateShiftDays")
      SELECT s.id, 'P-' || n.i, 0 FROM n JOIN s ON s.code = n.site
      RETURNING id, "siteId", pseudonym
    )
    INSERT INTO "Case" ("siteId", "patientId", "accessionKey", "truthStatus", "updatedAt")
    SELECT p."siteId", p.id, n.key, (CASE WHEN n.i % 10 = 3 THEN 'UNLABELLED' ELSE 'LABELLED' END)::"TruthStatus", now()
    FROM p JOIN n ON p.pseudonym = 'P-' || n.i
    ON CONFLICT DO NOTHING`);
  await db.$executeRawUnsafe(`ANALYZE`);
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => percentile(sorted(xs), 50);
const p95 = (xs: number[]) => percentile(sorted(xs), 95);

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mammo-bench-neighbours-"));
  await chmod(dir, 0o755);
  const pgServer = await startEmbeddedPostgres({
    dataDir: path.join(dir, "pg"),
    port: await findFreePort(),
    database: "postgres",
    password: randomBytes(18).toString("base64url"), // a throw-away cluster
    isEphemeral: true,
  });
  try {
    await ensureDatabaseExists(pgServer.adminUrl, "mammo_neighbours");
    const url = new URL(pgServer.url);
    url.pathname = "/mammo_neighbours";
    await migrateDatabase(url.toString());
    const db = createPrismaClient(url.toString());
    const t0 = performance.now();
    await generate(db);
    const total = await db.case.count();
    log(`${total} cases at 3 sites, ${Math.round(performance.now() - t0)} ms to generate`);
    const sites = await db.site.findMany({ where: { code: { in: ["NORTH", "SOUTH"] } } });
    const user = await db.user.create({ data: { email: "bench@example.org", name: "Bench" } });
    const viewer: Viewer = {
      userId: user.id,
      memberships: sites.map((s) => ({ siteId: s.id, role: "ANNOTATOR" as const })),
      email: user.email,
      name: user.name,
      via: "session",
      session: null,
    };
    // Cases spread over the list (TABLESAMPLE would favour pages; an ordered pick is even).
    const visible = await db.case.count({ where: { siteId: { in: sites.map((s) => s.id) } } });
    const samples: Current[] = [];
    for (let k = 0; k < SAMPLES; k++) {
      const c = await db.case.findFirstOrThrow({
        where: { siteId: { in: sites.map((s) => s.id) } },
        orderBy: [{ accessionKey: "asc" }, { id: "asc" }],
        skip: Math.floor(((k + 0.5) * visible) / SAMPLES),
        select: { id: true, accessionKey: true },
      });
      samples.push(c);
    }
    // Both forms must name the same cases.
    for (const c of samples) {
      const [a, b] = [await neighboursBefore(db, viewer, c), await caseNeighbours(db, viewer, c)];
      const ids = (n: {
        previous: { id: string } | null;
        next: { id: string } | null;
        nextUnlabelled: { id: string } | null;
      }) => [n.previous?.id, n.next?.id, n.nextUnlabelled?.id].join();
      if (ids(a) !== ids(b)) throw new Error(`the two forms disagree at ${c.accessionKey}: ${ids(a)} / ${ids(b)}`);
    }
    log(
      `${visible} cases visible to the viewer (two sites); ${SAMPLES} cases spread over the list; both forms name the same neighbours`,
    );

    const time = async (form: "before" | "after") => {
      const out: number[] = [];
      for (let round = 0; round < ROUNDS; round++)
        for (const c of samples) {
          const t = performance.now();
          await (form === "before" ? neighboursBefore(db, viewer, c) : caseNeighbours(db, viewer, c));
          out.push(performance.now() - t);
        }
      return out;
    };
    const rows: [string, number[]][] = [];
    await db.$executeRawUnsafe(`DROP INDEX "Case_accessionKey_id_idx"`);
    rows.push(["without the (accessionKey, id) index: the query before (today's path)", await time("before")]);
    rows.push(["without the index: this change's query", await time("after")]);
    await db.$executeRawUnsafe(`CREATE INDEX "Case_accessionKey_id_idx" ON "Case"("accessionKey", "id")`);
    await db.$executeRawUnsafe(`ANALYZE "Case"`);
    rows.push(["with the index: the query before", await time("before")]);
    rows.push(["with the index: this change's query (this change)", await time("after")]);
    log(`one case page's neighbours (3-4 queries), ms over ${ROUNDS} x ${SAMPLES} cases: median / p95 / max`);
    for (const [name, xs] of rows)
      log(`  ${name}: ${median(xs).toFixed(1)} / ${p95(xs).toFixed(1)} / ${Math.max(...xs).toFixed(1)}`);
    log(`ratio, today's path to this change (medians): ${(median(rows[0]![1]) / median(rows[3]![1])).toFixed(1)}x`);
    await db.$disconnect();
  } finally {
    await pgServer.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
