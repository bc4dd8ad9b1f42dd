// `npm run bench:viewer`: the viewer opens a 3328x4096 16-bit (14 bits stored) mammogram and
// answers window/level drags. Starts the platform as the e2e tests do (tests/e2e/serve.ts: a
// production build, fresh database), imports one synthetic DICOM through POST /imports, then in
// Chromium measures: time to open (pixels fetched, decoded, pyramid built, first frame), and per
// frame of a window/level drag (pointer moves dispatched once per animation frame, in the page,
// so Playwright's round trips are not in the figures) the render time ("viewer-frame" performance
// measures) and the interval between frames. Prints a Markdown table for BENCHMARKS.md.
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { repoRoot } from "@mammo/db";
import { buildDicom } from "@mammo/imaging/testing";

const WEB_PORT = Number(process.env.BENCH_WEB_PORT ?? 3201);
const API_PORT = Number(process.env.BENCH_API_PORT ?? 4201);
const WEB = `http://localhost:${WEB_PORT}`;
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

async function main() {
  const env = { ...process.env, E2E_WEB_PORT: String(WEB_PORT), E2E_API_PORT: String(API_PORT) };
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
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    console.error("[bench:viewer] starting the platform (production build, fresh database)…");
    await waitFor(`${WEB}/sign-in`, 900_000);
    await waitFor(`http://localhost:${API_PORT}/healthz`, 120_000);
    const context = await browser.newContext({
      baseURL: WEB,
      viewport: { width: 1920, height: 1080 },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("admin@north.example");
    await page.getByLabel("Password").fill("demo-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    try {
      await page.getByRole("navigation", { name: "Main" }).waitFor({ timeout: 120_000 });
    } catch (error) {
      throw new Error(
        `sign-in failed (${(await page.getByRole("alert").allTextContents()).join(" ")} at ${page.url()})`,
        { cause: error },
      );
    }
    const token = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"))!.value;

    console.error("[bench:viewer] importing four 3328x4096 DICOM views (14 bits stored)…");
    const form = new FormData();
    form.append("site", "NORTH");
    const views = [
      ["R", "CC"],
      ["L", "CC"],
      ["R", "MLO"],
      ["L", "MLO"],
    ] as const;
    form.append(
      "manifest",
      new Blob(
        [
          `file,patient,case,laterality,view\n${views.map(([l, v]) => `${l}${v}.dcm,BENCH-P1,BENCH-C1,${l},${v}`).join("\n")}\n`,
        ],
        { type: "text/csv" },
      ),
      "manifest.csv",
    );
    for (const [index, [laterality, view]] of views.entries()) {
      const dicom = buildDicom({
        widthPx: W,
        heightPx: H,
        bitsStored: 14,
        pixels: syntheticMammogram(index),
        attributes: {
          WindowCenter: 7000,
          WindowWidth: 9000,
          ImageLaterality: laterality,
          ViewPosition: view,
          SOPInstanceUID: `1.2.826.0.1.3680043.8.498.1${index + 1}`,
        },
      });
      form.append("files", new Blob([new Uint8Array(dicom)]), `${laterality}${view}.dcm`);
    }
    const imported = await fetch(`http://localhost:${API_PORT}/imports`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    const summary = await imported.text();
    if (!imported.ok || !summary.includes('"errorCount":0'))
      throw new Error(`import failed: ${imported.status} ${summary}`);
    const found = await fetch(`http://localhost:${API_PORT}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ query: "{ cases(first: 100) { edges { node { id images { widthPx bitsStored } } } } }" }),
    });
    const cases = (
      (await found.json()) as {
        data: { cases: { edges: { node: { id: string; images: { widthPx: number; bitsStored: number }[] } }[] } };
      }
    ).data.cases.edges;
    const caseId = cases.find((e) => e.node.images.some((i) => i.widthPx === W))?.node.id;
    if (!caseId) throw new Error("the imported case is not listed");

    const rows: string[] = [];
    const open = async (label: string) => {
      const started = Date.now();
      await page.goto(`/cases/${encodeURIComponent(caseId)}`);
      for (const view of ["RCC", "LCC", "RMLO", "LMLO"])
        await page
          .getByTestId(`viewport-${view}`)
          .and(page.locator("[data-state=ready]"))
          .waitFor({ timeout: 300_000 });
      await page.waitForFunction('performance.getEntriesByName("viewer-frame").length > 0');
      rows.push(`| ${label} | ${((Date.now() - started) / 1000).toFixed(2)} s | | | |`);
    };
    await open("cold: server decodes and caches the pixels");
    await open("warm: pixels cached on the server");

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
    await scenario("4-view hanging, fitted, all four windowed together", "viewport-RCC");
    await page.getByRole("button", { name: "Single", exact: true }).click();
    await scenario("single view, fitted", "viewport-RCC");
    await page.getByRole("button", { name: "1:1" }).click();
    await scenario("single view, 1 image px per screen px", "viewport-RCC");

    console.log(
      `machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB; Chromium headless, software rendering (--disable-gpu), 1920x1080 window, device pixel ratio 1`,
    );
    console.log("| scenario | draws | one canvas draw p50 / p95 | frame interval p50 / p95 | frames/s |");
    console.log("| --- | --- | --- | --- | --- |");
    for (const row of rows) console.log(row);
    if (errors.length) console.log(`console errors: ${errors.join("; ")}`);
  } finally {
    await browser.close();
    stop();
  }
}

await main();
