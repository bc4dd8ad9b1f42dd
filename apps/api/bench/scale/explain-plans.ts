// EXPLAIN (ANALYZE) of the statements the API really runs: PostgreSQL's auto_explain module logs
// the plan of every statement of the bench database (turned on for a second API process only, so
// the timings are not measured with it), and markers split the server log by operation.
import pg from "pg";

/** Tables that grow with the archive: a sequential scan of one of these is what an index must prevent. */
export const ARCHIVE_TABLES = [
  "Patient",
  "Case",
  "Image",
  "Finding",
  "Breast",
  "PathologyLabel",
  "ConsensusDecision",
  "Annotation",
  "AuditEvent",
  "StudyCase",
  "ReaderCaseOrder",
  "Read",
  "Prediction",
  "SaliencyMap",
  "DatasetItem",
];

export type ExplainedStatement = { queryText: string; plan: string; scans: string[]; archiveSeqScans: string[] };

const PLAN_START = /^.*LOG:\s+duration: [\d.]+ ms\s+plan:\s*$/;
const SCAN =
  /(Index Only Scan(?: Backward)?|Index Scan(?: Backward)?|Bitmap Index Scan|Seq Scan) (?:using "?([\w]+)"? )?on "?([\w]+)"?/g;

/** Splits auto_explain's log text into statements with their plans and scan nodes. */
export function parseAutoExplainLog(text: string): ExplainedStatement[] {
  const statements: ExplainedStatement[] = [];
  let current: string[] | null = null;
  const finish = () => {
    if (!current) return;
    const lines = current.map((l) => l.replace(/^\t/, ""));
    const queryStart = lines.findIndex((l) => l.startsWith("Query Text:"));
    const planStart = lines.findIndex((l, i) => i > queryStart && /^\S.*\(cost=|^\S.*\(actual/.test(l));
    const queryText = lines
      .slice(queryStart, planStart < 0 ? undefined : planStart)
      .join(" ")
      .replace(/^Query Text:\s*/, "")
      .replace(/\s+/g, " ");
    const plan = planStart < 0 ? "" : lines.slice(planStart).join("\n");
    const scans = [...plan.matchAll(SCAN)].map((m) => (m[2] ? `${m[1]} ${m[2]} on ${m[3]}` : `${m[1]} on ${m[3]}`));
    statements.push({
      queryText,
      plan,
      scans,
      archiveSeqScans: scans.filter((s) => s.startsWith("Seq Scan") && ARCHIVE_TABLES.includes(s.split(" on ")[1]!)),
    });
    current = null;
  };
  for (const line of text.split("\n")) {
    if (PLAN_START.test(line)) {
      finish();
      current = [];
    } else if (current && (line.startsWith("\t") || line.startsWith(" "))) current.push(line);
    else if (current && line.trim() !== "") finish();
  }
  finish();
  return statements;
}

/**
 * Turns auto_explain on for new sessions of a database (every statement's plan, with actual rows
 * and times) and collects the server's log; `between` returns the statements one operation ran.
 */
export async function startPlanCapture(adminUrl: string, database: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const db = admin.escapeIdentifier(database);
    await admin.query(`ALTER DATABASE ${db} SET session_preload_libraries = 'auto_explain'`);
    await admin.query(`ALTER DATABASE ${db} SET auto_explain.log_min_duration = 0`);
    await admin.query(`ALTER DATABASE ${db} SET auto_explain.log_analyze = on`);
    await admin.query(`ALTER DATABASE ${db} SET auto_explain.log_format = 'text'`);
  } finally {
    await admin.end();
  }
}

export async function stopPlanCapture(adminUrl: string, database: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(database)} RESET ALL`);
  } finally {
    await admin.end();
  }
}

/** A marker statement in the bench database's log, and a wait until the server has written it. */
export function createLogMarkers(databaseUrl: string, serverLog: () => string) {
  let client: pg.Client | null = null;
  return {
    async mark(label: string): Promise<number> {
      if (!client) {
        client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
      }
      // Letters, digits and dashes only: the log shows the statement's text, quotes escaped.
      const tag = `bench-marker ${label.replace(/[^A-Za-z0-9]+/g, "-")} ${Date.now()}`;
      await client.query(`SELECT ${client.escapeLiteral(tag)}`);
      for (let i = 0; i < 1200; i++) {
        const at = serverLog().indexOf(tag);
        if (at >= 0) return serverLog().lastIndexOf("\n", at);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`the server log never showed the marker ${label}`);
    },
    async close() {
      await client?.end();
    },
  };
}
