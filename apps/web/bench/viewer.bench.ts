// `npm run bench:viewer`: the viewer on cases of four 3328x4096 16-bit (14 bits stored) views.
// Starts the platform as the e2e tests do (tests/e2e/serve.ts: a production build, fresh
// database), imports synthetic DICOM cases through POST /imports, then in Chromium measures, in
// one run so the ratios hold on a noisy machine:
// - opening a case by the progressive path (a screen-sized 16-bit level per view first) and by
//   today's path before it (every view at full resolution first; the viewer's
//   `__MAMMO_FULL_FIRST__` switch): the first open after import (a case of its own each), the
//   server decoding again (its derived pixel files removed) and warm (cached), BENCH_REPEATS
//   (3) times each, in turns. Every open is a fresh browser context (no HTTP cache), after one
//   untimed open of a demo case (Next.js's first render of a route);
// - the next case on screen after Enter submits a read (prefetched while reading, vs not);
// - a window/level drag: per frame the render time ("viewer-frame" measures) and the interval
//   between frames (pointer moves dispatched once per animation frame inside the page).
// Prints Markdown tables for BENCHMARKS.md with the machine and its load.
import { spawn } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { repoRoot } from "@mammo/db";
import { buildDicom } from "@mammo/imaging/testing";

const WEB_PORT = Number(process.env.BENCH_WEB_PORT ?? 3201);
const API_PORT = Number(process.env.BENCH_API_PORT ?? 4201);
const WEB = `http://localhost:${WEB_PORT}`;
// The platform's data (serve.ts makes it afresh): the bench removes the derived pixel files in
// its blob store to make the server decode again.
const DATA_DIR = path.join(os.tmpdir(), `mammo-bench-viewer-${WEB_PORT}`);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const W = 3328;
const H = 4096;
const DRAG_FRAMES = 120;

/** A 14-bit breast-like picture: tissue against the chest wall on the right, smooth texture, a skin line. */
function syntheticMammogram(variant: number): Uint16Array {
  const out = new Uint16Array(W * H);
  for (let y = 0; y < H; y++) {
    const ny = (y - H / 2) / (H * 0.46);
    const edge = W * 0.8 * Math.sqrt(Math.max(0, 1 - ny * ny));
    for (let x = 0; x < W; x++) {
      const depth = W - 1 - x;
      let v = 300 + ((x * 7919 + y * 104729) % 61); // detector background and noise
      if (depth < edge)
        v =
          5000 +
          4000 * (1 - depth / Math.max(edge, 1)) +
          1500 * Math.sin(x / 97) * Math.cos(y / 131) +
          ((x * 31 + y * 17) % 200);
      if (Math.abs(depth - edge) < 6) v += 1200;
      out[y * W + x] = Math.min(16383, Math.max(0, Math.round(v + variant)));
    }
  }
  return out;
}

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { redirect: "manual" })).status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

// Plain JavaScript (a string): tsx would add helpers such as __name to a function's source.
const DRAG_IN_PAGE = `async ({ testId, frames }) => {
  const element = document.querySelector('[data-testid="' + testId + '"]');
  const rect = element.getBoundingClientRect();
  const x0 = rect.left + rect.width / 2;
  const y0 = rect.top + rect.height / 2;
  const fire = (type, x, y) => element.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: y, button: 0, buttons: 1, bubbles: true, pointerId: 7, isPrimary: true }));
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  fire("pointerdown", x0, y0);
  await nextFrame();
  performance.clearMeasures("viewer-frame");
  const intervals = [];
  let last = await nextFrame();
  for (let i = 1; i <= frames; i++) {
    // A back-and-forth sweep: width and level both change every frame.
    fire("pointermove", x0 + 150 * Math.sin(i / 9), y0 + 80 * Math.cos(i / 13));
    const now = await nextFrame();
    intervals.push(now - last);
    last = now;
  }
  await nextFrame();
  fire("pointerup", x0, y0);
  return { renders: performance.getEntriesByName("viewer-frame").map((e) => e.duration), intervals, window: element.dataset.window };
}`;

