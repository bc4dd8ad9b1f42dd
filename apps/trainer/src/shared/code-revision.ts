import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { repoRoot } from "@mammo/db";

let cached: Promise<string> | null = null;

/** The git commit the worker runs (CODE_REVISION when set, e.g. in a container), or "unknown". */
export function codeRevision(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.CODE_REVISION) return Promise.resolve(env.CODE_REVISION);
  cached ??= promisify(execFile)("git", ["rev-parse", "HEAD"], { cwd: repoRoot, timeout: 5000 })
    .then(({ stdout }) => stdout.trim() || "unknown")
    .catch(() => "unknown");
  return cached;
}
