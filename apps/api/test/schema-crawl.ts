// Crawls the query side of the schema the way a client could, to the API's depth limit: every
// root field (with candidate ids as arguments), then every object field below the objects that
// came back, path by path. Each (field, object) edge is followed once, so the walk ends; a path
// the API refuses as too large even one field at a time cannot be asked by any client either.
// Used by the blinding test (canaries in any response) and the authorisation matrix (every
// nested object also visible through its node lookup).
import {
  getNamedType,
  isEnumType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import type { GraphQLResult } from "./harness.ts";
import type { RootCall } from "./schema-walk.ts";

type Step = { field: string; onType?: string };
type Path = { root: RootCall; calls: RootCall["calls"]; steps: Step[]; type: GraphQLNamedType };
type Json = Record<string, unknown>;

/** One object that came back, the type and field it came through, and its place. */
export type Reached = { parentType: string; field: string; object: Json };

export type CrawlReport = {
  /** Per root field: requests sent, answers with data, error codes seen. */
  roots: Map<string, { requests: number; withData: number; codes: Map<string, number> }>;
  /** Paths refused as too large even one field at a time (no client can ask them). */
  beyondLimits: string[];
  /** The deepest path followed (root field = 1). */
  deepest: number;
  requests: number;
};

const LIMIT_CODES = new Set(["QUERY_TOO_COMPLEX", "GRAPHQL_PARSE_FAILED"]);
const isTooLarge = (result: GraphQLResult) =>
  (result.errors ?? []).some(
    (e) => LIMIT_CODES.has(e.extensions?.code ?? "") || /too (large|complex|many)|tokens/i.test(e.message),
  );

const fieldsOf = (type: GraphQLObjectType) =>
  Object.values(type.getFields()).filter(
    (f: GraphQLField<unknown, unknown>) => !f.args.some((a) => isNonNullType(a.type)),
  );
const isLeaf = (t: GraphQLNamedType) => isScalarType(t) || isEnumType(t);
const concreteTypes = (schema: GraphQLSchema, t: GraphQLNamedType): GraphQLObjectType[] =>
  isObjectType(t) ? [t] : isInterfaceType(t) || isUnionType(t) ? [...schema.getPossibleTypes(t)] : [];

/** `{ __typename id }` of an object field's value (fragments per type where it is abstract). */
function refSelection(schema: GraphQLSchema, t: GraphQLNamedType): string {
  const withId = concreteTypes(schema, t).filter((c) => "id" in c.getFields());
  if (isObjectType(t)) return `{ __typename${withId.length ? " id" : ""} }`;
  return `{ __typename ${withId.map((c) => `... on ${c.name} { id }`).join(" ")} }`;
}

/** Every field of one object type: its scalars, and a reference to each object below it. */
function objectParts(schema: GraphQLSchema, type: GraphQLObjectType): string[] {
  return fieldsOf(type).map((f) => {
    const named = getNamedType(f.type);
    return isLeaf(named) ? f.name : `${f.name} ${refSelection(schema, named)}`;
  });
}

/** One selection to ask at a path's end, for one concrete type; `isSplit`: a single field. */
type Ask = { concrete: GraphQLObjectType | null; selection: string; isSplit: boolean };

/**
 * What to ask at a path's end: all fields of each possible type at once, or (split) one field
 * per selection. Behind an interface or union, one selection per possible type: the same field
 * name may have different types in two of them, which one selection may not ask together.
 */
function asks(schema: GraphQLSchema, t: GraphQLNamedType, only?: GraphQLObjectType): Ask[] {
  if (isLeaf(t)) return [{ concrete: null, selection: "", isSplit: true }];
  return concreteTypes(schema, t)
    .filter((c) => !only || c === only)
    .flatMap((c): Ask[] => {
      const parts = objectParts(schema, c);
      const select = (inner: string) =>
        isObjectType(t) ? `{ __typename ${inner} }` : `{ __typename ... on ${c.name} { ${inner} } }`;
      return only
        ? parts.map((part) => ({ concrete: c, selection: select(part), isSplit: true }))
        : [{ concrete: c, selection: select(parts.join(" ")), isSplit: false }];
    });
}

/** Aliased calls per request: under the API's alias limit (50). */
const CALLS_PER_REQUEST = 40;

function wrap(steps: Step[], inner: string): string {
  let selection = inner;
  for (const step of [...steps].reverse()) {
    const field = `${step.field} ${selection}`;
    selection = step.onType ? `{ __typename ... on ${step.onType} { ${field} } }` : `{ ${field} }`;
  }
  return selection;
}

const objects = (value: unknown): Json[] =>
  Array.isArray(value) ? value.flatMap(objects) : value && typeof value === "object" ? [value as Json] : [];

function endObjects(data: Json, path: Path, alias: string): Json[] {
  let level = objects(data[alias]);
  for (const step of path.steps) {
    level = level.filter((o) => !step.onType || o.__typename === step.onType).flatMap((o) => objects(o[step.field]));
  }
  return level;
}

const keyOf = (o: Json, fallback: string) => `${String(o.__typename)}:${typeof o.id === "string" ? o.id : fallback}`;

/**
 * Crawls `roots` as one viewer. `send` posts a document and returns the result; `onResponse`
 * sees every answer (the blinding test looks for canaries there); `onObject` every object
 * reached below a root field.
 */
export async function crawlQueries(options: {
  schema: GraphQLSchema;
  roots: RootCall[];
  maxDepth: number;
  send: (document: string) => Promise<GraphQLResult>;
  onResponse: (field: string, text: string) => void;
  onObject?: (reached: Reached) => void;
  concurrency?: number;
}): Promise<CrawlReport> {
  const { schema, send } = options;
  const report: CrawlReport = { roots: new Map(), beyondLimits: [], deepest: 1, requests: 0 };
  const seenEdges = new Set<string>();
  const queued = new Set<string>();
  const queue: Path[] = options.roots.map((root) => ({ root, calls: root.calls, steps: [], type: root.returnType }));

  const request = async (path: Path, calls: RootCall["calls"], selection: string) => {
    const document = `query { ${calls.map((c) => `${c.alias}: ${path.root.field}${c.args} ${wrap(path.steps, selection)}`).join(" ")} }`;
    const result = await send(document);
    report.requests += 1;
    const stat = report.roots.get(path.root.field) ?? { requests: 0, withData: 0, codes: new Map() };
    report.roots.set(path.root.field, stat);
    stat.requests += 1;
    if (!isTooLarge(result)) {
      options.onResponse(`query.${path.root.field}`, JSON.stringify(result));
      if (result.data && calls.some((c) => (result.data as Json)[c.alias] != null)) stat.withData += 1;
      for (const e of result.errors ?? []) {
        const code = e.extensions?.code ?? "?";
        stat.codes.set(code, (stat.codes.get(code) ?? 0) + 1);
      }
    }
    return result;
  };

  const follow = (path: Path, data: Json, alias: string) => {
    for (const object of endObjects(data, path, alias)) {
      const typeName = String(object.__typename);
      const type = schema.getType(typeName);
      if (!type || !isObjectType(type)) continue;
      const ownKey = keyOf(object, JSON.stringify(object).slice(0, 200));
      for (const field of fieldsOf(type)) {
        const named = getNamedType(field.type);
        if (isLeaf(named)) continue;
        const children = objects(object[field.name]);
        let isNew = false;
        for (const child of children) {
          options.onObject?.({ parentType: typeName, field: field.name, object: child });
          const edge = `${typeName}.${field.name}>${keyOf(child, `~${ownKey}`)}`;
          if (seenEdges.has(edge)) continue;
          seenEdges.add(edge);
          isNew = true;
        }
        const steps = [...path.steps, { field: field.name, onType: isObjectType(path.type) ? undefined : typeName }];
        const signature = `${path.root.field}/${steps.map((s) => `${s.onType ?? ""}.${s.field}`).join("/")}`;
        if (!isNew || queued.has(signature) || steps.length + 1 > options.maxDepth) continue;
        queued.add(signature);
        queue.push({ root: path.root, calls: path.calls, steps, type: named });
      }
    }
  };

  const visit = async (path: Path) => {
    report.deepest = Math.max(report.deepest, path.steps.length + 1);
    // Too large for the limits: half the aliases at a time, down to one, then one field at a time.
    const attempts: { calls: RootCall["calls"]; ask: Ask }[] = [];
    for (let i = 0; i < path.calls.length; i += CALLS_PER_REQUEST) {
      const calls = path.calls.slice(i, i + CALLS_PER_REQUEST);
      for (const ask of asks(schema, path.type)) attempts.push({ calls, ask });
    }
    for (let attempt = attempts.shift(); attempt; attempt = attempts.shift()) {
      const { calls, ask } = attempt;
      const result = await request(path, calls, ask.selection);
      if (!isTooLarge(result)) {
        for (const c of calls) if (result.data) follow(path, result.data as Json, c.alias);
      } else if (calls.length > 1) {
        const half = Math.ceil(calls.length / 2);
        attempts.push({ calls: calls.slice(0, half), ask }, { calls: calls.slice(half), ask });
      } else if (!ask.isSplit && ask.concrete) {
        attempts.push(...asks(schema, path.type, ask.concrete).map((a) => ({ calls, ask: a })));
      } else {
        report.beyondLimits.push(`${path.root.field}${path.steps.map((s) => `.${s.field}`).join("")} ${ask.selection}`);
      }
    }
  };

  const worker = async () => {
    for (let path = queue.shift(); path; path = queue.shift()) await visit(path);
  };
  // Workers end when the queue is empty; paths found later are taken by whichever is still running.
  for (;;) {
    await Promise.all(Array.from({ length: options.concurrency ?? 3 }, worker));
    if (queue.length === 0) break;
  }
  return report;
}