/** A window/level drag of DRAG_FRAMES frames on one viewport, driven from inside the page. */
async function drag(
  page: Page,
  testId: string,
): Promise<{ renders: number[]; intervals: number[]; window: string | undefined }> {
  return page.evaluate(`(${DRAG_IN_PAGE})(${JSON.stringify({ testId, frames: DRAG_FRAMES })})`);
}

const VIEWS = [
  ["R", "CC"],
  ["L", "CC"],
  ["R", "MLO"],
  ["L", "MLO"],
] as const;
const API = `http://localhost:${API_PORT}`;

type Flags = { fullFirst?: boolean; noPrefetch?: boolean };

async function newPage(browser: Browser, flags: Flags = {}) {
  const context = await browser.newContext({
    baseURL: WEB,
    viewport: { width: 1920, height: 1080 },
    deviceScaleFactor: 1,
  });
  // Today's path, before progressive loading: every view at full resolution first, nothing ahead.
  await context.addInitScript(
    `window.__MAMMO_FULL_FIRST__ = ${Boolean(flags.fullFirst)}; window.__MAMMO_NO_PREFETCH__ = ${Boolean(flags.noPrefetch)};`,
  );
  const page = await context.newPage();
  // A state that never comes fails the bench (outside the test runner, Playwright waits forever).
  page.setDefaultTimeout(300_000);
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { context, page, errors };
}

async function signIn(page: Page, email: string): Promise<string> {
  await page.goto("/sign-in");
  // Before hydration the form would post to the page itself; "Sign in" alone also names the SSO button.
  await page.locator("form[data-hydrated]").waitFor({ timeout: 120_000 });
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor({ timeout: 120_000 });
  return (await page.context().cookies()).find((c) => c.name.endsWith("next-auth.session-token"))!.value;
}

