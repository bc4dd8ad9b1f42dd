// `npm start`: the whole platform on one machine. PostgreSQL (embedded unless DATABASE_URL is
// set), migrations, demo data on an empty embedded database (a DATABASE_URL only with --demo or
// DEMO_SEED=1), then the API (production behaviour unless NODE_ENV=development), the web app and
// a trainer worker (restarted when it dies). Ctrl-C stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import {
  assertHttpPortUsable,
  assertPortFree,
  createPrismaClient,
  DatabaseSetupError,
  ensurePrivateDir,
  localDataDir,
  localSecret,
  migrateDatabase,
  repoRoot,
  resolveDatabase,
  type ResolvedDatabase,
} from "@mammo/db";
import { createBlobStoreFromEnv } from "@mammo/storage";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../apps/api/src/seed/demo-seed.ts";
import { seedDemoIfWanted } from "../apps/api/src/seed/demo-seed-policy.ts";
import { superviseChild, type Supervised } from "./supervise-child.ts";

const apiPort = Number(process.env.API_PORT ?? 4000);
const webPort = Number(process.env.WEB_PORT ?? 3000);
const log = (line: string) => console.log(`[start] ${line}`);

class StartError extends Error {}

/**
 * The installation's folder (DATA_DIR, default .data/) made private, and the secrets that must
 * survive restarts (sessions, de-identification): from the environment, else .data/secrets.json
 * (generated there on first start, mode 0600; the embedded PostgreSQL's password is kept there too).
 */
function prepareLocalData(): { sessionSecret: string; deidSecret: string } {
  const dataDir = localDataDir(repoRoot);
  ensurePrivateDir(dataDir);
  if (!process.env.S3_BUCKET && !process.env.BLOB_DIR)
    ensurePrivateDir(path.join(dataDir, "blobs"), { isOnPostgresPath: false });
  return {
    sessionSecret: process.env.NEXTAUTH_SECRET || localSecret(dataDir, "sessionSecret"),
    deidSecret: process.env.DEID_SECRET || localSecret(dataDir, "deidSecret"),
  };
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      stdio: "inherit",
    });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new StartError(`${command} ${args.join(" ")} failed (exit ${code})`)),
    );
    child.on("error", reject);
  });
}

