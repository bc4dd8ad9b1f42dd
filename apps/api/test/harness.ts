// Integration-test harness: a real API over HTTP on a fresh database of its own.
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "@mammo/db/testing";
import { startJobQueue } from "@mammo/jobs";
import { createLocalBlobStore } from "@mammo/storage";
import { encode } from "next-auth/jwt";
import type { ApiConfig } from "../src/config.ts";
import { createApiServer } from "../src/http/server.ts";

export const TEST_SESSION_SECRET = "test-session-secret-0123456789";

export type GraphQLResult<T = Record<string, unknown>> = {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; field?: string } }[];
};

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
    ...overrides,
  };
  // A real pg-boss queue on the test database: tests see enqueued jobs in its pgboss.job table.
  const jobs = await startJobQueue(database.url, { supervise: false, max: 2 });
  const server = await createApiServer({ db: database.db, blobs, jobs }, config);
  const http = await server.listen(0);
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  /** A next-auth session token for the user, as the web app would forward it. */
  const sessionFor = (userId: string) => encode({ token: { sub: userId }, secret: TEST_SESSION_SECRET, maxAge: 3600 });

  async function graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: { token?: string; headers?: Record<string, string> } = {},
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
  async function as<T = Record<string, unknown>>(userId: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await graphql<T>(query, variables, { token: await sessionFor(userId) });
    if (result.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  return {
    url,
    db: database.db,
    blobs,
    sessionFor,
    graphql,
    as,
    jobs,
    stop: async () => {
      await server.stop();
      await jobs.stop({ graceful: false, wait: true });
      await database.drop();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