async function gql<T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${API}/graphql`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(300_000),
  });
  const body = (await response.json()) as { data: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

/**
 * POST /imports with `Expect: 100-continue`: the API answers a refusal before the body is sent
 * and the answer is read. (fetch sent the 110 MB body at once; on a fresh platform it failed with
 * EPIPE on the first upload three times out of three, the API's answer unread; node:http with the
 * same body and headers imported the case.)
 */
async function postImport(token: string, form: FormData): Promise<{ status: number; body: string }> {
  const encoded = new Request(`${API}/imports`, { method: "POST", body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  return new Promise((resolve, reject) => {
    const request = http.request(`${API}/imports?site=NORTH`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": encoded.headers.get("content-type")!,
        "content-length": body.length,
        expect: "100-continue",
      },
    });
    request.on("continue", () => request.end(body));
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    request.on("error", reject);
  });
}

/** Imports one case of four synthetic views (`variant` makes its pixels, hence its files, its own). */
async function importCase(token: string, caseKey: string, variant: number): Promise<string> {
  const form = new FormData();
  const manifest = `file,patient,case,laterality,view\n${VIEWS.map(([l, v]) => `${caseKey}-${l}${v}.dcm,${caseKey}-P,${caseKey},${l},${v}`).join("\n")}\n`;
  form.append("manifest", new Blob([manifest], { type: "text/csv" }), "manifest.csv");
  for (const [index, [laterality, view]] of VIEWS.entries()) {
    const dicom = buildDicom({
      widthPx: W,
      heightPx: H,
      bitsStored: 14,
      pixels: syntheticMammogram(variant * 10 + index),
      attributes: {
        WindowCenter: 7000,
        WindowWidth: 9000,
        ImageLaterality: laterality,
        ViewPosition: view,
        // One study per case (the importer refuses a study already imported in another case).
        StudyInstanceUID: `1.2.826.0.1.3680043.8.498.2.${variant + 1}`,
        SeriesInstanceUID: `1.2.826.0.1.3680043.8.498.3.${variant + 1}.${index + 1}`,
        SOPInstanceUID: `1.2.826.0.1.3680043.8.498.${variant + 1}${index + 1}`,
      },
    });
    form.append("files", new Blob([new Uint8Array(dicom)]), `${caseKey}-${laterality}${view}.dcm`);
  }
  const imported = await postImport(token, form);
  if (imported.status !== 200 || !imported.body.includes('"errorCount":0'))
    throw new Error(`import failed: ${imported.status} ${imported.body}`);
  const found = await gql<{ cases: { edges: { node: { id: string } }[] } }>(
    token,
    "query ($k: String) { cases(first: 1, filter: { search: $k }) { edges { node { id } } } }",
    { k: caseKey },
  );
  return found.cases.edges[0]!.node.id;
}

const READY_IN_PAGE = `async ({ views, step }) => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const deadline = performance.now() + 300000;
  for (;;) {
    if (performance.now() > deadline) throw new Error("views not ready after 300 s: " + views.map((v) => v + "=" + document.querySelector('[data-testid="viewport-' + v + '"]')?.dataset.state).join(", ") + "; page: " + document.body.innerText.slice(0, 400));
    const room = document.querySelector(".reading-room");
    const sameStep = step === null || (room && room.dataset.step !== step);
    if (sameStep && views.every((v) => document.querySelector('[data-testid="viewport-' + v + '"][data-state="ready"]'))) return performance.now();
    await frame();
  }
}`;

// Where an open's time went, from the page's own timeline (ms from navigation start): the
// document's first byte, its scripts run (DOMContentLoaded), the pixel requests' first start and
// last end, and the views ready.
const PHASES_IN_PAGE = `(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const pixels = performance.getEntriesByType("resource").filter((e) => e.name.includes("/pixels.bin"));
  const scripts = performance.getEntriesByType("resource").filter((e) => e.initiatorType === "script" || e.name.endsWith(".js"));
  const f = (v) => Math.round(v) + " ms";
  return "document first byte " + f(nav.responseStart) + ", scripts loaded " + f(Math.max(0, ...scripts.map((e) => e.responseEnd))) +
    ", DOMContentLoaded " + f(nav.domContentLoadedEventEnd) + ", pixels " + pixels.length + " requests " + f(Math.min(...pixels.map((e) => e.startTime))) +
    " to " + f(Math.max(...pixels.map((e) => e.responseEnd))) + " (first byte by " + f(Math.max(...pixels.map((e) => e.responseStart))) + "), ready " + f(performance.now());
})()`;

/** Opens a case page in a fresh context and times it until all four views are drawn. */
async function openCase(
  browser: Browser,
  caseId: string,
  flags: Flags,
): Promise<{ seconds: number; level: string; phases: string }> {
  const { context, page, errors } = await newPage(browser, flags);
  try {
    await signIn(page, "annotator@north.example");
    const started = Date.now();
    await page.goto(`/cases/${encodeURIComponent(caseId)}`);
    await page.evaluate(`(${READY_IN_PAGE})(${JSON.stringify({ views: ["RCC", "LCC", "RMLO", "LMLO"], step: null })})`);
    const seconds = (Date.now() - started) / 1000;
    const level = (await page.getByTestId("viewport-RCC").getAttribute("data-level")) ?? "?";
    const phases = await page.evaluate<string>(PHASES_IN_PAGE);
    if (errors.length) throw new Error(`console errors: ${errors.join("; ")}`);
    return { seconds, level, phases };
  } finally {
    await context.close();
  }
}

/** The derived full-depth pixel files in the platform's blob store (the import makes levels 2-6 of each view). */
function derivedPixelFiles(): string[] {
  const derived = path.join(DATA_DIR, "blobs", "derived");
  return readdirSync(derived).flatMap((dir) =>
    readdirSync(path.join(derived, dir))
      .filter((file) => file.startsWith("pixels16-"))
      .map((file) => path.join(derived, dir, file)),
  );
}

/** Removes every derived full-depth pixel file: the next open decodes. */
function removeDerivedPixels() {
  for (const file of derivedPixelFiles()) rmSync(file);
}

/** Sets up a study on the bench cases, read by reader 1 (one unaided arm). */
async function readingStudy(coordinator: string, annotator: string, caseIds: string[]): Promise<void> {
  for (const caseId of caseIds)
    await gql(annotator, "mutation ($input: AddPathologyLabelInput!) { addPathologyLabel(input: $input) { id } }", {
      input: { caseId, laterality: "L", subtype: "SOLID", source: "SURGERY" },
    });
  const sites = await gql<{ me: { memberships: { role: string; site: { id: string; code: string } }[] } }>(
    coordinator,
    "{ me { memberships { role site { id code } } } }",
  );
  const siteId = sites.me.memberships.find((m) => m.role === "COORDINATOR" && m.site.code === "NORTH")!.site.id;
  const created = await gql<{ createReaderStudy: { id: string } }>(
    coordinator,
    "mutation ($input: CreateReaderStudyInput!) { createReaderStudy(input: $input) { id } }",
    { input: { name: `Viewer bench ${Date.now()}`, siteId, seed: 3 } },
  );
  const studyId = created.createReaderStudy.id;
  await gql(coordinator, "mutation ($input: StudyCasesInput!) { addStudyCases(input: $input) { id } }", {
    input: { studyId, caseIds },
  });
  await gql(coordinator, "mutation ($input: AddStudyReaderInput!) { addStudyReader(input: $input) { id } }", {
    input: { studyId, email: "reader1@north.example", arm: "UNAIDED" },
  });
  await gql(coordinator, "mutation ($id: ID!) { openReaderStudy(id: $id) { id } }", { id: studyId });
}

const ANSWER_IN_PAGE = `async ({ views }) => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const room = document.querySelector(".reading-room");
  const step = room.dataset.step;
  const key = (k) => document.body.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
  // A frame between the keys, as between a person's key presses: after the subtype the digits set
  // the confidence, once the page has taken the first key.
  key("1");
  await frame();
  await frame();
  key("7");
  await frame();
  await frame();
  const t0 = performance.now();
  key("Enter");
  const deadline = performance.now() + 300000;
  for (;;) {
    if (performance.now() > deadline) throw new Error("the next case did not come within 300 s; page: " + document.body.innerText.slice(0, 600));
    const now = document.querySelector(".reading-room");
    if (now && now.dataset.step !== step && views.every((v) => document.querySelector('[data-testid="viewport-' + v + '"][data-state="ready"]'))) break;
    await frame();
  }
  await frame();
  return performance.now() - t0;
}`;

/** Reads one case, waits for the next one to be fetched ahead (when on), submits, times the next case to screen. */
async function nextCase(page: Page): Promise<number> {
  const views = ["RCC", "LCC", "RMLO", "LMLO"];
  try {
    await page.evaluate(`(${READY_IN_PAGE})(${JSON.stringify({ views, step: null })})`);
    await page.locator(".reading-room[data-prefetched]").waitFor({ timeout: 300_000 });
    return await page.evaluate(`(${ANSWER_IN_PAGE})(${JSON.stringify({ views })})`);
  } catch (error) {
    const file = path.join(os.tmpdir(), "bench-viewer-next-case.png");
    await page.screenshot({ path: file });
    throw new Error(`the next-case measure failed (the page: ${file})`, { cause: error });
  }
}

async function measureDrags(browser: Browser, caseId: string): Promise<string[]> {
  const { context, page } = await newPage(browser);
  const rows: string[] = [];
  try {
    await signIn(page, "annotator@north.example");
    await page.goto(`/cases/${encodeURIComponent(caseId)}`);
    await page.evaluate(`(${READY_IN_PAGE})(${JSON.stringify({ views: ["RCC", "LCC", "RMLO", "LMLO"], step: null })})`);
    const scenario = async (label: string, testId: string) => {
      const before = await page.getByTestId(testId).getAttribute("data-window");
      const result = await drag(page, testId);
      if (result.window === before) throw new Error("the drag did not change the window");
      const box = (await page.getByTestId(testId).boundingBox())!;
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      rows.push(
        `| window/level drag, ${label} (canvas ${size}) | ${result.renders.length} canvas draws / ${DRAG_FRAMES} moves | ${quantile(result.renders, 0.5).toFixed(1)} / ${quantile(result.renders, 0.95).toFixed(1)} ms | ${quantile(result.intervals, 0.5).toFixed(1)} / ${quantile(result.intervals, 0.95).toFixed(1)} ms | ${(1000 / quantile(result.intervals, 0.5)).toFixed(0)} |`,
      );
    };
    await scenario("1x4 hanging, fitted, all four windowed together", "viewport-RCC");
    await page.getByRole("button", { name: "2×2" }).click();
    await scenario("2x2 hanging, fitted", "viewport-RCC");
    await page.getByRole("button", { name: "1-up", exact: true }).click();
    // The single view is a viewport of its own: it loads its level before the drag starts.
    await page.getByTestId("viewport-LCC").waitFor({ state: "detached" });
    await page.locator('[data-testid="viewport-RCC"][data-state="ready"]').waitFor();
    await scenario("single view, fitted", "viewport-RCC");
    await page.getByRole("button", { name: "1:1" }).click();
    await page.locator('[data-testid="viewport-RCC"][data-level="0"]').waitFor({ timeout: 300_000 });
    await scenario("single view, 1 image px per screen px (full resolution)", "viewport-RCC");
    // Back to the reader's default for whoever comes next.
    await page.getByRole("button", { name: "1×4" }).click();
  } finally {
    await context.close();
  }
  return rows;
}

/** Every level of the cases' views computed and cached on the server, so both paths find them warm. */
async function warmServer(token: string, caseIds: string[]) {
  for (const caseId of caseIds) {
    const found = await gql<{ case: { images: { id: string }[] } }>(
      token,
      "query ($id: ID!) { case(id: $id) { images { id } } }",
      {
        id: caseId,
      },
    );
    for (const image of found.case.images) {
      const raw = Buffer.from(image.id, "base64").toString().split(":")[1];
      for (const level of [0, 1, 2, 3]) {
        const response = await fetch(`${API}/images/${raw}/pixels.bin?level=${level}`, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(300_000),
        });
        if (!response.ok) throw new Error(`warming level ${level} of ${raw}: HTTP ${response.status}`);
        await response.arrayBuffer();
      }
    }
  }
}

function startPlatform() {
  const env = {
    ...process.env,
    E2E_WEB_PORT: String(WEB_PORT),
    E2E_API_PORT: String(API_PORT),
    E2E_DATA_DIR: DATA_DIR,
  };
  const platform = spawn(
    process.execPath,
    [path.join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "tests/e2e/serve.ts"],
    {
      cwd: repoRoot,
      env,
      stdio: ["ignore", process.env.BENCH_VERBOSE ? "inherit" : "ignore", "inherit"],
      detached: true,
    },
  );
  const stop = () => {
    try {
      process.kill(-platform.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.on("SIGINT", () => {
    stop();
    process.exit(130);
  });
  return stop;
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

async function main() {
  const stop = startPlatform();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const loadBefore = load();
  try {
    console.error("[bench:viewer] starting the platform (production build, fresh database)…");
    await waitFor(`${WEB}/sign-in`, 900_000);
    await waitFor(`${API}/healthz`, 120_000);
    const admin = await newPage(browser);
    const adminToken = await signIn(admin.page, "admin@north.example");
    const coordinator = await signIn((await newPage(browser)).page, "coordinator@north.example");
    const annotator = await signIn((await newPage(browser)).page, "annotator@north.example");
    // A case of its own for each first open (REPEATS per path), and four for the reading study.
    const caseCount = 2 * REPEATS + (process.env.BENCH_OPEN_ONLY ? 0 : 4);
    console.error(`[bench:viewer] importing ${caseCount} cases of four 3328x4096 DICOM views (14 bits stored)…`);
    const ids: string[] = [];
    const importStarted = Date.now();
    for (let n = 0; n < caseCount; n++) ids.push(await importCase(adminToken, `BENCH-C${n + 1}`, n));
    console.error(
      `[bench:viewer] imported in ${((Date.now() - importStarted) / 1000).toFixed(0)} s; ${derivedPixelFiles().length} derived pixel files in the blob store`,
    );
    const firstCases = ids.slice(0, 2 * REPEATS);
    const readCases = ids.slice(2 * REPEATS);

    console.error("[bench:viewer] opening cases: progressive vs full resolution first…");
    // Next.js renders a route's first request slower: one untimed open of a demo case first.
    const demo = await gql<{ cases: { edges: { node: { id: string } }[] } }>(
      adminToken,
      "{ cases(first: 1) { edges { node { id } } } }",
    );
    const warmUp = await newPage(browser);
    await signIn(warmUp.page, "annotator@north.example");
    await warmUp.page.goto(`/cases/${encodeURIComponent(demo.cases.edges[0]!.node.id)}`);
    await warmUp.page.getByRole("heading").first().waitFor();
    await warmUp.context.close();
    const paths = [
      { label: "progressive (screen level first)", flags: {} },
      { label: "today's path (full resolution first)", flags: { fullFirst: true, noPrefetch: true } },
    ] as const;
    type Open = Awaited<ReturnType<typeof openCase>>;
    const opens = paths.map((p, i) => ({
      ...p,
      cases: firstCases.filter((_, n) => n % 2 === i),
      first: [] as Open[],
      decodes: [] as Open[],
      warm: [] as Open[],
    }));
    const log = (label: string, what: string, o: Open) =>
      console.error(`[bench:viewer] ${label}, ${what}: ${o.seconds.toFixed(2)} s (level ${o.level}; ${o.phases})`);
    // In turns, so that a noisy minute hits both paths: the first open after import (a case
    // nobody opened), then on one case the server decoding again (its derived pixel files
    // removed) and warm (cached), REPEATS times each.
    // The API stores the levels it derived after it answers: each open waits until the files it
    // made are on disk (4 views: level 0 each by today's path, levels 1-6 each progressively),
    // so that the next open does not meet the last one's writes.
    let expectedFiles = derivedPixelFiles().length;
    const written = async (added: number) => {
      expectedFiles += added;
      const deadline = Date.now() + 300_000;
      while (derivedPixelFiles().length < expectedFiles) {
        if (Date.now() > deadline)
          throw new Error(`derived pixel files: ${derivedPixelFiles().length} of ${expectedFiles}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    for (let r = 0; r < REPEATS; r++)
      for (const o of r % 2 ? [...opens].reverse() : opens) {
        const first = await openCase(browser, o.cases[r]!, o.flags);
        await written(o.flags === paths[0].flags ? 0 : 4);
        o.first.push(first);
        log(o.label, "first open after import", first);
      }
    for (let r = 0; r < REPEATS; r++)
      for (const o of r % 2 ? [...opens].reverse() : opens) {
        removeDerivedPixels();
        expectedFiles = 0;
        const decoded = await openCase(browser, o.cases[0]!, o.flags);
        await written(o.flags === paths[0].flags ? 24 : 4);
        o.decodes.push(decoded);
        log(o.label, "server decodes", decoded);
        const warm = await openCase(browser, o.cases[0]!, o.flags);
        o.warm.push(warm);
        log(o.label, "warm", warm);
      }
    const median = (xs: Open[]) =>
      quantile(
        xs.map((x) => x.seconds),
        0.5,
      );
    const spread = (xs: Open[]) =>
      `${median(xs).toFixed(2)} s (${Math.min(...xs.map((x) => x.seconds)).toFixed(2)}-${Math.max(...xs.map((x) => x.seconds)).toFixed(2)})`;
    const openRows = () => {
      const [progressive, today] = opens as [(typeof opens)[number], (typeof opens)[number]];
      return [
        `\n| opening a case of four views, median of ${REPEATS} (range) | first open after import | server decodes (derived files removed) | warm: server cached | level drawn first |`,
        "| --- | --- | --- | --- | --- |",
        ...opens.map(
          (o) =>
            `| ${o.label} | ${spread(o.first)} | ${spread(o.decodes)} | ${spread(o.warm)} | ${o.first[0]!.level} |`,
        ),
        `| ratio (today / progressive), medians | **${(median(today.first) / median(progressive.first)).toFixed(1)}x** | **${(median(today.decodes) / median(progressive.decodes)).toFixed(1)}x** | **${(median(today.warm) / median(progressive.warm)).toFixed(1)}x** | |`,
      ];
    };
    // BENCH_OPEN_ONLY=1: the opens alone (a quicker loop while working on them).
    if (process.env.BENCH_OPEN_ONLY) {
      for (const row of openRows()) console.log(row);
      return;
    }
    console.error("[bench:viewer] the next case after submitting a read…");
    await readingStudy(coordinator, annotator, readCases);
    console.error("[bench:viewer] study open; warming the server's levels of its cases…");
    // Every level of the study's cases cached on the server: both paths find them warm.
    await warmServer(adminToken, readCases);
    console.error("[bench:viewer] reading with the next case fetched ahead…");
    const reader = await newPage(browser);
    await signIn(reader.page, "reader1@north.example");
    await reader.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reading" }).click();
    await reader.page
      .getByRole("row", { name: /Viewer bench/ })
      .getByRole("link", { name: /reading/ })
      .click();
    const prefetched = await nextCase(reader.page);
    await reader.context.close();
    console.error("[bench:viewer] reading without it (today's path)…");
    const plain = await newPage(browser, { fullFirst: true, noPrefetch: true });
    await signIn(plain.page, "reader1@north.example");
    await plain.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reading" }).click();
    await plain.page
      .getByRole("row", { name: /Viewer bench/ })
      .getByRole("link", { name: /reading/ })
      .click();
    const unprefetched = await nextCase(plain.page);
    await plain.context.close();

    console.error("[bench:viewer] window/level drags…");
    const drags = await measureDrags(browser, opens[0]!.cases[0]!);

    console.log(
      `machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB; load average (1/5/15 min) ${loadBefore} before, ${load()} after; Chromium headless, software rendering (--disable-gpu), 1920x1080 window, device pixel ratio 1, a fresh browser context per open`,
    );
    for (const row of openRows()) console.log(row);
    console.log("\n| next case on screen after Enter | time |");
    console.log("| --- | --- |");
    console.log(`| fetched ahead while reading (screen level) | ${(prefetched / 1000).toFixed(2)} s |`);
    console.log(`| not fetched ahead, full resolution (today's path) | ${(unprefetched / 1000).toFixed(2)} s |`);
    console.log("\n| scenario | draws | one canvas draw p50 / p95 | frame interval p50 / p95 | frames/s |");
    console.log("| --- | --- | --- | --- | --- |");
    for (const row of drags) console.log(row);
    if (admin.errors.length) console.log(`console errors: ${admin.errors.join("; ")}`);
  } finally {
    await browser.close();
    stop();
  }
}

await main();
