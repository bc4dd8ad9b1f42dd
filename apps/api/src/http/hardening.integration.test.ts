import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_ALIASES, QUERY_LIMITS } from "../graphql/limits.ts";
import { createCase, createSite, createUser, globalId } from "../../test/factories.ts";
import { startTestApi, type TestApi } from "../../test/harness.ts";

/** `case { pathologyLabels { replaces { replaces ... } } }` nested to a given depth. */
function deepQuery(depth: number) {
  let inner = "id";
  for (let i = 0; i < depth - 3; i++) inner = `replaces { ${inner} }`;
  return `query ($id: ID!) { case(id: $id) { pathologyLabels { ${inner} } } }`;
}

describe("request limits", () => {
  let api: TestApi;
  let token: string;
  let caseId: string;

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    token = await api.sessionFor((await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id);
    caseId = Buffer.from(`Case:${(await createCase(api.db, api.blobs, site.id)).id}`).toString("base64");
  });
  afterAll(async () => {
    await api.stop();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
      body,
    });

  it(`refuses queries deeper than ${QUERY_LIMITS.depth} before resolving anything`, async () => {
    const ok = await api.graphql(deepQuery(QUERY_LIMITS.depth), { id: caseId }, { token });
    expect(ok.errors).toBeUndefined();
    const tooDeep = await api.graphql(deepQuery(QUERY_LIMITS.depth + 1), { id: caseId }, { token });
    expect(tooDeep.errors?.[0]).toMatchObject({ extensions: { code: "QUERY_TOO_COMPLEX" } });
    expect(tooDeep.errors?.[0]?.message).toMatch(/depth 13 \(max 12\)/);
  });

  it(`refuses queries whose estimated cost exceeds ${QUERY_LIMITS.complexity}`, async () => {
    // Lists inside lists: images (4) x annotations (5) x their image's annotations (5), per case.
    const costly = `{ cases(first: 100) { edges { node { images { annotations { author { name } image { annotations { id shape } } } } } } } }`;
    const result = await api.graphql(costly, {}, { token });
    expect(result.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(result.errors?.[0]?.message).toMatch(/cost \d+ \(max 20000\)/);
    expect((await api.graphql(costly.replace("first: 100", "first: 10"), {}, { token })).errors).toBeUndefined();
  });

  it("counts a case's neighbours as the queries they cost: a page of cases' neighbours' neighbours is refused, one case's answered", async () => {
    // Each `neighbours` runs three or four queries of its own; counted as one field, this query
    // cost 1 800 and ran about 2 800 statements.
    const ids = "previous { id } next { id } nextUnlabelled { id }";
    const around = (field: string) => `${field} { neighbours { ${ids} } }`;
    const nested = `{ cases(first: 100) { edges { node { neighbours { ${around("previous")} ${around("next")} ${around("nextUnlabelled")} } } } } }`;
    const refused = await api.graphql(nested, {}, { token });
    expect(refused.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(refused.data ?? null).toBeNull();
    // The case page's question, and one level for a whole page, are answered.
    const casePage = await api.graphql(
      `query ($id: ID!) { case(id: $id) { neighbours { ${ids} } } }`,
      { id: caseId },
      { token },
    );
    expect(casePage.errors).toBeUndefined();
    expect(
      (await api.graphql(`{ cases(first: 100) { edges { node { neighbours { ${ids} } } } } }`, {}, { token })).errors,
    ).toBeUndefined();
  });

  it(`refuses more than ${MAX_ALIASES} aliases in one operation`, async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `m${i}: me { id }`).join(" ")} }`;
    expect((await api.graphql(aliases(MAX_ALIASES), {}, { token })).errors).toBeUndefined();
    const tooMany = await api.graphql(aliases(MAX_ALIASES + 1), {}, { token });
    expect(tooMany.errors?.[0]).toMatchObject({
      message: `too many aliases: at most ${MAX_ALIASES} per operation`,
      extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
    });
    expect(tooMany.data).toBeUndefined();
  });

  it("refuses batched requests, bodies over the size limit and documents with too many tokens", async () => {
    const batch = await post(JSON.stringify([{ query: "{ me { id } }" }, { query: "{ me { id } }" }]));
    expect(batch.status).toBe(400);
    const huge = await post(
      JSON.stringify({ query: "{ me { id } }", variables: { pad: "x".repeat(api.config.maxRequestBytes) } }),
    );
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: "request body too large" } });
    const manyTokens = await api.graphql(`{ me { ${"id ".repeat(12_000)} } }`, {}, { token });
    expect(manyTokens.errors?.[0]?.message).toMatch(/more that 10000 tokens/);
  });

  it("CSRF prevention: simple (form-like) requests are refused, JSON and preflighted GETs pass", async () => {
    const form = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    expect(form.status).toBe(400);
    const simpleGet = await fetch(`${api.url}/graphql?query=${encodeURIComponent("{ me { id } }")}`);
    expect(simpleGet.status).toBe(400);
    const preflighted = await fetch(`${api.url}/graphql?query=${encodeURIComponent("{ me { id } }")}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    expect(preflighted.status).toBe(200);
  });

  it("in development: introspection and field suggestions are on", async () => {
    expect((await api.graphql("{ __schema { queryType { name } } }", {}, { token })).data).toEqual({
      __schema: { queryType: { name: "Query" } },
    });
    expect((await api.graphql("{ mee { id } }", {}, { token })).errors?.[0]?.message).toMatch(/Did you mean "me"/);
  });

  it("a malformed id is a client error, without a stack trace", async () => {
    const result = await post(JSON.stringify({ query: '{ case(id: "nope") { id } }' }));
    const body = (await result.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]).toMatchObject({
      message: "id: not an id this API issued (unknown type)",
      extensions: { code: "BAD_USER_INPUT", field: "id" },
    });
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|\.ts:\d+|node_modules/);
  });
});

