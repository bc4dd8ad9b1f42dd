// The API as its own OS process for the benchmarks (production settings), and what /proc says
// about a process: CPU time and memory.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { repoRoot } from "@mammo/db";

export type ApiProcess = { child: ChildProcess; url: string; stop: () => Promise<void> };

export async function startApiProcess(options: {
  databaseUrl: string;
  blobDir: string;
  port: number;
  secret: string;
  /** Extra node flags, e.g. "--cpu-prof". */
  nodeArgs?: string[];
}): Promise<ApiProcess> {
  // One process (tsx as a loader, not its CLI, which would start a second node process).
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", "apps/api/src/main.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      API_PORT: String(options.port),
      NEXTAUTH_SECRET: options.secret,
      BLOB_DIR: options.blobDir,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };
  const url = `http://127.0.0.1:${options.port}`;
  for (let i = 0; i < 480; i++) {
    if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error("the API did not start within 120 s");
}

/**
 * CPU seconds a process has used so far (user + system, from /proc on Linux; null elsewhere): on a
 * shared machine, CPU per request says more about the API than wall-clock latency does.
 */
export function cpuSecondsOf(pid: number | undefined): number | null {
  return pid === undefined ? null : (processTimes(pid)?.own ?? null);
}

/** utime, stime, cutime, cstime of a process in seconds, and its parent (from /proc; null elsewhere). */
function processTimes(pid: number) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const seconds = (i: number) => Number(fields[i]) / 100; // clock ticks (USER_HZ = 100)
    return { ppid: Number(fields[1]), own: seconds(11) + seconds(12), children: seconds(13) + seconds(14) };
  } catch {
    return null;
  }
}

const postmasters = new Map<string, number>();

/**
 * CPU seconds of the PostgreSQL server that serves a database (found by a backend whose process
 * title names it): its live processes and those that have ended (the postmaster's reaped
 * children: parallel query workers and closed connections, which a sum over live backends loses).
 */
export function postgresCpuSeconds(database: string): number | null {
  try {
    const pids = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
    let postmaster = postmasters.get(database);
    for (const pid of postmaster === undefined ? pids : []) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(database)) postmaster = processTimes(pid)?.ppid;
      } catch {
        // the process ended
      }
      if (postmaster !== undefined) break;
    }
    const server = postmaster === undefined ? null : processTimes(postmaster);
    if (!server) return null;
    postmasters.set(database, postmaster!);
    let total = server.own + server.children;
    for (const pid of pids) {
      const times = processTimes(pid);
      if (times && times.ppid === postmaster) total += times.own;
    }
    return total;
  } catch {
    return null;
  }
}

/** Resident memory of a process in bytes (VmRSS from /proc on Linux; null elsewhere). */
export function rssBytesOf(pid: number | undefined): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    return line ? Number(line.split(/\s+/)[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
