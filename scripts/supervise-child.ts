// Keeps a child process of `npm start` running: when it exits on its own (a crash, an OOM kill,
// kill -9), it is started again after a pause that doubles with each quick failure (1 s, 2 s,
// 4 s ... up to a minute) and resets once it has run for a minute. Used for the trainer worker:
// its jobs are leased, so a restarted worker (or any other) takes them up from their checkpoints,
// and nothing else of the platform stops.
import type { ChildProcess } from "node:child_process";

export type Supervised = {
  /** The process now running (null while waiting to restart, or once stopped). */
  current: () => ChildProcess | null;
  /** Stops supervising and the process (SIGTERM, then SIGKILL after `graceMs`). */
  stop: (graceMs?: number) => Promise<void>;
};

export function superviseChild(
  name: string,
  start: () => ChildProcess,
  log: (line: string) => void,
  options: { minDelayMs?: number; maxDelayMs?: number; healthyAfterMs?: number } = {},
): Supervised {
  const minDelay = options.minDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const healthyAfter = options.healthyAfterMs ?? 60_000;
  let delay = minDelay;
  let child: ChildProcess | null = null;
  let timer: NodeJS.Timeout | null = null;
  let isStopping = false;

  const launch = () => {
    timer = null;
    const startedAt = Date.now();
    const launched = start();
    child = launched;
    log(`${name} started (pid ${launched.pid})`);
    launched.on("exit", (code, signal) => {
      if (child === launched) child = null;
      if (isStopping) return;
      if (Date.now() - startedAt >= healthyAfter) delay = minDelay;
      log(`${name} stopped unexpectedly (${signal ?? `exit ${code}`}); restarting in ${delay / 1000} s`);
      timer = setTimeout(launch, delay);
      delay = Math.min(maxDelay, delay * 2);
    });
  };
  launch();

  return {
    current: () => child,
    stop: async (graceMs = 15_000) => {
      isStopping = true;
      if (timer) clearTimeout(timer);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => running.kill("SIGKILL"), graceMs);
        running.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        running.kill("SIGTERM");
      });
    },
  };
}
