import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importViolations, manifestViolations, runtimeImportsFrom } from "./boundaries.ts";
import { readWorkspaces, sourceFiles, type Workspace } from "./import-graph.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const workspaces = readWorkspaces(root);
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

describe("the dependency graph of ARCHITECTURE.md", () => {
  it("finds the workspaces: three apps above the packages", () => {
    expect(workspaces.filter((w) => w.kind === "app").map((w) => w.dir)).toEqual([
      "apps/api",
      "apps/trainer",
      "apps/web",
    ]);
    expect(workspaces.filter((w) => w.kind === "package").length).toBeGreaterThanOrEqual(8);
  });

  it("no app's package.json lists another app; no package lists an app", () => {
    expect(manifestViolations(workspaces)).toEqual([]);
  });

  it("no app imports another app, no package imports an app, nothing reaches into another workspace by path", () => {
    const sources = workspaces.flatMap((w) => sourceFiles(root, w.dir).map((file) => ({ file, text: read(file) })));
    expect(sources.length).toBeGreaterThan(300);
    expect(importViolations(workspaces, sources)).toEqual([]);
  });

  describe("fails on planted violations", () => {
    const planted: Workspace[] = [
      { kind: "app", dir: "apps/api", name: "@mammo/api", dependencies: ["@mammo/db", "@mammo/trainer"] },
      { kind: "app", dir: "apps/trainer", name: "@mammo/trainer", dependencies: ["@mammo/db"] },
      { kind: "app", dir: "apps/web", name: "@mammo/web", dependencies: [] },
      { kind: "package", dir: "packages/db", name: "@mammo/db", dependencies: ["@mammo/web"] },
      { kind: "package", dir: "packages/storage", name: "@mammo/storage", dependencies: [] },
    ];

    it("in package.json", () => {
      expect(manifestViolations(planted)).toEqual([
        "apps/api/package.json: an app depends on the app @mammo/trainer",
        "packages/db/package.json: a package depends on the app @mammo/web",
      ]);
    });

    it("in imports, static, re-exported, dynamic and by path", () => {
      const violations = importViolations(planted, [
        { file: "apps/api/src/a.ts", text: 'import { summarise } from "@mammo/trainer/concordance";' },
        { file: "apps/api/src/b.ts", text: 'export { x } from "../../trainer/src/x.ts";' },
        { file: "apps/web/src/c.tsx", text: 'const m = await import("@mammo/api");' },
        { file: "packages/db/src/d.ts", text: 'import type { Page } from "../../../apps/web/src/page.tsx";' },
        { file: "packages/db/src/e.ts", text: 'import { put } from "@mammo/storage";' },
        { file: "packages/db/src/f.ts", text: 'import { ok } from "./f-helper.ts"; import pg from "pg";' },
      ]);
      expect(violations).toEqual([
        'apps/api/src/a.ts: an app imports the app @mammo/trainer ("@mammo/trainer/concordance")',
        'apps/api/src/b.ts: reaches into apps/trainer by path ("../../trainer/src/x.ts"); import @mammo/trainer',
        'apps/web/src/c.tsx: an app imports the app @mammo/api ("@mammo/api")',
        'packages/db/src/d.ts: reaches into apps/web by path ("../../../apps/web/src/page.tsx"); import @mammo/web',
        "packages/db/src/e.ts: imports @mammo/storage, which packages/db/package.json does not list",
      ]);
    });
  });
});

describe("entries that must not load TensorFlow.js", () => {
  const resolveWorkspace = (specifier: string): string | null => {
    const workspace = workspaces.find((w) => specifier === w.name || specifier.startsWith(`${w.name}/`));
    if (!workspace) return null;
    const manifest = JSON.parse(read(`${workspace.dir}/package.json`)) as {
      main?: string;
      exports?: Record<string, string>;
    };
    const subpath = `.${specifier.slice(workspace.name.length)}`;
    const target = manifest.exports?.[subpath] ?? (subpath === "." ? manifest.main : undefined);
    if (!target) throw new Error(`${specifier} is not an entry of ${workspace.dir}/package.json`);
    return path.posix.join(workspace.dir, target);
  };

  // The API and the web app load these; TensorFlow.js belongs to the trainer only.
  it.each([
    "@mammo/ml-core/presets",
    "@mammo/ml-core/errors",
    "@mammo/ml-core/phantoms",
    "@mammo/ml-core/heatmap-png",
    "@mammo/dicomweb",
    "@mammo/concordance",
    "@mammo/study-stats",
    "@mammo/wire-formats",
  ])("%s", (entry) => {
    const loaded = runtimeImportsFrom(resolveWorkspace(entry)!, read, resolveWorkspace);
    expect([...loaded].filter((name) => name.startsWith("@tensorflow/"))).toEqual([]);
  });

  it("the wire formats load nothing at all (the browser and Node.js both run them)", () => {
    expect([...runtimeImportsFrom(resolveWorkspace("@mammo/wire-formats")!, read, resolveWorkspace)]).toEqual([]);
  });

  it("the check sees TensorFlow.js where it is loaded (ml-core's main entry)", () => {
    const loaded = runtimeImportsFrom(resolveWorkspace("@mammo/ml-core")!, read, resolveWorkspace);
    expect(loaded).toContain("@tensorflow/tfjs");
  });
});
