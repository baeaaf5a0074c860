// Clicks and submissions made while the page's JavaScript is still loading are held and replayed
// once React has hydrated (components/ui/early-clicks.ts), instead of being lost or, for a form,
// sent natively. The page's scripts are held back at the network so the click surely comes first.
import { expect, test, type Page } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { createUser, PASSWORD, signIn } from "./support/accounts";
import { pageErrors } from "./support/page-errors";

let vigil: VigilServer;
test.beforeAll(async () => {
  vigil = await startVigil();
  await createUser(vigil, "ana@bank.test", "analyst");
});
test.afterAll(async () => {
  await vigil?.dispose();
});

/** Holds every script chunk of the page until `release()` is called. */
async function holdScripts(page: Page): Promise<{ release: () => void; held: () => number }> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let held = 0;
  await page.route("**/_next/static/chunks/**/*.js", async (route) => {
    held++;
    await gate;
    await route.continue();
  });
  return { release, held: () => held };
}

test("a tap on a tab made before the page has hydrated is honoured once it has", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signIn(context, vigil.url, "ana@bank.test");
  const page = await context.newPage();
  const errors = pageErrors(page);
  const scripts = await holdScripts(page);
  await page.goto(vigil.url, { waitUntil: "commit" });
  const tab = page.getByRole("button", { name: "network", exact: true });
  // the server-rendered button is there, React is not: the tap would do nothing by itself
  await tab.click();
  expect(scripts.held()).toBeGreaterThan(0);
  await expect(tab).not.toHaveAttribute("aria-current", "page");
  scripts.release();
  await expect(tab).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("region", { name: "Network health" })).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});

test("a sign-in submitted before the page has hydrated signs in once it has, never sending the password in the address", async ({ page }) => {
  const errors = pageErrors(page);
  const requested: string[] = [];
  page.on("request", (r) => requested.push(r.url()));
  const scripts = await holdScripts(page);
  await page.goto(`${vigil.url}/sign-in`, { waitUntil: "commit" });
  await page.getByLabel("Email").fill("ana@bank.test");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Password").press("Enter");
  expect(scripts.held()).toBeGreaterThan(0);
  scripts.release();
  // the replayed submission is under way (the button says so), then signs in (password hashing: give it time)
  await expect(page).toHaveURL(`${vigil.url}/`, { timeout: 60_000 });
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");
  expect(requested.filter((u) => u.includes("password"))).toEqual([]);
  expect(errors).toEqual([]);
});
