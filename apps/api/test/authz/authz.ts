// The authorisation matrix: every Query and Mutation field of the schema, run as every kind of
// actor against the objects of the actor's own site and of another site. Modules declare their
// entries next to their code in `src/modules/<x>/<x>.authz.ts` (default export: AuthzModule);
// test/authorization-matrix.integration.test.ts finds them, fails for any field without an
// entry, and asserts that whoever is not allowed gets a refusal or zero rows, and that refused
// mutations change nothing in the database.
import type { Role } from "@mammo/db";
import type { TestApi } from "../harness.ts";

export const ACTORS = [
  "ADMIN",
  "COORDINATOR",
  "READER",
  "ANNOTATOR",
  "ML_ENGINEER",
  "NO_MEMBERSHIP",
  "ANONYMOUS",
] as const;
/** A role held at the own site only, a signed-in user with no membership, or no credentials. */
export type Actor = (typeof ACTORS)[number];
export const SIGNED_IN: readonly Actor[] = ACTORS.filter((a) => a !== "ANONYMOUS");
export const EVERYONE: readonly Actor[] = ACTORS;

/** One site's people and objects. `ids` holds raw (database) ids that module setups add. */
export type SiteFixture = {
  key: "own" | "other";
  siteId: string;
  siteCode: string;
  /** One user per role, holding only that role at this site. */
  users: Record<Role, string>;
  ids: Record<string, string>;
};

export type AuthzWorld = {
  api: TestApi;
  own: SiteFixture;
  other: SiteFixture;
  /** A signed-in user without any membership. */
  noMembershipUserId: string;
  /** The user id acting as `actor` (null: anonymous). Roles are held at the own site. */
  userOf: (actor: Actor) => string | null;
};

export type AuthzEntry = {
  /** The schema field covered, "Query.cases" or "Mutation.addPathologyLabel". */
  field: string;
  /** Distinguishes several entries of one field (e.g. node lookup per type). */
  name?: string;
  document: string;
  /**
   * Variables for one run against `site`'s objects (the own site, then the other site). Runs
   * once per actor and site, so it may create a fresh object to act on (e.g. a label to retract).
   */
  variables: (
    site: SiteFixture,
    world: AuthzWorld,
    actor: Actor,
  ) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Actors that succeed on their own site's objects. Everyone else: refused or zero rows. */
  allowed: readonly Actor[];
  /** Actors that succeed on the other site's objects (default: none). */
  allowedOnOtherSite?: readonly Actor[];
  /**
   * The rows of a result that belong to `site` (default: the first root field, a connection's
   * edges). Site-independent fields (e.g. `me`) pick the rows that would reveal `site`'s objects.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- result shapes are per entry
  rows?: (data: Record<string, any>, site: SiteFixture) => unknown;
};

export type AuthzModule = {
  /** Adds this module's objects to both sites (`site.ids`), after the base world exists. */
  setup?: (world: AuthzWorld) => Promise<void>;
  entries: AuthzEntry[];
};

/** Typed identity helper for `export default defineAuthz({...})`. */
export const defineAuthz = (module: AuthzModule): AuthzModule => module;

/** Sugar for the many entries whose variables are one global id of a site's object. */
export const idOf =
  (type: string, key: string, variable = "id") =>
  (site: SiteFixture) => ({ [variable]: globalIdOf(type, site.ids[key] ?? missing(key)) });

export const globalIdOf = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");

function missing(key: string): never {
  throw new Error(`authz fixture has no id "${key}": add it in a module setup`);
}

/** The rows of a result: null/[]/empty connection count as zero rows. */
export function countRows(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) return value.length;
  if (typeof value === "object" && "edges" in (value as object)) return countRows((value as { edges: unknown }).edges);
  return 1;
}
