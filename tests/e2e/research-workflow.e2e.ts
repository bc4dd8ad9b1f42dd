import { type Locator, type Page } from "@playwright/test";
import { checkScreen, expect, expectReadyToAnswer, pageFor, test } from "./support/fixtures.ts";
import { signIn } from "./support/sign-in.ts";

// The research loop through the browser, in order: a dataset frozen, a quick training run watched
// until its model version is published, a reader study on that model with two readers (one in the
// aided arm) reading every case, closed, and its report with the A/B/C/D explorer.
test.describe.configure({ mode: "serial" });

const DATASET = `E2E subtypes ${Date.now()}`;
const STUDY = `E2E reader study ${Date.now()}`;
// Tiny inputs so the run takes seconds on 2 cores (the quick preset, overridden smaller).
const TINY = JSON.stringify({
  epochs: 2,
  folds: 1,
  batchSize: 8,
  preprocessing: { inputSize: 32 },
  model: { widthScale: 1 / 32, denseUnits: 8 },
});
let modelName = "";

/** Chooses the option whose text starts with `text` (labels carry counts and sites after the name). */
async function selectByText(select: Locator, text: string) {
  const value = await select.locator("option", { hasText: text }).first().getAttribute("value");
  await select.selectOption(value!);
}

test("a coordinator builds a dataset from filters, checks its balance and freezes a version", async ({ page }) => {
  await signIn(page, "coordinator@north.example");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Datasets" }).click();
  const form = page.getByRole("form", { name: "New dataset" });
  await form.getByLabel("Name").fill(DATASET);
  await form.getByRole("button", { name: "Create dataset" }).click();
  await expect(page.getByRole("heading", { name: DATASET })).toBeVisible();
  const balance = page.getByRole("table", { name: "Class balance preview" });
  await expect(balance).toContainText("NORTH");
  await expect(balance).toContainText("SOUTH");
  await expect(balance).toContainText("Tubule forming");
  await checkScreen(page, "dataset-preview");
  const previewDigest = await page.getByTestId("preview-digest").textContent();

  await page.getByRole("form", { name: "Freeze a version" }).getByLabel("Note").fill("frozen by the e2e test");
  await page.getByRole("button", { name: "Freeze version" }).click();
  await expect(page.getByRole("heading", { name: `${DATASET} v1` })).toBeVisible();
  const digest = (await page.getByTestId("version-digest").textContent())!;
  expect(digest).toMatch(/^[0-9a-f]{64}$/);
  expect(digest.startsWith(previewDigest!)).toBe(true);
  await expect(page.getByRole("table", { name: "Dataset items" }).getByRole("row")).not.toHaveCount(1);
  await checkScreen(page, "dataset-version");
});

test("an ML engineer starts a quick training run and watches it until its model version appears", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, "ml@north.example");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Training" }).click();
  const form = page.getByRole("form", { name: "Start a training run" });
  await selectByText(form.getByLabel("Dataset version"), `${DATASET} v1`);
  await form.getByLabel("Preset").selectOption("quick");
  await form.getByLabel(/Parameter overrides/).fill(TINY);
  await form.getByRole("button", { name: "Start training" }).click();
  await expect(page.getByRole("heading", { name: /Training run/ })).toBeVisible();

  // Live progress: the run leaves the queue, reports its fold and epoch, then publishes.
  await expect(page.getByTestId("run-progress")).toContainText(/epoch|publish|training/, { timeout: 180_000 });
  const model = page.getByTestId("published-model");
  await expect(model).toBeVisible({ timeout: 240_000 });
  await expect(page.getByRole("img", { name: /^Loss/ })).toBeVisible();
  await checkScreen(page, "training-run");
  modelName = (await model.textContent())!;
  await model.click();
  await expect(page.getByRole("heading", { name: modelName })).toBeVisible();
  await expect(page.getByRole("table", { name: /confusion matrix/ })).toBeVisible();
  await expect(page.getByText("Lineage")).toBeVisible();
  await page.getByRole("form", { name: "Set an alias" }).getByLabel("Alias").fill("candidate");
  await page.getByRole("button", { name: "Set alias here" }).click();
  await expect(page.getByRole("heading", { name: modelName })).toContainText("candidate");
  await checkScreen(page, "model-version");
});

