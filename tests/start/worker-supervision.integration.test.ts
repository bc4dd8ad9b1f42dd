import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "@mammo/db";
import { findFreePort } from "@mammo/db/testing";
import { afterAll, describe, expect, it } from "vitest";

// Issue 16, line 13: `npm start` (scripts/start.ts, as it is) with a fresh embedded PostgreSQL;
// its trainer worker killed with SIGKILL in the middle of a training run. The API and the web
// app keep answering, the worker is started again, and the run goes on from its checkpoint.
const SECRET = "supervision-test-secret-0123456789abcdef";
let platform: ChildProcess | null = null;
let output = "";
const dir = mkdtempSync(path.join(os.tmpdir(), "mammo-supervise-"));
chmodSync(dir, 0o755); // as root, the "postgres" OS user must reach the data directory

afterAll(async () => {
  if (platform && platform.exitCode === null) {
    const exited = new Promise((resolve) => platform!.once("exit", resolve));
    platform.kill("SIGTERM");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

async function until<T>(
  what: string,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const workerPids = () =>
  [...output.matchAll(/\[start\] trainer worker started \(pid (\d+)\)/g)].map((m) => Number(m[1]));

describe("npm start supervises its trainer worker", () => {
  it("kill -9 of the worker: the API and the web app still answer, the worker is back and the run resumes", async () => {
    const apiPort = await findFreePort();
    const webPort = await findFreePort();
    // As `npm start` runs it: node --import tsx (the tsx CLI relays SIGTERM as a SIGKILL after 30 ms,
    // which would leave the embedded PostgreSQL and the worker behind).
    platform = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: "",
        API_PORT: String(apiPort),
        WEB_PORT: String(webPort),
        EMBEDDED_PG_PORT: String(await findFreePort()),
        EMBEDDED_PG_DATA_DIR: path.join(dir, "postgres"),
        BLOB_DIR: path.join(dir, "blobs"),
        NEXTAUTH_SECRET: SECRET,
        DEID_SECRET: SECRET,
        NEXTAUTH_URL: `http://localhost:${webPort}`,
        // A dead worker's job is back on the queue within seconds.
        TRAINER_LEASE_GRACE_SECONDS: "2",
        TRAINER_REAP_INTERVAL_MS: "1000",
        TRAINER_POLL_INTERVAL_MS: "200",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    platform.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    platform.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    await until("the platform to start", () => output.includes("Mammo Research Platform is running"), 1_200_000);

    const api = `http://127.0.0.1:${apiPort}`;
    const graphql = async <T>(query: string, variables: Record<string, unknown>, token?: string) => {
      const response = await fetch(`${api}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data!;
    };
    const { login } = await graphql<{ login: { id: string; sessionId: string } }>(
      "mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { id sessionId } }",
      { e: "ml@north.example", p: "demo-password" },
    );
    // A web session's token, as the web app forwards it (next-auth's own encoder; imported by
    // name only, so its Next.js type augmentations stay out of this project's typecheck).
    const nextAuthJwt = "next-auth/jwt";
    const { encode } = (await import(nextAuthJwt)) as {
      encode: (options: { token: Record<string, unknown>; secret: string; maxAge: number }) => Promise<string>;
    };
    const token = await encode({ token: { sub: login.id, sid: login.sessionId }, secret: SECRET, maxAge: 3600 });
    const { datasets } = await graphql<{ datasets: { edges: { node: { versions: { id: string }[] } }[] } }>(
      "{ datasets(first: 10) { edges { node { versions { id } } } } }",
      {},
      token,
    );
    const versionId = datasets.edges.flatMap((e) => e.node.versions)[0]!.id;
    const { requestTrainingRun: run } = await graphql<{ requestTrainingRun: { id: string } }>(
      "mutation ($input: RequestTrainingRunInput!) { requestTrainingRun(input: $input) { id } }",
      {
        input: {
          datasetVersionId: versionId,
          preset: "quick",
          seed: 1,
          params: {
            epochs: 60,
            folds: 1,
            batchSize: 8,
            preprocessing: { inputSize: 32 },
            model: { widthScale: 1 / 32, denseUnits: 8 },
          },
        },
      },
      token,
    );
    const progressOf = async () =>
      (
        await graphql<{
          trainingRun: {
            status: string;
            progress: { epoch?: number; checkpoints?: Record<string, { epochsCompleted: number }> } | null;
          };
        }>("query ($id: ID!) { trainingRun(id: $id) { status progress } }", { id: run.id }, token)
      ).trainingRun;
    // Running, with a checkpoint to resume from.
    await until(
      "the run to checkpoint an epoch",
      async () => ((await progressOf()).progress?.checkpoints?.["0"]?.epochsCompleted ?? 0) >= 2,
      600_000,
    );

    const [first] = workerPids();
    expect(first).toBeGreaterThan(0);
    process.kill(first!, "SIGKILL"); // the worker this test's own `npm start` started
    const killedAt = (await progressOf()).progress!.checkpoints!["0"]!.epochsCompleted;
    await until("the restart", () => workerPids().length >= 2, 60_000);
    expect(output).toMatch(/\[start\] trainer worker stopped unexpectedly \(SIGKILL\); restarting in 1 s/);
    expect(workerPids()[1]).not.toBe(first);
    // The rest of the platform never stopped.
    expect(platform.exitCode).toBeNull();
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${webPort}/sign-in`)).status).toBe(200);
    // The new worker resumes the run from its checkpoint and trains on.
    await until(
      "the run to go on after the restart",
      async () => ((await progressOf()).progress?.checkpoints?.["0"]?.epochsCompleted ?? 0) > killedAt + 1,
      600_000,
    );
    expect(output).toMatch(/resuming fold 0 after epoch \d+/);
    await graphql("mutation ($id: ID!) { cancelTrainingRun(id: $id) { status } }", { id: run.id }, token);
  }, 1_800_000);
});
