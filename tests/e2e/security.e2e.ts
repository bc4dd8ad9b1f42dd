// The security review's findings that show in a browser or in `npm start` itself, each named
// after its finding (issue 14). The platform runs as `npm start` runs it, on a fresh DATA_DIR.
import { statSync, readdirSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, BrowserContext, Page } from "@playwright/test";
import pg from "pg";
import { E2E_API_PORT, E2E_DATA_DIR, E2E_WEB_PORT } from "../../playwright.config.ts";
import { expect, test } from "./support/fixtures.ts";
import { DEMO_PASSWORD, signIn, signOut } from "./support/sign-in.ts";
import { readServeInfo } from "./support/serve-info.ts";

const APP = `http://localhost:${E2E_WEB_PORT}`;
const API = `http://localhost:${E2E_API_PORT}/graphql`;

/** The session cookie of a signed-in context (what the web app forwards to the API). */
async function sessionCookie(context: BrowserContext) {
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(cookie, "session cookie").toBeDefined();
  return cookie!;
}

/** A GraphQL call to the API straight, as `token`'s user (or anonymous). */
async function callApi(request: APIRequestContext, query: string, variables: object = {}, token?: string) {
  const response = await request.post(API, {
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    data: { query, variables },
  });
  return (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string }[] };
}

/** A new account made by NORTH's admin through the API (password or single-sign-on only). */
async function createNorthUser(page: Page, email: string, password?: string) {
  await signIn(page, "admin@north.example");
  const token = (await sessionCookie(page.context())).value;
  const sites = await callApi(page.request, "{ mySites { id code } }", {}, token);
  const north = (sites.data!.mySites as { id: string; code: string }[]).find((s) => s.code === "NORTH")!;
  const created = await callApi(
    page.request,
    "mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }",
    { input: { siteId: north.id, email, name: email, password, roles: ["READER"] } },
    token,
  );
  expect(created.errors).toBeUndefined();
  return { id: (created.data!.createUser as { id: string }).id, adminToken: token };
}

