import { checkScreen, expect, test } from "./support/fixtures.ts";
import { signIn, signOut } from "./support/sign-in.ts";

// Each site sees its own cases only: the list, the filters and a direct link to another site's case.
test("a user sees only the cases of their own site", async ({ page, consoleErrors }) => {
  await signIn(page, "annotator@north.example");
  const north = page.getByRole("table", { name: "Cases" });
  await expect(north.getByRole("link", { name: "N-0001" })).toBeVisible();
  await north.getByRole("link", { name: "N-0001" }).click();
  await expect(page.getByRole("heading", { name: /Case N-0001/ })).toBeVisible();
  const northCaseUrl = page.url();
  await signOut(page);

  await signIn(page, "annotator@south.example");
  const table = page.getByRole("table", { name: "Cases" });
  // The demo's 20 SOUTH cases, all on one page (web-first: retried until the table shows them).
  await expect(table.getByRole("link")).toHaveText(Array.from({ length: 20 }, () => /^S-/));
  await expect(page.getByRole("combobox", { name: "Site" }).first()).toHaveText(/SOUTH/);
  await expect(table.getByRole("img", { name: "RCC" }).first()).toBeVisible();
  await checkScreen(page, "case-browser");

  // Filters narrow within the site: conflicts and subtypes.
  await page.getByLabel("Label status").selectOption("LABELLED");
  await page.getByLabel("Subtype").selectOption("SOLID");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/subtype=SOLID/);
  // The URL changes before the filtered page is drawn: wait for what only that page shows
  // (its "Clear filters" link), then for the table's state, each assertion retried until it holds.
  await expect(page.getByRole("link", { name: "Clear filters" })).toBeVisible();
  const caseRows = table.getByRole("row").filter({ hasText: "S-" });
  await expect(caseRows.first()).toBeVisible();
  await expect(caseRows.filter({ hasNotText: "Solid" })).toHaveCount(0);

  // The NORTH case by its URL: not found for a SOUTH annotator.
  consoleErrors.allow(/status of 404/);
  await page.goto(northCaseUrl);
  await expect(page.getByRole("heading", { name: /Case N-0001/ })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(page.getByText("It does not exist, or your roles do not let you see it.")).toBeVisible();
});
