// The workspace's import graph, read with the TypeScript parser: which file imports what, and
// whether an import is for types only (erased at run time).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export type Workspace = { kind: "app" | "package"; dir: string; name: string; dependencies: string[] };

export type ImportEdge = { from: string; specifier: string; isTypeOnly: boolean };

/** Every apps/* and packages/* folder with a package.json, with the workspace packages it depends on. */
export function readWorkspaces(root: string): Workspace[] {
  return (["apps", "packages"] as const).flatMap((top) =>
    readdirSync(path.join(root, top), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => {
        const dir = `${top}/${entry.name}`;
        let manifest: Record<string, Record<string, string> | string | undefined>;
        try {
          manifest = JSON.parse(readFileSync(path.join(root, dir, "package.json"), "utf8"));
        } catch {
          return []; // a folder without package.json is not a workspace
        }
        const deps = { ...(manifest.dependencies as object), ...(manifest.devDependencies as object) };
        return [
          {
            kind: top === "apps" ? ("app" as const) : ("package" as const),
            dir,
            name: manifest.name as string,
            dependencies: Object.keys(deps),
          },
        ];
      }),
  );
}

/** The imports of one source text: static, re-exports, dynamic import() and require() with a literal. */
export function importsOf(fileName: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX);
  const edges: ImportEdge[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : null;
      const isTypeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name && !!named && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
      edges.push({ from: fileName, specifier: node.moduleSpecifier.text, isTypeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause : null;
      const isTypeOnly = node.isTypeOnly || (!!named && named.elements.every((e) => e.isTypeOnly));
      edges.push({ from: fileName, specifier: node.moduleSpecifier.text, isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      edges.push({ from: fileName, specifier: node.arguments[0].text, isTypeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;
const SKIP = new Set(["node_modules", ".next", "dist", "generated", "build", ".turbo"]);

/** Source files below a folder (relative to root), skipping build output and dependencies. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name)) walk(child);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(child);
    }
  };
  walk(dir);
  return out;
}