test.describe("npm start on a fresh clone", () => {
  test("finding 8: the API refuses introspection and field suggestions to anonymous callers", async ({ request }) => {
    const introspection = await callApi(request, "{ __schema { queryType { name } } }");
    expect(introspection.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
    const typo = await callApi(request, "{ mee { id } }");
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  test("finding 4: .data, its secrets and the blobs are the owner's only; the superuser password is not the old constant", async ({
    page,
  }) => {
    // The demo data is there (the embedded database is seeded): its blobs are on disk.
    await signIn(page, "annotator@north.example");
    const mode = (p: string) => statSync(p).mode & 0o777;
    const isRoot = process.getuid?.() === 0;
    expect(mode(E2E_DATA_DIR)).toBe(isRoot ? 0o711 : 0o700);
    expect(mode(path.join(E2E_DATA_DIR, "secrets.json"))).toBe(0o600);
    const blobs = path.join(E2E_DATA_DIR, "blobs");
    const entries = readdirSync(blobs, { recursive: true, withFileTypes: true });
    expect(entries.filter((e) => e.isFile()).length).toBeGreaterThan(100);
    const modes = new Set([
      `dir ${mode(blobs).toString(8)}`,
      ...entries.map((e) => `${e.isFile() ? "file" : "dir"} ${mode(path.join(e.parentPath, e.name)).toString(8)}`),
    ]);
    expect([...modes].sort()).toEqual(["dir 700", "file 600"]);
    const { embeddedPgPort } = readServeInfo();
    test.skip(!embeddedPgPort, "the run uses DATABASE_URL, not the embedded PostgreSQL");
    const client = new pg.Client({
      connectionString: `postgresql://postgres:mammo-local@localhost:${embeddedPgPort}/postgres`,
    });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
    await client.end().catch(() => {});
  });
});

test("finding 10: security headers; the admin pages cannot be framed by another origin", async ({
  page,
  consoleErrors,
}) => {
  const signInPage = await page.request.get(`${APP}/sign-in`);
  const headers = signInPage.headers();
  expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["strict-transport-security"], "no HSTS over plain http").toBeUndefined();

  await signIn(page, "admin@north.example");
  consoleErrors.allow(/frame-ancestors|Refused to (display|frame)/);
  await page.route("http://framer.test/", (route) =>
    route.fulfill({ contentType: "text/html", body: `<iframe title="victim" src="${APP}/admin"></iframe>` }),
  );
  await page.goto("http://framer.test/");
  const framed = () => page.frames().find((f) => f !== page.mainFrame());
  await expect.poll(() => framed()?.url() ?? "").toMatch(/^chrome-error:/);
});

test("finding 13: the sign-in form posts: submitted before the page runs its script, the password stays out of the URL", async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${APP}/sign-in`);
  await page.getByLabel("Email").fill("annotator@north.example");
  await page.getByLabel("Password").fill("a-secret-typed-in");
  const submitted = page.waitForRequest((r) => r.url().startsWith(`${APP}/sign-in`) && r.isNavigationRequest());
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const request = await submitted;
  expect(request.method()).toBe("POST");
  expect(request.url()).not.toContain("a-secret-typed-in");
  await page.waitForLoadState();
  expect(page.url()).not.toContain("a-secret-typed-in");
  await context.close();
});

test("finding 2: open redirect: a callbackUrl naming another host leads to the app's own home page", async ({
  page,
  consoleErrors,
}) => {
  // Chromium asks for /favicon.ico when a navigation is replaced mid-way (the app's icon is icon.svg).
  consoleErrors.allow(/favicon\.ico/);
  for (const callbackUrl of ["/%5Cevil.example/x", "/%09/evil.example/x"]) {
    // Leave the home page first: its thumbnails still loading would be refused once signed out.
    await page.goto("about:blank");
    await page.context().clearCookies();
    await page.goto(`${APP}/sign-in?callbackUrl=${callbackUrl}`);
    await expect(page.locator("form[data-hydrated]")).toBeVisible();
    await page.getByLabel("Email").fill("annotator@north.example");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(APP);
  }
});

test("finding 3: after signing out, a copy of the old session cookie opens nothing and calls nothing", async ({
  page,
  browser,
  consoleErrors,
}) => {
  await signIn(page, "annotator@north.example");
  const cookie = await sessionCookie(page.context());
  await signOut(page);

  // Another browser with the copied cookie: sent back to sign in; the API does not know it.
  const thief = await browser.newContext();
  consoleErrors.watch(thief);
  await thief.addCookies([cookie]);
  const stolen = await thief.newPage();
  await stolen.goto(`${APP}/cases`);
  await expect(stolen).toHaveURL(/\/sign-in/);
  const me = await callApi(stolen.request, "{ me { id } }", {}, cookie.value);
  expect(me.data?.me).toBeNull();
  const mint = await callApi(
    stolen.request,
    'mutation { createApiToken(input: { name: "stolen", expiresInDays: 365 }) { secret } }',
    {},
    cookie.value,
  );
  expect(mint.errors?.[0]?.message).toBe("sign in first");
  await thief.close();
});

test("finding 1: through the web sign-in, 40 parallel wrong passwords check at most 5, and the right one after them is refused", async ({
  page,
  request,
}) => {
  const email = `lockout-${Date.now()}@north.example`;
  await createNorthUser(page, email, "the-right-password-42");
  // A browser that is not signed in: one CSRF token (next-auth's double-submit cookie) for all posts.
  const { csrfToken } = (await (await request.get(`${APP}/api/auth/csrf`)).json()) as { csrfToken: string };
  // One client address for this test alone (the web app passes X-Forwarded-For to the API).
  const headers = { "x-forwarded-for": "198.51.100.77" };
  const post = async (password: string) => {
    const response = await request.post(`${APP}/api/auth/callback/credentials`, {
      headers,
      form: { email, password, csrfToken, json: "true", callbackUrl: APP },
      maxRedirects: 0,
    });
    const url = new URL(((await response.json()) as { url: string }).url);
    return url.searchParams.get("error") ?? url.pathname;
  };
  const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => post(`wrong-${i}`)));
  expect(outcomes.filter((o) => o === "CredentialsSignin")).toHaveLength(5);
  expect(outcomes.filter((o) => /too many failed sign-in attempts/.test(o))).toHaveLength(35);
  expect(await post("the-right-password-42")).toMatch(/too many failed sign-in attempts/);
});

test("finding 7: a reader's study images come through the web app with the API's no-store", async ({ page }) => {
  // An open study of its own with one case for reader1 (the specs before this one read the demo
  // study and close it), made through the API as its coordinator.
  await signIn(page, "coordinator@north.example");
  const token = (await sessionCookie(page.context())).value;
  const call = async <T>(query: string, variables: object = {}) => {
    const result = await callApi(page.request, query, variables, token);
    expect(result.errors).toBeUndefined();
    return result.data as T;
  };
  type Memberships = { me: { memberships: { role: string; site: { id: string; code: string } }[] } };
  const { me } = await call<Memberships>("{ me { memberships { role site { id code } } } }");
  const siteId = me.memberships.find((m) => m.role === "COORDINATOR" && m.site.code === "NORTH")!.site.id;
  type Cases = { cases: { edges: { node: { id: string } }[] } };
  const { cases } = await call<Cases>(
    "query ($f: CaseFilter) { cases(first: 1, filter: $f) { edges { node { id } } } }",
    { f: { siteId, subtype: "SOLID" } },
  );
  const name = `Finding 7 study ${Date.now()}`;
  const { createReaderStudy: study } = await call<{ createReaderStudy: { id: string } }>(
    "mutation ($input: CreateReaderStudyInput!) { createReaderStudy(input: $input) { id } }",
    { input: { name, siteId, unit: "CASE" } },
  );
  await call("mutation ($input: StudyCasesInput!) { addStudyCases(input: $input) { id } }", {
    input: { studyId: study.id, caseIds: [cases.edges[0]!.node.id] },
  });
  await call("mutation ($input: AddStudyReaderInput!) { addStudyReader(input: $input) { id } }", {
    input: { studyId: study.id, email: "reader1@north.example", arm: "UNAIDED" },
  });
  await call("mutation ($id: ID!) { openReaderStudy(id: $id) { id } }", { id: study.id });
  await signOut(page);

  const images = page.waitForResponse((r) => /\/api\/files\/images\/.+\.(png|bin)/.test(r.url()) && r.ok());
  await signIn(page, "reader1@north.example");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reading" }).click();
  await page
    .getByRole("row", { name: new RegExp(name) })
    .getByRole("link", { name: "Start reading" })
    .click();
  const response = await images;
  expect(response.headers()["cache-control"]).toBe("private, no-store");
});
