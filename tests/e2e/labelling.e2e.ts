import { checkScreen, expect, expectViewerReady, test } from "./support/fixtures.ts";
import { signIn } from "./support/sign-in.ts";

// An annotator's work on one case: regions drawn, edited and deleted on the full-depth viewer,
// a second pathology label that disagrees, the two side by side, and the adjudication.
test("an annotator draws, edits and deletes ROIs, and adjudicates conflicting labels", async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await signIn(page, "annotator@north.example");
  await page.getByRole("table", { name: "Cases" }).getByRole("link", { name: "N-0005" }).click();
  await expect(page.getByRole("heading", { name: /Case N-0005/ })).toBeVisible();
  await expectViewerReady(page);
  const rows = page.getByTestId("roi-row");
  // The demo seed outlines each lesion with a polygon already: count from what is there, once it is.
  await expect(rows.filter({ hasText: "Polygon" }).first()).toBeVisible();
  const before = await rows.count();
  const polygonsBefore = await rows.filter({ hasText: "Polygon" }).count();
  const boxesBefore = await rows.filter({ hasText: "Box" }).count();

  // Window/level by dragging changes the window shown on the image.
  const rcc = page.getByTestId("viewport-RCC");
  const initialWindow = await rcc.getAttribute("data-window");
  const box = (await rcc.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40, { steps: 5 });
  await page.mouse.up();
  await expect(rcc).not.toHaveAttribute("data-window", initialWindow!);
  await page.getByRole("combobox", { name: "Window preset" }).selectOption("default");
  await expect(rcc).toHaveAttribute("data-window", initialWindow!);

  // A box on the RCC view.
  const toolbar = page.getByRole("toolbar", { name: "Viewer tools" });
  await toolbar.getByRole("button", { name: "Box" }).click();
  const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  await page.mouse.move(...at(0.45, 0.35));
  await page.mouse.down();
  await page.mouse.move(...at(0.6, 0.55), { steps: 4 });
  await page.mouse.up();
  await expect(page.getByRole("status").filter({ hasText: "Box saved." })).toBeVisible();
  await expect(rows).toHaveCount(before + 1);

  // A polygon on the LMLO view: three clicks and Enter.
  const lmlo = (await page.getByTestId("viewport-LMLO").boundingBox())!;
  await toolbar.getByRole("button", { name: "Polygon" }).click();
  for (const [fx, fy] of [
    [0.3, 0.3],
    [0.5, 0.35],
    [0.4, 0.55],
  ])
    await page.mouse.click(lmlo.x + lmlo.width * fx!, lmlo.y + lmlo.height * fy!);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Polygon saved." })).toBeVisible();
  await expect(rows).toHaveCount(before + 2);
  await expect(rows.filter({ hasText: "Polygon" })).toHaveCount(polygonsBefore + 1);

  // Edit: select the box and drag it; then delete it with the Delete key.
  await toolbar.getByRole("button", { name: "Select" }).click();
  await page.mouse.move(...at(0.52, 0.45));
  await page.mouse.down();
  await page.mouse.move(...at(0.56, 0.5), { steps: 4 });
  await page.mouse.up();
  await expect(page.getByRole("status").filter({ hasText: "Region updated." })).toBeVisible();
  await checkScreen(page, "case-viewer-rois");
  await page.keyboard.press("Delete");
  await expect(page.getByRole("status").filter({ hasText: "Region deleted." })).toBeVisible();
  await expect(rows).toHaveCount(before + 1);
  await expect(rows.filter({ hasText: "Box" })).toHaveCount(boxesBefore);

  // A second label of the lesion's finding that disagrees: the finding is in conflict, labels side
  // by side, then adjudicated. (The seed labels the other breast NORMAL: a finding of its own.)
  const lesion = page.getByRole("group", { name: /^Finding F1 / });
  const current =
    (await lesion
      .getByRole("list", { name: "Current pathology labels" })
      .getByTestId("pathology-label")
      .first()
      .textContent()) ?? "";
  const other = current.includes("Scirrhous") ? "Solid" : "Scirrhous";
  await lesion.getByText("Add a label to finding F1").click();
  const form = lesion.getByRole("form", { name: "Add pathology label" });
  await form.getByLabel("Subtype").selectOption({ label: other });
  await form.getByLabel("Source").selectOption("BIOPSY");
  await form.getByLabel("Specimen date").fill("2022-01-02");
  await form.getByRole("button", { name: "Save label" }).click();
  await expect(lesion.getByRole("note")).toHaveText(/disagree/);
  const compared = lesion.getByRole("list", { name: "Current pathology labels" }).getByTestId("pathology-label");
  await expect(compared).toHaveCount(2);
  await expect(page.getByRole("heading", { name: /Case N-0005/ })).toContainText("Conflict");
  await checkScreen(page, "labels-in-conflict");
  const adjudicate = lesion.getByRole("form", { name: "Adjudicate" });
  await adjudicate.getByLabel("Consensus subtype").selectOption({ label: `${other} (labelled)` });
  await adjudicate.getByLabel(/Rationale/).fill("Surgical specimen reviewed at the tumour board");
  await adjudicate.getByRole("button", { name: "Record consensus" }).click();
  await expect(lesion.getByTestId("consensus")).toContainText(other);
  await expect(page.getByRole("list", { name: "Pathology history" })).toContainText("Consensus decided");

  // Everything persisted.
  await page.reload();
  await expectViewerReady(page);
  await expect(rows).toHaveCount(before + 1);
  await expect(rows.filter({ hasText: "Polygon" })).toHaveCount(polygonsBefore + 1);
  await expect(page.getByRole("heading", { name: /^Finding F1/ })).toContainText("Adjudicated");
  await expect(page.getByTestId("roi-layer").first()).toBeVisible();
});
