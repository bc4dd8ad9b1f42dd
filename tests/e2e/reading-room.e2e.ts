import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { E2E_API_PORT } from "../../playwright.config.ts";
import { checkScreen, expect, expectReadyToAnswer, expectViewerReady, pageFor, test } from "./support/fixtures.ts";
import { DEMO_PASSWORD, signIn } from "./support/sign-in.ts";

// The reading room on the demo study (open; reader 2 in the aided arm, reader 1 unaided): reads
// that count (server and screen), the keyboard-only read of a whole study in the 1x4 hanging at
// 1366x768, session expiry mid-read, the design checks before a study opens, and the report with
// its reading times and downloads once the study is closed.
// Each test signs in, reads and waits for the four views several times: on a loaded 2-core machine
// that takes over the default 90 s (about a minute each on a quiet one).
test.describe.configure({ mode: "serial", timeout: 300_000 });

const SHOTS = "test-results/screenshots";
// The lead's note collects the final screenshots here (outside the repository).
const NOTE_DIR = process.env.SCREENSHOT_NOTE_DIR;

async function shot(page: Page, name: string) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  if (NOTE_DIR) {
    mkdirSync(NOTE_DIR, { recursive: true });
    copyFileSync(file, path.join(NOTE_DIR, `${name}.png`));
  }
}

/** GraphQL straight to the API with the browser's own session (as the web app's server would send it). */
async function apiAs(page: Page, query: string, variables: Record<string, unknown> = {}) {
  const session = (await page.context().cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  const response = await page.request.post(`http://localhost:${E2E_API_PORT}/graphql`, {
    headers: { authorization: `Bearer ${session!.value}`, "content-type": "application/json" },
    data: { query, variables },
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
}

async function demoStudyId(page: Page): Promise<string> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reading" }).click();
  const href = await page
    .getByRole("row", { name: /Demo reader study/ })
    .getByRole("link", { name: /reading/ })
    .getAttribute("href");
  return decodeURIComponent(href!.split("/reading/")[1]!);
}

const STEP_URL = (phase: string) => new RegExp(`/reading/[^/]+/C-\\d{3}/${phase}$`);

/** No scroll bar either way: the whole reading room fits the window. */
async function expectNoScrolling(page: Page) {
  const overflow = await page.evaluate(() => ({
    y: document.documentElement.scrollHeight - window.innerHeight,
    x: document.documentElement.scrollWidth - window.innerWidth,
  }));
  expect(overflow).toEqual({ x: 0, y: 0 });
}

test("a read counts only once every view is on screen, with an explicit confidence; Enter submits from a focused button; the URL follows the step", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, "reader2@south.example");
  const studyId = await demoStudyId(page);

  // The server refuses a read of a case whose images were never delivered to this reader.
  const step = (await apiAs(page, "query ($s: ID!) { myNextCase(studyId: $s) { caseCode phase } }", { s: studyId }))
    .data!.myNextCase as unknown as { caseCode: string; phase: string };
  const early = await apiAs(page, "mutation ($input: SubmitReadInput!) { submitRead(input: $input) { read { id } } }", {
    input: { studyId, ...step, answer: "SOLID", confidence: 50, timeSpentMs: 1000 },
  });
  expect(early.errors?.[0]?.message).toMatch(/images have not all been shown to you/);

  // On screen: the answer controls wait for every view. Hold the pixels until checked.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/pixels\.bin/, async (route) => {
    await held;
    await route.continue();
  });
  await page
    .getByRole("row", { name: /Demo reader study/ })
    .getByRole("link", { name: /reading/ })
    .click();
  await expect(page).toHaveURL(STEP_URL("unaided"));
  const panel = page.getByRole("complementary", { name: "Your read" });
  await expect(panel.getByTestId("answer-wait")).toBeVisible();
  await expect(panel.getByRole("radio").first()).toBeDisabled();
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  await expect(panel.getByRole("radio").first()).not.toBeChecked();
  release();
  await expectReadyToAnswer(page);
  await page.unroute(/pixels\.bin/);
  await expect(panel.getByTestId("answer-wait")).toHaveCount(0);
  expect((await apiAs(page, "query ($s: ID!) { myReads(studyId: $s) { id } }", { s: studyId })).data!.myReads).toEqual(
    [],
  );

  // No default confidence: a subtype alone cannot be submitted.
  await page.keyboard.press("1");
  await expect(panel.getByRole("radio").first()).toBeChecked();
  await expect(panel.getByTestId("confidence-value")).toHaveText("not given");
  await expect(panel.getByRole("button", { name: /Submit read/ })).toBeDisabled();
  await expect(panel).toContainText("Still needed: a confidence");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(STEP_URL("unaided"));
  await page.keyboard.press("7");
  await expect(panel.getByTestId("confidence-value")).toHaveText("70");

  // Enter submits even when a toolbar button has focus (it used to press the button instead).
  const invert = page.getByRole("toolbar", { name: "Viewer tools" }).getByRole("button", { name: "Invert" });
  await invert.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(STEP_URL("aided"));
  await expect(page.getByTestId("ai-assistance")).toBeVisible();
  const aidedUrl = page.url();

  // Back and Forward never show the unaided step again: the URL and the page stay on the current step.
  await page.goBack();
  await expect(page).toHaveURL(aidedUrl);
  await expect(page.getByTestId("ai-assistance")).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(aidedUrl);
  await expectReadyToAnswer(page);
  await page.keyboard.press("2");
  await page.keyboard.press("8");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(STEP_URL("unaided"));
  await expect(page.getByTestId("reading-progress")).toContainText("Case 2 of 12");
  await expect(panel.getByRole("alert")).toHaveCount(0);
});