async function readAllCases(page: Page, options: { isAided: boolean; markFirst: boolean }) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reading" }).click();
  await page
    .getByRole("row", { name: new RegExp(STUDY) })
    .getByRole("link", { name: /reading/ })
    .click();
  const progress = page.getByTestId("reading-progress");
  await expect(progress).toContainText("Case 1 of 3");
  // Blinded: no patient, site or truth on the reading screen.
  await expect(page.locator("main").getByText(/patient|NORTH|SOUTH|N-00/)).toHaveCount(0);
  for (let position = 1; position <= 3; position++) {
    await expect(progress).toContainText(`Case ${position} of 3`);
    await expectReadyToAnswer(page);
    if (options.isAided) await expect(page.getByTestId("ai-assistance")).toHaveCount(0); // never before the unaided read
    if (position === 1 && options.markFirst) {
      await page.getByRole("toolbar", { name: "Viewer tools" }).getByRole("button", { name: "Ellipse" }).click();
      // The study asks about one finding: the mark goes on the breast it names (a mark on the other
      // breast is refused, as a radiologist's would be).
      const about = await page.getByTestId("reading-unit").textContent();
      const side = about!.includes("left breast") ? "L" : "R";
      const box = (await page.getByTestId(`viewport-${side}CC`).boundingBox())!;
      // Hung chest wall to chest wall, each breast fills the half of its viewport next to the
      // other's: drawn there, the mark lies on the breast (off the image it would be empty).
      const [from, to] = side === "L" ? [0.2, 0.32] : [0.68, 0.8];
      await page.mouse.move(box.x + box.width * from, box.y + box.height * 0.4);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * to, box.y + box.height * 0.55, { steps: 4 });
      await page.mouse.up();
      await expect(page.getByText("Lesion marked.")).toBeVisible();
      if (position === 1) await checkScreen(page, options.isAided ? "reading-aided-unaided-step" : "reading-unaided");
    }
    // The subtype, then (the digit keys move on to it) the confidence: 1-9 are 10-90.
    await page.keyboard.press(String(((position - 1) % 3) + 1));
    await page.keyboard.press(String(3 + position));
    await page.keyboard.press("Enter");
    if (options.isAided) {
      // The aided step of the same case: the AI's answer and heatmap, the own unaided answer shown.
      await expect(page.getByTestId("ai-assistance")).toBeVisible();
      await expect(page.getByTestId("ai-answer")).not.toBeEmpty();
      await expect(progress).toContainText(`Case ${position} of 3`);
      await expectReadyToAnswer(page);
      await expect(page.getByTestId("heatmap-layer").first()).toBeAttached();
      if (position === 1) await checkScreen(page, "reading-aided-step");
      await page.keyboard.press("2");
      await page.keyboard.press("8");
      await page.keyboard.press("Enter");
    }
  }
  await expect(page.getByText("All 3 cases read.")).toBeVisible();
}

