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
  type SiteFixture,
} from "./authz/authz.ts";
import { createAuthzWorld } from "./authz/world.ts";
import { startTestApi, type GraphQLResult, type TestApi } from "./harness.ts";

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

const isMutation = (entry: AuthzEntry) => entry.field.startsWith("Mutation.");
const firstRoot = (data: Record<string, unknown>) => Object.values(data)[0];

type Outcome = { actor: Actor; site: SiteFixture["key"]; problem: string };

async function runOne(world: AuthzWorld, entry: AuthzEntry, site: SiteFixture, actor: Actor): Promise<Outcome | null> {
  const { api } = world;
  const variables = await entry.variables(site, world, actor);
  const isAllowed = (site.key === "own" ? entry.allowed : (entry.allowedOnOtherSite ?? [])).includes(actor);
  const before = isMutation(entry) && !isAllowed ? await snapshot(api) : null;
  const userId = world.userOf(actor);
  const result: GraphQLResult = await api.graphql(
    entry.document,
    variables,
    userId ? { token: await api.sessionFor(userId) } : {},
  );
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