test("a whole study read with the keyboard only, in the 1x4 hanging at 1366x768 without scrolling", async ({
  page,
}) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, "reader2@south.example");
  await demoStudyId(page);
  await page
    .getByRole("row", { name: /Demo reader study/ })
    .getByRole("link", { name: /reading/ })
    .click();
  const progress = page.getByTestId("reading-progress");
  for (let position = 2; position <= 12; position++) {
    await expect(progress).toContainText(`Case ${position} of 12`);
    for (const phase of ["unaided", "aided"]) {
      await expect(page).toHaveURL(STEP_URL(phase));
      await expectReadyToAnswer(page);
      if (position === 2 && phase === "unaided") {
        // The 1x4 hanging: four portrait views in one row, each nearly the window's height.
        await expect(page.locator(".hanging-grid")).toHaveAttribute("data-hanging", "ONE_BY_FOUR");
        const boxes = await Promise.all(
          ["RCC", "LCC", "RMLO", "LMLO"].map(async (v) => (await page.getByTestId(`viewport-${v}`).boundingBox())!),
        );
        expect(new Set(boxes.map((b) => Math.round(b.y))).size).toBe(1);
        expect(boxes.map((b) => b.x)).toEqual([...boxes.map((b) => b.x)].sort((a, b) => a - b));
        for (const b of boxes) expect(b.height).toBeGreaterThan(0.75 * 768);
        await expectNoScrolling(page);
        await shot(page, "reading-1x4-1366x768");
        await checkScreen(page, "reading-1x4-1366x768-axe");
        // Full-screen reading: the reading room alone.
        await page.keyboard.press("Shift+F");
        await expect(page.locator(".reading-room")).toHaveClass(/is-full-screen/);
        await expectViewerReady(page);
        await shot(page, "reading-fullscreen-1366x768");
        await page.keyboard.press("Shift+F");
        await expect(page.locator(".reading-room")).not.toHaveClass(/is-full-screen/);
      }
      if (position === 3 && phase === "aided") {
        // Every shortcut on ?.
        await page.keyboard.press("?");
        const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
        await expect(help).toContainText("submit the read");
        await expect(help).toContainText("Magnifier tool");
        await page.keyboard.press("Escape");
        await expect(help).toHaveCount(0);
      }
      await page.keyboard.press(String(((position + (phase === "aided" ? 1 : 0)) % 3) + 1));
      await page.keyboard.press(String(position % 10));
      await expectNoScrolling(page);
      await page.keyboard.press("Enter");
      if (phase === "unaided") await expect(page.getByTestId("ai-assistance")).toBeVisible();
    }
  }
  await expect(page.getByText("All 12 cases read.")).toBeVisible();
});

