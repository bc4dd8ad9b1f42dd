// Generated from the schema: every Query and Mutation field must have an entry (see
// test/authz/authz.ts), and every entry runs as every actor on own-site and other-site objects.
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../src/graphql/schema.ts";
import {
  ACTORS,
  countRows,
  type Actor,
  type AuthzEntry,
  type AuthzModule,
  type AuthzWorld,
  globalIdOf,
  type SiteFixture,
} from "./authz/authz.ts";
import { createAuthzWorld } from "./authz/world.ts";
import { startTestApi, type GraphQLResult, type TestApi } from "./harness.ts";
import { crawlQueries, type Reached } from "./schema-crawl.ts";
import { rootCalls } from "./schema-walk.ts";

const REFUSALS = new Set(["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"]);
const modulesDir = fileURLToPath(new URL("../src/modules", import.meta.url));

async function loadAuthzModules(): Promise<{ file: string; module: AuthzModule }[]> {
  const files = readdirSync(modulesDir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".authz.ts"))
    .sort();
  return Promise.all(
    files.map(async (file) => ({
      file,
      module: ((await import(path.join(modulesDir, file))) as { default: AuthzModule }).default,
    })),
  );
}

const modules = await loadAuthzModules();
const entries: AuthzEntry[] = modules.flatMap((m) => m.module.entries);

function schemaFields(): string[] {
  const out: string[] = [];
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (type) for (const name of Object.keys(type.getFields())) out.push(`${type.name}.${name}`);
  }
  return out.sort();
}

/** A fingerprint of every row the application can write (plus the job queue). */
async function snapshot(api: TestApi): Promise<string> {
  const tables = await api.db.$queryRaw<{ schema: string; table: string }[]>`
    SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND ((table_schema = 'public' AND table_name NOT IN ('_prisma_migrations', 'LoginAttempt'))
       OR (table_schema = 'pgboss' AND table_name = 'job'))
    ORDER BY 1, 2`;
  const parts = tables.map(
    ({ schema: s, table: t }) =>
      `SELECT '${s}.${t}:' || coalesce(md5(json_agg(x)::text), '-') AS h FROM "${s}"."${t}" x`,
  );
  const rows = await api.db.$queryRawUnsafe<{ h: string }[]>(parts.join(" UNION ALL "));
  return rows
    .map((r) => r.h)
    .sort()
    .join("\n");
}

/** Node types of the schema (what `nodes(ids:)` answers for). */
const isNodeType = (name: string) => {
  const type = schema.getType(name);
  return type !== undefined && "getInterfaces" in type && type.getInterfaces().some((i) => i.name === "Node");
};
const NESTED_DEPTH = 4;

/**
 * Crawls every query root field that needs no id, as `userId`, to NESTED_DEPTH, and returns the
 * node objects reached through an object field (Case.labels, DatasetVersion.items,
 * ReaderStudy.cases, ModelVersion.predictions, ...) that `nodes(ids:)` does not return to the
 * same user: each nested resolver must start from the visibility rule of its type's lookup.
 */
async function nestedBeyondLookup(world: AuthzWorld, userId: string) {
  const { api } = world;
  const token = await api.sessionFor(userId);
  // Root fields that need no id, or only a site's: both sites' ids (each a call of its own).
  const siteIds = [world.own.siteId, world.other.siteId].map((id) => globalIdOf("Site", id));
  const roots = rootCalls(schema, "query", { idsFor: (name) => (name === "siteId" ? siteIds : []) })
    .map((r) => ({ ...r, calls: r.calls.filter((c) => !c.args.includes('"none"')) }))
    .filter((r) => r.calls.length > 0);
  const reached = new Map<string, Reached>();
  await crawlQueries({
    schema,
    roots,
    maxDepth: NESTED_DEPTH,
    send: (document) => api.graphql(document, {}, { token }),
    onResponse: () => {},
    onObject: (r) => {
      const typename = String(r.object.__typename);
      if (typeof r.object.id === "string" && isNodeType(typename)) reached.set(r.object.id, r);
    },
  });
  const ids = [...reached.keys()];
  const visible = new Set<string>();
  for (let i = 0; i < ids.length; i += 100) {
    const result = await api.graphql<{ nodes: ({ id: string } | null)[] }>(
      "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
      { ids: ids.slice(i, i + 100) },
      { token },
    );
    for (const n of result.data?.nodes ?? []) if (n) visible.add(n.id);
  }
  const edges = new Set([...reached.values()].map((r) => `${r.parentType}.${r.field}`));
  const beyond = [...reached.entries()]
    .filter(([id]) => !visible.has(id))
    .map(([, r]) => `${r.parentType}.${r.field} -> ${String(r.object.__typename)}`);
  return { edges, reached: reached.size, beyond: [...new Set(beyond)].sort() };
}