// A limit, not a speed check: a first start on a loaded 2-core machine (CI, a fresh clone) loads
// the API's TypeScript cold, and 120 s was seen to run out.
async function waitForHttp(url: string, what: string, child: ChildProcess, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new StartError(`${what} exited during start-up (exit ${child.exitCode})`);
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new StartError(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

async function main() {
  const secrets = prepareLocalData();
  await assertPortFree(apiPort, "API");
  await assertPortFree(webPort, "web app");
  await assertHttpPortUsable(apiPort, "API");
  await assertHttpPortUsable(webPort, "web app");

  let database: ResolvedDatabase | undefined;
  const children: { name: string; child: ChildProcess }[] = [];
  let worker: Supervised | null = null;
  let isStopping = false;
  const stopAll = async (code: number) => {
    if (isStopping) return;
    isStopping = true;
    log("stopping…");
    await Promise.all([
      worker?.stop(),
      ...children.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill("SIGTERM");
          }),
      ),
    ]);
    await database?.stop();
    log("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  try {
    database = await resolveDatabase({ rootDir: repoRoot, log: (l) => log(l) });
    log(
      database.isEmbedded
        ? `embedded PostgreSQL ready (data in ${process.env.EMBEDDED_PG_DATA_DIR ?? path.join(localDataDir(repoRoot), "postgres")})`
        : "using DATABASE_URL",
    );
    const result = await migrateDatabase(database.url, { log: (l) => log(l) });
    log(`database schema up to date (${result.applied.length} new migrations)`);
    const db = createPrismaClient(database.url, { maxConnections: 2 });
    let hasDemoAccounts: boolean;
    try {
      // Demo accounts (a published password) only in the embedded database, or when asked for.
      const request = {
        isEmbedded: database.isEmbedded,
        hasDemoFlag: process.argv.includes("--demo"),
        demoSeedEnv: process.env.DEMO_SEED,
      };
      await seedDemoIfWanted(db, createBlobStoreFromEnv(repoRoot), request, (l) => log(l));
      hasDemoAccounts = (await db.user.count({ where: { email: DEMO_ACCOUNTS[0]!.email } })) > 0;
    } finally {
      await db.$disconnect();
    }

    // The production build of the web app; turbo skips it when nothing changed.
    log("building the web app (cached after the first start)…");
    await run("npx", ["turbo", "run", "build", "--filter=@mammo/web", "--output-logs=errors-only"], {
      env: { TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" },
    });

    const shared = {
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: secrets.sessionSecret,
      DEID_SECRET: secrets.deidSecret,
    };
    const startChild = (name: string, args: string[], env: NodeJS.ProcessEnv, cwd = repoRoot) => {
      const child = spawn(process.execPath, args, {
        cwd,
        env: { ...process.env, ...shared, ...env },
        stdio: "inherit",
      });
      children.push({ name, child });
      child.on("exit", (code, signal) => {
        if (!isStopping) {
          console.error(`[start] ${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping everything`);
          void stopAll(1);
        }
      });
      return child;
    };
    // `node --import tsx`, one process each, not the tsx CLI: the CLI relays a SIGTERM to its child
    // and, when the child has not acknowledged it within 30 ms (a loaded machine), kills it with
    // SIGKILL, so the worker could not finish its batch and give its job back.
    // Production behaviour (no introspection, no field suggestions) unless NODE_ENV=development.
    const api = startChild("API", ["--import", "tsx", "apps/api/src/main.ts"], {
      API_PORT: String(apiPort),
      NODE_ENV: process.env.NODE_ENV === "development" ? "development" : "production",
    });
    // The worker is restarted when it dies (with backoff); the rest of the platform goes on.
    worker = superviseChild(
      "trainer worker",
      () =>
        spawn(process.execPath, ["--import", "tsx", "apps/trainer/src/worker/main.ts"], {
          cwd: repoRoot,
          env: { ...process.env, ...shared },
          stdio: "inherit",
        }),
      log,
    );
    // The web app only once the API answers: its sign-in page cannot sign anyone in before, and
    // whoever waits for that page (a person, the e2e tests) takes it to mean the platform is up.
    await waitForHttp(`http://localhost:${apiPort}/healthz`, "API", api);
    const nextBin = path.join(repoRoot, "node_modules/next/dist/bin/next");
    const web = startChild(
      "web app",
      [nextBin, "start", "--port", String(webPort)],
      {
        API_URL: `http://localhost:${apiPort}`,
        NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${webPort}`,
        NEXT_TELEMETRY_DISABLED: "1",
      },
      path.join(repoRoot, "apps/web"),
    );
    await waitForHttp(`http://localhost:${webPort}/sign-in`, "web app", web);
    const width = Math.max(...DEMO_ACCOUNTS.map((a) => a.email.length));
    console.log(
      [
        "",
        "  Mammo Research Platform is running",
        `    web app   http://localhost:${webPort}`,
        `    API       http://localhost:${apiPort}/graphql`,
        "    worker    trainer worker on the PostgreSQL job queue (restarted if it dies)",
        "",
        ...(hasDemoAccounts
          ? [
              `  Demo accounts (password: ${DEMO_PASSWORD})`,
              ...DEMO_ACCOUNTS.map(
                (a) => `    ${a.email.padEnd(width)}  ${a.role} at ${[a.site, ...(a.alsoAt ?? [])].join(", ")}`,
              ),
              "",
            ]
          : []),
        "  Ctrl-C stops everything.",
        "",
      ].join("\n"),
    );
  } catch (error) {
    const message =
      error instanceof DatabaseSetupError || error instanceof StartError
        ? error.message
        : error instanceof Error
          ? error.message
          : String(error);
    console.error(`[start] error: ${message}`);
    if (!(error instanceof DatabaseSetupError || error instanceof StartError)) console.error(error);
    await stopAll(1);
  }
}

void main().catch((error: unknown) => {
  console.error(`[start] error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