test("an ended session keeps the answer: sign in again and the same step comes back with it", async ({
  page,
  consoleErrors,
}) => {
  // Requests made between the end of the session and the new sign-in are refused (401).
  consoleErrors.allow(/status of 401/);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await signIn(page, "reader1@north.example");
  await demoStudyId(page);
  await page
    .getByRole("row", { name: /Demo reader study/ })
    .getByRole("link", { name: /reading/ })
    .click();
  await expectViewerReady(page);
  await shot(page, "reading-1x4-1920x1080");
  const toolbar = page.getByRole("toolbar", { name: "Viewer tools" });
  await toolbar.getByRole("button", { name: "2×2" }).click();
  await expect(page.locator(".hanging-grid")).toHaveAttribute("data-hanging", "TWO_BY_TWO");
  await expectViewerReady(page);
  await shot(page, "reading-2x2-1920x1080");
  await page.setViewportSize({ width: 1366, height: 768 });
  await expectNoScrolling(page);
  await shot(page, "reading-2x2-1366x768");
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.keyboard.press("Shift+F");
  await shot(page, "reading-fullscreen-1920x1080");
  await page.keyboard.press("Shift+F");

  const stepUrl = page.url();
  await page.keyboard.press("2");
  await page.keyboard.press("6");
  const panel = page.getByRole("complementary", { name: "Your read" });
  await expect(panel.getByTestId("confidence-value")).toHaveText("60");
  await page.context().clearCookies();
  await page.keyboard.press("Enter");
  const alert = panel.getByRole("alert");
  await expect(alert).toContainText("Your session has ended");
  await alert.getByRole("link", { name: "Sign in again" }).click();
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.getByLabel("Email").fill("reader1@north.example");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(stepUrl);
  await expectReadyToAnswer(page);
  // The draft is back, and the hanging chosen before is the user's own.
  await expect(panel.getByRole("radio").nth(1)).toBeChecked();
  await expect(panel.getByTestId("confidence-value")).toHaveText("60");
  await expect(page.locator(".hanging-grid")).toHaveAttribute("data-hanging", "TWO_BY_TWO");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("reading-progress")).toContainText("Case 2 of 12");
});