test("a reader study: designed, the AI run on it, read by two readers (one aided), closed, and its report explored", async ({
  page,
  browser,
  consoleErrors,
}) => {
  test.setTimeout(480_000);
  expect(modelName, "the training test publishes the model this study compares").not.toBe("");
  page.on("dialog", (dialog) => void dialog.accept());
  await signIn(page, "coordinator@north.example");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reader studies" }).click();
  const form = page.getByRole("form", { name: "New reader study" });
  await form.getByLabel("Name").fill(STUDY);
  await selectByText(form.getByLabel(/AI compared/), modelName);
  await form.getByLabel("Seed").fill("11");
  await form.getByRole("button", { name: "Create study" }).click();
  await expect(page.getByRole("heading", { name: STUDY })).toBeVisible();

  const picker = page.getByRole("group", { name: "Labelled cases" });
  for (const key of ["N-0001", "N-0002", "N-0003"]) await picker.getByLabel(new RegExp(`^${key}`)).check();
  await page.getByRole("button", { name: "Add 3 cases" }).click();
  await expect(page.getByRole("list", { name: "Study cases" }).getByRole("listitem")).toHaveCount(3);
  const readers = page.getByRole("form", { name: "Add a reader" });
  await readers.getByLabel("Reader email").fill("reader1@north.example");
  await readers.getByLabel("Arm").selectOption("UNAIDED");
  await readers.getByRole("button", { name: "Add reader" }).click();
  await expect(page.getByRole("table", { name: "Readers" })).toContainText("reader1@north.example");
  await readers.getByLabel("Reader email").fill("reader2@south.example");
  await readers.getByLabel("Arm").selectOption("AIDED");
  await readers.getByRole("button", { name: "Add reader" }).click();
  await expect(page.getByRole("table", { name: "Readers" })).toContainText("reader2@south.example");

  await page.getByRole("button", { name: "Run the AI on the study's cases" }).click();
  await expect(page.getByTestId("study-inference")).toContainText("succeeded", { timeout: 120_000 });
  await page.getByRole("button", { name: "Open the study" }).click();
  await expect(page.getByRole("heading", { name: STUDY })).toContainText("open");
  await checkScreen(page, "study-open");

  const reader1 = await pageFor(browser, consoleErrors, "reader1@north.example");
  await readAllCases(reader1, { isAided: false, markFirst: true });
  const reader2 = await pageFor(browser, consoleErrors, "reader2@south.example");
  await readAllCases(reader2, { isAided: true, markFirst: true });

  // Progress per reader: counts only while open.
  await page.reload();
  const progress = page.getByTestId("reader-progress");
  await expect(progress.filter({ hasText: "reader1@north.example" })).toContainText("complete");
  await expect(progress.filter({ hasText: "reader2@south.example" })).toContainText("3 / 3");
  await page.getByRole("button", { name: "Close the study" }).click();
  await expect(page.getByRole("heading", { name: STUDY })).toContainText("closed");
  await page.getByRole("link", { name: "Open the report" }).click();

  await expect(page.getByRole("heading", { name: `Report: ${STUDY}` })).toBeVisible();
  await expect(page.getByRole("table", { name: "Accuracy per reader and AI" })).toContainText("AI");
  await expect(page.getByRole("table", { name: "Accuracy per reader and AI" }).getByRole("row")).toHaveCount(1 + 1 + 3); // AI + 2 unaided + 1 aided
  await expect(page.getByRole("table", { name: "AI", exact: true })).toBeVisible(); // the AI's confusion matrix
  await expect(page.getByRole("table", { name: "Kappa Unaided" })).toBeVisible();
  await expect(page.getByRole("table", { name: "AI versus readers" })).toBeVisible();
  await checkScreen(page, "study-report");

  // The explorer: every read lies in one region; the regions hold all 3 cases x 2 readers unaided.
  const explorer = page.getByTestId("region-explorer");
  let total = 0;
  let withReads = "";
  for (const region of ["A", "B", "C", "D"]) {
    const button = explorer.getByRole("button", { name: `Region ${region}` });
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "true"); // the list below is this region's from here on
    const count = await explorer
      .getByRole("list", { name: `Reads in region ${region}` })
      .getByRole("listitem")
      .count();
    total += count;
    if (count > 0 && !withReads) withReads = region;
  }
  expect(total).toBe(6);
  await explorer.getByRole("button", { name: `Region ${withReads}` }).click();
  await explorer
    .getByRole("list", { name: `Reads in region ${withReads}` })
    .getByRole("button")
    .first()
    .click();
  await expect(explorer.getByRole("region", { name: /reader's ROI and AI heatmap/ })).toBeVisible();
  await expect(explorer.locator("[data-state=ready]").first()).toBeVisible({ timeout: 120_000 });
  await checkScreen(page, "study-report-explorer");
});
