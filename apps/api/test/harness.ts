// Integration-test harness: a real API over HTTP on a fresh database of its own, running as the
// same data-only database role as in production (lib/database-role.ts).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { PrismaClient, type Db } from "@mammo/db";
import { createTestDatabase } from "@mammo/db/testing";
import { startJobQueue } from "@mammo/jobs";
import { createLocalBlobStore } from "@mammo/storage";
import { PrismaPg } from "@prisma/adapter-pg";
import { encode } from "next-auth/jwt";
import type { ApiConfig } from "../src/config.ts";
import { createApiServer } from "../src/http/server.ts";
import { dropDatabaseRole, provisionDatabaseRole } from "../src/lib/database-role.ts";

export const TEST_SESSION_SECRET = "test-session-secret-0123456789";

export type GraphQLError = {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string };
};
export type GraphQLResult<T = Record<string, unknown>> = {
  data?: T | null;
  errors?: GraphQLError[];
};

export type RequestOptions = { token?: string; headers?: Record<string, string> };

/**
 * A Prisma client that counts the SQL statements it sends (Prisma's query events), so tests can
 * show that a listing costs a constant number of statements.
 */
function createCountingClient(url: string) {
  const client = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: 10 }),
    log: [{ emit: "event", level: "query" }],
  });
  const statements: string[] = [];
  client.$on("query", (event) => statements.push(event.query));
  return { db: client as unknown as Db, statements };
}

export async function startTestApi(overrides: Partial<ApiConfig> = {}) {
  const database = await createTestDatabase();
  const blobDir = await mkdtemp(path.join(os.tmpdir(), "mammo-blobs-"));
  const blobs = createLocalBlobStore(blobDir);
  const config: ApiConfig = {
    isProduction: false,
    port: 0,
    sessionSecret: TEST_SESSION_SECRET,
    maxUploadBytes: 20 * 1024 * 1024,
    maxRequestBytes: 1024 * 1024,
    trustedProxies: ["loopback"],
    oidc: null,
    database: { role: `mammo_api_${database.name.replace(/^mammo_test_/, "")}` },
    ...overrides,
  };
  // The API's own role, as main.ts prepares it; the fixtures below write as the owner (`db`).
  const appDatabaseUrl = await provisionDatabaseRole(database.url, {
    role: config.database.role,
    password: randomBytes(18).toString("base64url"),
  });
  const app = createCountingClient(appDatabaseUrl);
  // A real pg-boss queue on the test database: tests see enqueued jobs in its pgboss.job table.
  const jobs = await startJobQueue(database.url, { supervise: false, max: 2 });
  const server = await createApiServer({ db: app.db, blobs, jobs }, config);
  const http = await server.listen(0);
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  /**
   * A next-auth session token for the user, as the web app would forward it after signing in:
   * a server-side session row (signed in now, unless `signedInAt` says when) and its id as `sid`.
   */
  const sessionFor = async (userId: string, options: { signedInAt?: Date } = {}) => {
    const session = await database.db.session.create({
      data: {
        userId,
        method: "password",
        createdAt: options.signedInAt,
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    return encode({ token: { sub: userId, sid: session.id }, secret: TEST_SESSION_SECRET, maxAge: 3600 });
  };

  async function graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<GraphQLResult<T>> {
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResult<T>;
  }

  /** graphql() as a user (by id), failing the test on any error. */
  async function as<T = Record<string, unknown>>(
    userId: string,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    const result = await graphql<T>(query, variables, { token: await sessionFor(userId) });
    if (result.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  /** graphql() as a user (by id), returning errors too (for refusals). */
  async function tryAs<T = Record<string, unknown>>(
    userId: string | null,
    query: string,
    variables: Record<string, unknown> = {},
  ) {
    return graphql<T>(query, variables, userId ? { token: await sessionFor(userId) } : {});
  }

  return {
    url,
    /** The owner's client: fixtures and assertions on what was stored. */
    db: database.db,
    /** The owner's connection URL (runs migrations; fixtures). */
    ownerDatabaseUrl: database.url,
    /** What the API itself connects as (the data-only role). */
    appDatabaseUrl,
    config,
    blobs,
    jobs,
    sessionFor,
    graphql,
    as,
    tryAs,
    /** SQL statements the API has sent since the last reset. */
    statements: {
      count: () => app.statements.length,
      list: () => [...app.statements],
      reset: () => void app.statements.splice(0),
    },
    stop: async () => {
      await server.stop();
      await jobs.stop({ graceful: false, wait: true });
      await app.db.$disconnect();
      await database.drop();
      const admin = new URL(database.url);
      admin.pathname = "/postgres";
      await dropDatabaseRole(admin.toString(), config.database.role);
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;

/** The error code of the first error of a result (undefined when it succeeded). */
export const errorCode = (result: GraphQLResult<unknown>) => result.errors?.[0]?.extensions?.code;
