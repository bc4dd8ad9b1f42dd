// Progressive loading (issue 15): each view is fetched at the level its viewport needs (the
// coarsest with a sample per screen pixel), a larger viewport fetches the next finer level, and
// full resolution comes only when the reader zooms to it. Four 2048x2560 views, imported here
// through POST /imports as the import CLI and the web app do.
import type { Page } from "@playwright/test";
import sharp from "sharp";
import { E2E_API_PORT } from "../../playwright.config.ts";
import { expect, expectViewerReady, test } from "./support/fixtures.ts";
import { signIn } from "./support/sign-in.ts";

const API = `http://localhost:${E2E_API_PORT}`;
const W = 2048;
const H = 2560;
const VIEWS = ["R,CC", "L,CC", "R,MLO", "L,MLO"];

test.use({ viewport: { width: 1920, height: 1080 } });

/**
 * The level a fitted view needs, from the definition (level k holds side / 2^k samples; the
 * coarsest one that still has a sample per screen pixel of the fitted image).
 */
function levelFor(box: { width: number; height: number }): number {
  const fittedWidth = W * Math.min(box.width / W, box.height / H);
  let level = 0;
  while (W / 2 ** (level + 1) >= fittedWidth) level++;
  return level;
}

async function importLargeCase(page: Page, caseKey: string): Promise<string> {
  await signIn(page, "admin@north.example");
  const token = (await page.context().cookies()).find((c) => c.name.endsWith("next-auth.session-token"))!.value;
  const form = new FormData();
  const manifest = `file,patient,case,laterality,view\n${VIEWS.map((v, i) => `v${i}.png,${caseKey}-P,${caseKey},${v}`).join("\n")}\n`;
  form.append("manifest", new Blob([manifest], { type: "text/csv" }), "manifest.csv");
  for (const [i] of VIEWS.entries()) {
    // A diagonal ramp, each view its own (the same pixels twice would be one image).
    const pixels = Buffer.alloc(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) pixels[y * W + x] = (x + y + 40 * i) % 256;
    const png = await sharp(pixels, { raw: { width: W, height: H, channels: 1 } })
      .png()
      .toBuffer();
    form.append("files", new Blob([new Uint8Array(png)]), `v${i}.png`);
  }
  const imported = await fetch(`${API}/imports?site=NORTH`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const summary = await imported.text();
  expect(imported.status, summary).toBe(200);
  expect(summary).toContain('"errorCount":0');
  const found = await fetch(`${API}/graphql`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      query: "query ($k: String) { cases(first: 1, filter: { search: $k }) { edges { node { id } } } }",
      variables: { k: caseKey },
    }),
  });
  return ((await found.json()) as { data: { cases: { edges: { node: { id: string } }[] } } }).data.cases.edges[0]!.node
    .id;
}

test("a view is fetched at the level its viewport needs, and at full resolution only when zoomed to it", async ({
  page,
}) => {
  const caseId = await importLargeCase(page, `PROG-${Date.now()}`);
  const fetched: number[] = [];
  page.on("request", (r) => {
    const level = /\/pixels\.bin\?level=(\d+)/.exec(r.url())?.[1];
    if (level !== undefined) fetched.push(Number(level));
  });
  await page.goto(`/cases/${caseId}`);
  await expectViewerReady(page);
  const rcc = page.getByTestId("viewport-RCC");
  const size = () => rcc.evaluate((e) => ({ width: e.clientWidth, height: e.clientHeight }));
  const hanging = await size();
  const hangingLevel = levelFor(hanging);
  expect(hangingLevel, "a hanging of several views needs a coarse level of a 2048x2560 view").toBeGreaterThanOrEqual(2);
  await expect(rcc).toHaveAttribute("data-level", String(hangingLevel));

  // One view: a larger viewport, so the next finer level, still not full resolution.
  await page.getByRole("button", { name: "1-up", exact: true }).click();
  await expect.poll(async () => (await size()).width).toBeGreaterThan(hanging.width);
  const singleLevel = levelFor(await size());
  expect(singleLevel).toBeLessThan(hangingLevel);
  expect(singleLevel).toBeGreaterThan(0);
  await expect(rcc).toHaveAttribute("data-level", String(singleLevel));
  await expect(rcc).toHaveAttribute("data-state", "ready");
  expect(fetched, "levels fetched before any zoom").not.toContain(0);

  // 1:1 (one image pixel per screen pixel): now full resolution.
  await page.getByRole("button", { name: "1:1" }).click();
  await expect(rcc).toHaveAttribute("data-level", "0");
  expect(fetched).toContain(0);
});
