import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { totp } from "./support/totp";
import fs from "node:fs";
import path from "node:path";
import { cli, createUser, PASSWORD, setupToken } from "./support/accounts";

let vigil: VigilServer;
test.beforeAll(async () => {
  vigil = await startVigil();
});
test.afterAll(async () => {
  await vigil?.dispose();
});

test("first run: the setup page creates the admin, who must enrol TOTP, then signs in with a code", async ({ page, request }) => {
  // a fresh install sends every visitor to the one-time setup page
  await page.goto(vigil.url);
  await expect(page).toHaveURL(/\/setup$/);
  // only whoever can read the server's log or data directory may claim it: the setup token
  const token = setupToken(vigil);
  expect(token).toMatch(/^[A-Z2-7]{26}$/);
  const printed = await cli(vigil, ["setup-token"]);
  expect(printed.stdout.trim()).toBe(token);
  await page.getByLabel("Setup token").fill("AAAAAAAAAAAAAAAAAAAAAAAAAA");
  await page.getByLabel("Name").fill("Ada Admin");
  await page.getByLabel("Email").fill("ada@bank.test");
  await page.getByLabel("Password (at least 12 characters)").fill(PASSWORD);
  await page.getByLabel("Password again").fill(PASSWORD);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That setup token is wrong" })).toBeVisible();
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel("Setup token").fill(token);
  await page.getByRole("button", { name: "Create administrator" }).click();

  // admins must set up two-factor before the console opens
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("alert").filter({ hasText: "requires two-factor" })).toBeVisible();
  await page.goto(vigil.url);
  await expect(page).toHaveURL(/\/account$/);
  await page.getByLabel("Your password, to start").fill(PASSWORD);
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  const secret = ((await page.getByLabel("authenticator secret").textContent()) ?? "").replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await expect(page.getByRole("list", { name: "recovery codes" }).getByRole("listitem")).toHaveCount(10);
  const enrolmentCode = totp(secret);
  await page.getByLabel("Code shown by the app").fill(enrolmentCode);
  await page.getByRole("button", { name: "Confirm and turn on" }).click();
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");
  await expect(page.getByLabel("signed in as")).toContainText("ada@bank.test");

  // the setup page is gone for good, and so is the setup API
  await page.goto(`${vigil.url}/setup`);
  await expect(page).toHaveURL(`${vigil.url}/`);
  const again = await request.post(`${vigil.url}/api/setup`, { data: { name: "Eve", email: "eve@evil.example", password: PASSWORD, setup_token: token } });
  expect(again.status()).toBe(409);
  // the token file went with the first account, and the CLI says setup is closed
  expect(fs.existsSync(path.join(vigil.dataDir, "setup-token"))).toBe(false);
  expect((await cli(vigil, ["setup-token"])).stderr).toMatch(/already set up/);

  // sign out, then sign in: password, then the enrolment's code again, a wrong code, then the right one
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel("Email").fill("ada@bank.test");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  const code = page.getByLabel("Code from your authenticator app");
  // a code is accepted once: replaying the enrolment's is refused (or, over 30 s later, out of its window)
  await code.fill(enrolmentCode);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /already used|invalid/i })).toBeVisible();
  await code.fill(totp(secret) === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /invalid/i })).toBeVisible();
  // the next step's code (inside the plugin's one-step window): the current one may be the enrolment's
  await code.fill(totp(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");

  // Vigil watches itself: the failed second factor is in the security pane and the audit log
  await expect(page.getByRole("region", { name: "security events" }).getByText("Vigil sign-in failed: invalid second-factor code")).toBeVisible();
  await page.getByRole("link", { name: "Admin" }).click();
  await page.getByRole("link", { name: "Audit log" }).click();
  const log = page.getByRole("table", { name: "audit log" });
  for (const action of ["setup_completed", "mfa_enabled", "sign_in_failed", "sign_in"]) await expect(log.getByRole("cell", { name: action, exact: true }).first()).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Hash chain intact" })).toBeVisible();
});

test("a locked-out user is told so, and the lock holds even for the right password", async ({ page }) => {
  await createUser(vigil, "lou@bank.test", "viewer");
  await page.goto(`${vigil.url}/sign-in`);
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Email").fill("lou@bank.test");
    await page.getByLabel("Password").fill(`wrong password ${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
  }
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Too many failed sign-ins for this account" })).toBeVisible();
});