describe("in production", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ isProduction: true });
  });
  afterAll(async () => {
    await api.stop();
  });

  it("introspection is off and unknown fields get no suggestions", async () => {
    const introspection = await api.graphql("{ __schema { queryType { name } } }");
    expect(introspection.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
    const typo = await api.graphql("{ mee { id } }");
    expect(typo.errors?.[0]?.message).toMatch(/Cannot query field "mee"/);
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
});

describe("finding 11: bad ids and NUL bytes are bad input that names the field, not internal errors", () => {
  let api: TestApi;
  let admin: string;
  let siteGlobalId: string;
  const logged: unknown[][] = [];

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    siteGlobalId = globalId("Site", site.id);
    admin = await api.sessionFor(
      (
        await createUser(api.db, [
          { siteId: site.id, role: "ADMIN" },
          { siteId: site.id, role: "ML_ENGINEER" },
        ])
      ).id,
    );
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await api.stop();
  });

  const expectBadInput = async (query: string, variables: Record<string, unknown>, field: string) => {
    logged.splice(0);
    const result = await api.graphql(query, variables, { token: admin });
    expect(result.errors?.[0], query).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field } });
    expect(result.errors?.[0]?.message).toContain(field);
    expect(logged, "nothing logged as an unexpected error").toEqual([]);
  };

  it("a node id whose database id is not an id (SQL in it) or whose type is not a node", async () => {
    const node = "query ($id: ID!) { node(id: $id) { id } }";
    await expectBadInput(node, { id: globalId("Case", "' OR 1=1--") }, "id");
    await expectBadInput(node, { id: globalId("Read", "0b9f4a52-1c67-4c36-9a55-7b2f1f3f6a11") }, "id");
    await expectBadInput("query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids: [globalId("Nope", "1")] }, "ids");
    await expectBadInput("query ($id: ID!) { case(id: $id) { id } }", { id: globalId("Case", "1 OR 1=1") }, "id");
  });

  it('a read\'s id as MyRead.id gives it ("Read:<uuid>", no object type of that name) passes, where no node is wanted', async () => {
    const result = await api.graphql(
      "mutation ($input: CorrectReadInput!) { correctRead(input: $input) { read { id } } }",
      {
        input: {
          readId: globalId("Read", "0b9f4a52-1c67-4c36-9a55-7b2f1f3f6a11"),
          answer: "SOLID",
          timeSpentMs: 1000,
          reason: "a second look",
        },
      },
      { token: admin },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("a NUL byte in a string argument or input field", async () => {
    await expectBadInput(
      "query ($s: ID!, $a: String) { auditEvents(siteId: $s, action: $a, first: 1) { edges { node { id } } } }",
      { s: siteGlobalId, a: "user.create\u0000" },
      "action",
    );
    await expectBadInput(
      'query { modelVersions(name: "model\\u0000x", first: 1) { edges { node { id } } } }',
      {},
      "name",
    );
    await expectBadInput(
      "mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }",
      { input: { name: "nul\u0000name" } },
      "input.name",
    );
  });
});