test("the design is checked before a study opens: kept input next to the field, cases from all sites, unscorable cases refused by name", async ({
  page,
  browser,
  consoleErrors,
}) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  page.on("dialog", (dialog) => void dialog.accept());
  await signIn(page, "coordinator@north.example");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reader studies" }).click();
  const form = page.getByRole("form", { name: "New reader study" });
  const name = `E2E design checks ${Date.now()}`;
  await form.getByLabel("Name").fill(name);
  await form.getByLabel(/AI-aided/).uncheck();
  await form.getByRole("button", { name: "Create study" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();

  // A wrong reader email: the error next to the field, the typed email kept.
  const readers = page.getByRole("form", { name: "Add a reader" });
  await readers.getByLabel("Reader email").fill("nobody@nowhere.example");
  await readers.getByRole("button", { name: "Add reader" }).click();
  await expect(readers.getByRole("alert")).toContainText(/not found|no such|reader/i);
  await expect(readers.getByLabel("Reader email")).toHaveValue("nobody@nowhere.example");
  await readers.getByLabel("Reader email").fill("reader1@north.example");
  await readers.getByRole("button", { name: "Add reader" }).click();
  await expect(page.getByRole("table", { name: "Readers" })).toContainText("reader1@north.example");

  // Cases of both of the coordinator's sites (the study is NORTH's), found by key.
  const picker = page.getByRole("form", { name: "Add cases" });
  const offeredLabels = picker.getByRole("group", { name: "Labelled cases" }).locator("label");
  // The search is debounced: wait until the list shows that search's cases only (the list before it
  // holds both sites' cases, and reading it raced with the new results).
  await picker.getByLabel("Accession key").fill("N-000");
  await expect(offeredLabels.filter({ hasNotText: /^N-000/ })).toHaveCount(0);
  await expect(picker.getByRole("group", { name: "Labelled cases" })).toContainText("NORTH");
  await picker.getByLabel("Accession key").fill("S-001");
  await expect(offeredLabels.filter({ hasNotText: /^S-001/ })).toHaveCount(0);
  await expect(picker.getByRole("group", { name: "Labelled cases" })).toContainText("SOUTH");
  const offered = picker.getByRole("group", { name: "Labelled cases" }).getByRole("checkbox");
  await expect(offered.first()).toBeVisible();
  const labels = await picker.getByRole("group", { name: "Labelled cases" }).locator("label").allTextContents();
  const keys = labels.map((l) => l.split(" ")[0]!).slice(0, 2);
  for (const key of keys) await picker.getByLabel(new RegExp(`^${key}`)).check();
  await picker.getByRole("button", { name: "Add 2 cases" }).click();
  await expect(page.getByRole("list", { name: "Study cases" }).getByRole("listitem")).toHaveCount(2);

  // The pathology of one of them changes to Normal (not an answer of the study) before it opens.
  const annotator = await pageFor(browser, consoleErrors, "annotator@south.example");
  const found = (
    await apiAs(
      annotator,
      "query ($k: String) { cases(first: 1, filter: { search: $k }) { edges { node { pathologyLabels { id isCurrent } } } } }",
      { k: keys[1] },
    )
  ).data!.cases as unknown as { edges: { node: { pathologyLabels: { id: string; isCurrent: boolean }[] } }[] };
  for (const label of found.edges[0]!.node.pathologyLabels.filter((l) => l.isCurrent)) {
    const corrected = await apiAs(
      annotator,
      "mutation ($input: CorrectPathologyLabelInput!) { correctPathologyLabel(input: $input) { id } }",
      { input: { labelId: label.id, subtype: "NORMAL", source: "SURGERY", reason: "surgical specimen: no tumour" } },
    );
    expect(corrected.errors).toBeUndefined();
  }
  await page.getByRole("button", { name: "Open the study" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "cannot be scored" });
  await expect(refusal).toContainText(`${keys[1]} (C-`);
  await expect(refusal).toContainText("its truth normal is not among the study's answers");
  await expect(page.getByRole("heading", { name })).toContainText("draft");
});

test("closing warns about unfinished readers; the report gives reading times, confidences given, the real MRMC reason and its three downloads", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, "coordinator@north.example");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reader studies" }).click();
  await page.getByRole("link", { name: "Demo reader study" }).click();
  await expect(page.getByTestId("unfinished-readers")).toContainText("1 reader has not finished");
  let question = "";
  page.once("dialog", (dialog) => {
    question = dialog.message();
    void dialog.accept();
  });
  await page.getByRole("button", { name: "Close the study" }).click();
  await expect(page.getByRole("heading", { name: "Demo reader study" })).toContainText("closed");
  expect(question).toMatch(/1 reader has not finished: .+ \(1 of 12 reads\)/);

  await page.getByRole("link", { name: "Open the report" }).click();
  await expect(page.getByRole("heading", { name: "Report: Demo reader study" })).toBeVisible();
  const effort = page.getByRole("table", { name: "Reads per reader" });
  await expect(effort.getByRole("row")).toHaveCount(1 + 3); // reader 1 unaided, reader 2 unaided and aided
  await expect(effort).toContainText("12 of 12");
  await expect(effort).toContainText(/\d+\.\d s/);
  const perCase = page.getByRole("table", { name: "Reading time per case" });
  await expect(perCase.getByRole("row")).not.toHaveCount(1);
  await expect(perCase).toContainText(/\d+\.\d s/);
  await expect(page.getByTestId("mrmc-missing")).toContainText("at least 2 readers who read both unaided and aided");
  for (const table of await page.locator(".report table").all()) await expect(table.locator("caption")).toHaveCount(1);
  await shot(page, "report");

  // The three exports, downloaded and parsed.
  const download = async (link: string | RegExp, index = 0) => {
    const waiting = page.waitForEvent("download");
    await page.getByRole("list", { name: "Report downloads" }).getByRole("link", { name: link }).nth(index).click();
    const file = await waiting;
    return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, "utf8") };
  };
  const answers = await download("Answers (CSV)");
  expect(answers.name).toBe("demo-reader-study-answers.csv");
  const rows = answers.text.trim().split("\n");
  expect(rows[0]).toBe("caseId,site,truth,rater,modality,answer,correct,confidence");
  const reads = rows.slice(1).map((r) => r.split(","));
  expect(reads.filter((r) => r[4] === "aided")).toHaveLength(12);
  expect(reads.every((r) => /^C-\d{3}$/.test(r[0]!) && r[7] !== "")).toBe(true);
  const rjafroc = await download("RJafroc / OR-DBM MRMC (CSV)");
  expect(rjafroc.name).toMatch(/^demo-reader-study-[a-z-]+-rjafroc\.csv$/);
  const ratings = rjafroc.text.trim().split("\n");
  expect(ratings[0]).toBe("Reader,Treatment,Case,Truth,Rating");
  expect(ratings.slice(1).every((r) => /^[^,]+,(unaided|aided),\d+,[01],[\d.]+$/.test(r))).toBe(true);
  expect(ratings).toHaveLength(1 + 2 * 12); // reader 2, both phases, every case
  const imrmc = await download("iMRMC input");
  expect(imrmc.name).toMatch(/^demo-reader-study-[a-z-]+\.imrmc$/);
  expect(imrmc.text).toMatch(/^NR: 1$/m);
  expect(imrmc.text).toContain("BEGIN DATA:");
  expect(imrmc.text.split("BEGIN DATA:")[1]!.trim().split("\n")).toHaveLength(12 + 2 * 12);
});
