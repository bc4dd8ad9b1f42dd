import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { signIn } from "./sign-in.ts";

export type ConsoleWatch = {
  errors: string[];
  allow: (pattern: RegExp) => void;
  watch: (context: BrowserContext) => void;
};

/**
 * The e2e `test`: every page of every context a test opens is watched, and the test fails on any
 * console error or uncaught exception it did not expect (`consoleErrors.allow(/.../)`).
 */
export const test = base.extend<{ consoleErrors: ConsoleWatch }>({
  consoleErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      const allowed: RegExp[] = [];
      const watch = (c: BrowserContext) => {
        c.on("console", (message) => {
          if (message.type() === "error") errors.push(`${message.text()} (${message.location().url})`);
        });
        c.on("weberror", (error) => errors.push(String(error.error())));
      };
      watch(context);
      await use({ errors, allow: (pattern) => allowed.push(pattern), watch });
      expect(
        errors.filter((e) => !allowed.some((p) => p.test(e))),
        "console errors",
      ).toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** A second person at the same time: a new browser context, signed in, watched for console errors. */
export async function pageFor(browser: Browser, consoleErrors: ConsoleWatch, email: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    viewport: { width: 1440, height: 900 },
  });
  consoleErrors.watch(context);
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/**
 * A main screen: a full-page screenshot kept as a test artifact (test-results/screenshots, not
 * committed) and an axe-core check (WCAG 2.1 A/AA) with no serious or critical violation.
 */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(" | ")}`,
    ),
    `accessibility of ${name}`,
  ).toEqual([]);
}

/** Waits until the reading page takes answers: every view of the case on screen, the answer controls open. */
export async function expectReadyToAnswer(page: Page): Promise<void> {
  await expectViewerReady(page);
  await expect(
    page.getByRole("complementary", { name: "Your read" }).getByRole("radio").first(),
    "answer controls open once every view is on screen",
  ).toBeEnabled({ timeout: 30_000 });
}

/** Waits until the viewer has drawn every image of the hanging from its full-depth pixels. */
export async function expectViewerReady(page: Page, views: string[] = ["RCC", "LCC", "RMLO", "LMLO"]): Promise<void> {
  for (const view of views)
    await expect(page.getByTestId(`viewport-${view}`)).toHaveAttribute("data-state", "ready", { timeout: 120_000 });
}