const isMutation = (entry: AuthzEntry) => entry.field.startsWith("Mutation.");
const firstRoot = (data: Record<string, unknown>) => Object.values(data)[0];

type Outcome = { actor: Actor; site: SiteFixture["key"]; problem: string };

async function runOne(world: AuthzWorld, entry: AuthzEntry, site: SiteFixture, actor: Actor): Promise<Outcome | null> {
  const { api } = world;
  const variables = await entry.variables(site, world, actor);
  const isAllowed = (site.key === "own" ? entry.allowed : (entry.allowedOnOtherSite ?? [])).includes(actor);
  const userId = world.userOf(actor);
  // The session first: signing in writes a Session row, which is not the mutation's doing.
  const token = userId ? await api.sessionFor(userId) : undefined;
  const before = isMutation(entry) && !isAllowed ? await snapshot(api) : null;
  const result: GraphQLResult = await api.graphql(entry.document, variables, token ? { token } : {});
  const rows = result.data ? countRows((entry.rows ?? firstRoot)(result.data, site)) : 0;
  const codes = (result.errors ?? []).map((e) => e.extensions?.code ?? "?");
  const fail = (problem: string): Outcome => ({ actor, site: site.key, problem });
  if (isAllowed) {
    if (codes.length) return fail(`expected success, got ${JSON.stringify(result.errors)}`);
    if (rows === 0) return fail("expected rows, got none");
    return null;
  }
  if (codes.some((c) => !REFUSALS.has(c))) return fail(`expected a refusal, got ${JSON.stringify(result.errors)}`);
  if (rows > 0) return fail(`expected zero rows, got ${JSON.stringify(result.data)}`);
  if (isMutation(entry)) {
    if (codes.length === 0) return fail("a forbidden mutation returned no error");
    if ((await snapshot(api)) !== before) return fail("a refused mutation changed the database");
  }
  return null;
}

describe("authorisation matrix", () => {
  let world: AuthzWorld;

  beforeAll(async () => {
    const api = await startTestApi();
    world = await createAuthzWorld(api);
    for (const { module } of modules) await module.setup?.(world);
  }, 300_000);
  afterAll(async () => {
    await world?.api.stop();
  });

  it("has an entry for every Query and Mutation field of the schema", () => {
    const covered = new Set(entries.map((e) => e.field));
    const missing = schemaFields().filter((f) => !covered.has(f));
    expect(missing, `fields without an entry in any src/modules/*/*.authz.ts`).toEqual([]);
    const unknown = [...covered].filter((f) => !schemaFields().includes(f));
    expect(unknown, "entries for fields the schema does not have").toEqual([]);
  });

  it("object fields that load other objects return only what the viewer's node lookup returns (every role)", async () => {
    // The objects the query entries act on, at both sites (each entry's variables make its own).
    for (const entry of entries.filter((e) => !isMutation(e)))
      for (const site of [world.own, world.other]) await entry.variables(site, world, "ADMIN");
    const problems: string[] = [];
    const lines: string[] = [];
    for (const actor of ACTORS) {
      const userId = world.userOf(actor);
      if (!userId) continue;
      const { edges, reached, beyond } = await nestedBeyondLookup(world, userId);
      lines.push(
        `  ${actor}: ${reached} node objects through ${edges.size} object fields; beyond the lookup: ${beyond.length}`,
      );
      problems.push(...beyond.map((b) => `${actor}: ${b}`));
    }
    console.log(`nested object fields vs node lookup (depth ${NESTED_DEPTH}):\n${lines.join("\n")}`);
    expect(problems).toEqual([]);
  }, 600_000);

  for (const entry of entries) {
    const who = entry.allowed.length ? entry.allowed.join(", ") : "nobody";
    it(`${entry.field}${entry.name ? ` (${entry.name})` : ""}: own site ${who}; other site ${entry.allowedOnOtherSite?.join(", ") || "nobody"}`, async () => {
      const problems: Outcome[] = [];
      for (const site of [world.own, world.other]) {
        // Queries change nothing: run the actors side by side. Mutations one after another.
        if (isMutation(entry)) {
          for (const actor of ACTORS) {
            const outcome = await runOne(world, entry, site, actor);
            if (outcome) problems.push(outcome);
          }
        } else {
          const outcomes = await Promise.all(ACTORS.map((actor) => runOne(world, entry, site, actor)));
          problems.push(...outcomes.filter((o): o is Outcome => o !== null));
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
