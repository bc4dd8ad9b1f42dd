import { expect, expectViewerReady, test } from "./support/fixtures.ts";
import { E2E_API_PORT } from "../../playwright.config.ts";
import { signIn } from "./support/sign-in.ts";

// The foundation's slice through every layer: next-auth sign-in, case list and case view from
// the GraphQL API, images from the blob store, a pathology label written and read back.
test("an annotator labels a case and the label persists", async ({ page, context }) => {
  await signIn(page, "annotator@north.example");

  const table = page.getByRole("table", { name: "Cases" });
  await expect(table).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(26); // header + the first page of 25
  await table.getByRole("link", { name: "N-0002" }).click();

  await expect(page.getByRole("heading", { name: /Case N-0002/ })).toBeVisible();
  // The four views, drawn on canvases from the stored full-depth pixels.
  await expectViewerReady(page);
  for (const view of ["RCC", "LCC", "RMLO", "LMLO"])
    await expect(page.getByRole("img", { name: new RegExp(`^${view} mammogram, window`) })).toBeVisible();

  const note = `e2e label ${Date.now()}`;
  // A label starts a new finding on the breast chosen.
  const form = page.getByRole("form", { name: "New finding" });
  await form.getByLabel("Breast").selectOption("R");
  await form.getByLabel("Subtype").selectOption({ label: "Solid" });
  await form.getByLabel("Source").selectOption("BIOPSY");
  await form.getByLabel("Specimen date").fill("2021-05-06");
  await form.getByLabel("Note").fill(note);
  await form.getByRole("button", { name: "Save label" }).click();
  await expect(page.getByRole("status")).toHaveText("Label saved.");
  await expect(page.getByTestId("pathology-label").filter({ hasText: note })).toContainText("Solid");

  await page.reload();
  const saved = page.getByTestId("pathology-label").filter({ hasText: note });
  await expect(saved).toContainText("Solid");
  await expect(saved).toContainText("biopsy, 2021-05-06");

  // And straight from the API, with the same session the browser holds.
  const session = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session).toBeDefined();
  const caseId = decodeURIComponent(page.url().split("/cases/")[1]!);
  const response = await page.request.post(`http://localhost:${E2E_API_PORT}/graphql`, {
    headers: { authorization: `Bearer ${session!.value}`, "content-type": "application/json" },
    data: {
      query: "query($id: ID!) { case(id: $id) { pathologyLabels { subtype note specimenDate } } }",
      variables: { id: caseId },
    },
  });
  const body = (await response.json()) as {
    data: { case: { pathologyLabels: { subtype: string; note: string | null; specimenDate: string | null }[] } };
  };
  expect(body.data.case.pathologyLabels).toContainEqual({ subtype: "SOLID", note, specimenDate: "2021-05-06" });
});

test("wrong credentials are refused with a clear message", async ({ page, consoleErrors }) => {
  consoleErrors.allow(/status of 401 .*\/api\/auth\/callback\/credentials/);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("annotator@north.example");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/sign-in/);
});
