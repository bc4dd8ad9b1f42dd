// The dependency rules of ARCHITECTURE.md ("Dependency graph"), checked on the import graph:
// apps on top, packages below; no app depends on another app, no package on an app, and nothing
// reaches into another workspace by relative path (it imports the package by name, through its
// declared entries).
import path from "node:path";
import { importsOf, type Workspace } from "./import-graph.ts";

export type SourceText = { file: string; text: string };

const workspaceOf = (workspaces: readonly Workspace[], file: string) =>
  workspaces.find((w) => file === w.dir || file.startsWith(`${w.dir}/`));

const packageNameOf = (specifier: string) =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;

/** package.json: no app lists another app; no package lists an app. */
export function manifestViolations(workspaces: readonly Workspace[]): string[] {
  const apps = new Set(workspaces.filter((w) => w.kind === "app").map((w) => w.name));
  return workspaces.flatMap((w) =>
    w.dependencies
      .filter((dep) => apps.has(dep) && dep !== w.name)
      .map((dep) => `${w.dir}/package.json: ${w.kind === "app" ? "an app" : "a package"} depends on the app ${dep}`),
  );
}

/** Imports in workspace sources that break the rules (files outside apps/ and packages/ are free). */
export function importViolations(workspaces: readonly Workspace[], sources: readonly SourceText[]): string[] {
  const byName = new Map(workspaces.map((w) => [w.name, w]));
  const violations: string[] = [];
  for (const { file, text } of sources) {
    const own = workspaceOf(workspaces, file);
    if (!own) continue;
    for (const edge of importsOf(file, text)) {
      let target: Workspace | undefined;
      if (edge.specifier.startsWith(".")) {
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), edge.specifier));
        target = workspaceOf(workspaces, resolved);
        if (target && target !== own) {
          violations.push(`${file}: reaches into ${target.dir} by path ("${edge.specifier}"); import ${target.name}`);
          continue;
        }
        if (!target && !resolved.startsWith(`${own.dir}/`) && /^(apps|packages)\//.test(resolved)) {
          violations.push(`${file}: imports ${resolved}, outside any workspace`);
        }
        continue;
      }
      target = byName.get(packageNameOf(edge.specifier));
      if (!target || target === own) continue;
      if (target.kind === "app")
        violations.push(
          `${file}: ${own.kind === "app" ? "an app" : "a package"} imports the app ${target.name} ("${edge.specifier}")`,
        );
      else if (!own.dependencies.includes(target.name))
        violations.push(`${file}: imports ${target.name}, which ${own.dir}/package.json does not list`);
    }
  }
  return violations;
}

/**
 * The run-time (non-type) imports reachable from an entry file, as package names: what loading
 * that entry loads. Relative imports are followed; so are workspace packages, through
 * `resolveWorkspace` (specifier -> entry file, null for a package outside the workspace).
 * `read` gives a file's text.
 */
export function runtimeImportsFrom(
  entry: string,
  read: (file: string) => string,
  resolveWorkspace: (specifier: string) => string | null,
): Set<string> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const edge of importsOf(file, read(file))) {
      if (edge.isTypeOnly) continue;
      if (edge.specifier.startsWith(".")) {
        visit(path.posix.normalize(path.posix.join(path.posix.dirname(file), edge.specifier)));
        continue;
      }
      external.add(packageNameOf(edge.specifier));
      const workspaceEntry = resolveWorkspace(edge.specifier);
      if (workspaceEntry) visit(workspaceEntry);
    }
  };
  visit(entry);
  return external;
}
