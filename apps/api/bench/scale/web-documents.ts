// The GraphQL documents of the web app's pages, read from their source files: the benchmark asks
// exactly what the pages ask, and follows them when they change. Read, not imported (an app never
// imports another app, and the pages are React modules).
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "@mammo/db";

const WEB_SRC = path.join(repoRoot, "apps/web/src");

/** Every template literal of a file, by the constant it is assigned to (`const NAME = ...`), and all of them in order. */
function templateLiterals(file: string) {
  const text = readFileSync(path.join(WEB_SRC, file), "utf8");
  const named = new Map<string, string>();
  const all: string[] = [];
  for (const match of text.matchAll(/(?:const (\w+) = (?:\/\* GraphQL \*\/ )?)?`((?:[^`\\]|\\.)*)`/g)) {
    all.push(match[2]!);
    if (match[1]) named.set(match[1], match[2]!);
  }
  const imports = [...text.matchAll(/import \{([^}]*)\} from "@\/([\w/-]+)"/g)].flatMap((m) =>
    m[1]!.split(",").map((name) => [name.replace(/\btype\b/, "").trim(), `${m[2]}.ts`] as const),
  );
  return { named, all, imports: new Map(imports) };
}

/** Fills `${NAME}` from the file's own constants, or from the web module it imports NAME from. */
function resolve(template: string, file: string): string {
  const { named, imports } = templateLiterals(file);
  return template.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    if (named.has(name)) return resolve(named.get(name)!, file);
    const from = imports.get(name);
    const value = from ? templateLiterals(from).named.get(name) : undefined;
    if (value === undefined) throw new Error(`${file}: cannot resolve \${${name}} in a GraphQL document`);
    return resolve(value, from!);
  });
}

/**
 * A web page's GraphQL document: the constant `name` of `file` (relative to apps/web/src), or,
 * for a document written inline, the first template literal that contains `name`.
 */
export function webDocument(file: string, name: string): string {
  const { named, all } = templateLiterals(file);
  const template = named.get(name) ?? all.find((t) => t.includes(name));
  if (template === undefined) throw new Error(`${file}: no GraphQL document ${name}`);
  return resolve(template, file);
}
