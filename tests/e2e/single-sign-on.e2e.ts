// Finding 16 of the security review: single sign-on against a standards-conformant OpenID
// Provider (the npm registry's oidc-provider, started by tests/e2e/serve.ts on a free port),
// through its real login, consent and logout pages in Chromium.
import type { Browser, Page } from "@playwright/test";
import { E2E_API_PORT } from "../../playwright.config.ts";
import { OIDC_TEST_CLIENT } from "./support/oidc-test-provider.ts";
import { expect, test, type ConsoleWatch } from "./support/fixtures.ts";
import { signIn } from "./support/sign-in.ts";

// The provider's own pages load a web font from the internet (which these machines cannot reach)
// and ask for a favicon it does not have.
const allowProviderNoise = (consoleErrors: ConsoleWatch) => {
  consoleErrors.allow(/fonts\.(googleapis|gstatic)\.com/);
  consoleErrors.allow(/status of 404 .*http:\/\/127\.0\.0\.1:\d+\/favicon\.ico/);
};

/** Clicks the single sign-on button and signs in at the provider as `login` (any password). */
async function signInAtProvider(page: Page, login: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: `Sign in with ${OIDC_TEST_CLIENT.name}` }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // The provider asks to share the profile and email with the platform once per sign-in session.
  const consent = page.getByRole("button", { name: "Continue" });
  await consent
    .or(page.getByRole("navigation", { name: "Main" }))
    .or(page.getByRole("alert"))
    .first()
    .waitFor();
  if (await consent.isVisible()) await consent.click();
}

async function freshPage(browser: Browser, consoleErrors: ConsoleWatch) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  consoleErrors.watch(context);
  return context.newPage();
}

test("finding 16: single sign-on with the email from UserInfo only, then from the ID token; signing out ends the provider's session too", async ({
  page,
  consoleErrors,
}) => {
  allowProviderNoise(consoleErrors);
  // A conformant provider (code flow) sends email and email_verified only from UserInfo.
  await signInAtProvider(page, "reader-userinfo");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page).toHaveURL(/\/reading$/);
  await expect(page.getByRole("banner")).toContainText("Reader");

  // Sign out: the platform's session ends, then the provider's (RP-Initiated Logout)...
  await page.getByRole("banner").getByRole("button", { expanded: false }).last().click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  // ...so the next person at this workstation is asked who they are, not signed in as the last one.
  await page.getByRole("button", { name: `Sign in with ${OIDC_TEST_CLIENT.name}` }).click();
  await expect(page.locator('input[name="login"]')).toBeVisible();

  // A provider that also puts the email into the ID token.
  await signInAtProvider(page, "reader-idtoken");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page).toHaveURL(/\/reading$/);
});

test("finding 16: an unknown account, an unverified email and a disabled account are each told why", async ({
  page,
  browser,
  consoleErrors,
}) => {
  allowProviderNoise(consoleErrors);
  // A single-sign-on-only account that NORTH's admin made and then disabled.
  await signIn(page, "admin@north.example");
  const token = (await page.context().cookies()).find((c) => c.name.endsWith("next-auth.session-token"))!.value;
  const api = (query: string, variables: object) =>
    page.request
      .post(`http://localhost:${E2E_API_PORT}/graphql`, {
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        data: { query, variables },
      })
      .then((r) => r.json() as Promise<{ data: Record<string, unknown> }>);
  const sites = (await api("{ mySites { id code } }", {})).data.mySites as { id: string; code: string }[];
  const created = await api("mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }", {
    input: {
      siteId: sites.find((s) => s.code === "NORTH")!.id,
      email: "sso-disabled@north.example",
      name: "Disabled by SSO test",
      roles: ["READER"],
    },
  });
  await api("mutation ($id: ID!) { disableUser(id: $id) { id } }", {
    id: (created.data.createUser as { id: string }).id,
  });

  for (const [login, message] of [
    ["stranger", /no account on this platform belongs to your sign-on identity/],
    ["unverified", /has not verified your email address/],
    ["disabled", /your account is disabled/],
  ] as const) {
    const attempt = await freshPage(browser, consoleErrors);
    await signInAtProvider(attempt, login);
    await expect(attempt).toHaveURL(/\/sign-in\?error=SSO_/);
    await expect(attempt.getByRole("alert").filter({ hasText: /\S/ })).toContainText(message);
    await attempt.context().close();
  }
});
