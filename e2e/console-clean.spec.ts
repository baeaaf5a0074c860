import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { PASSWORD, setupToken, signIn } from "./support/accounts";
import { secretFromUri, totp } from "./support/totp";

// Every page loads clean, wide and on a phone: no console error, no uncaught page error, no failed
// request and no HTTP error answer. A demo fleet runs, so the live panes have data to draw.
let vigil: VigilServer;
/** The admin's signed-in session (cookies), made once: TOTP codes are single-use, so each test reuses it. */
let adminState: Awaited<ReturnType<BrowserContext["storageState"]>>;
test.beforeAll(async ({ browser }) => {
  vigil = await startVigil({ demo: true });
  // setup through its API (so /setup is done and sends a visitor on), then TOTP through the real endpoints
  const context = await browser.newContext();
  const headers = { origin: vigil.url };
  const setup = await context.request.post(`${vigil.url}/api/setup`, {
    data: { name: "Root Admin", email: "root@bank.test", password: PASSWORD, setup_token: setupToken(vigil) },
    headers,
  });
  expect(setup.status(), await setup.text()).toBeLessThan(300);
  await signIn(context, vigil.url, "root@bank.test");
  const enable = await context.request.post(`${vigil.url}/api/auth/two-factor/enable`, { data: { password: PASSWORD }, headers });
  expect(enable.status(), await enable.text()).toBe(200);
  const secret = secretFromUri(((await enable.json()) as { totpURI: string }).totpURI);
  const verify = await context.request.post(`${vigil.url}/api/auth/two-factor/verify-totp`, { data: { code: totp(secret) }, headers });
  expect(verify.status(), await verify.text()).toBe(200);
  adminState = await context.storageState();
  await context.close();
});
test.afterAll(async () => {
  await vigil?.dispose();
});

const VIEWPORTS = [
  { name: "wide", width: 1920, height: 1080 },
  { name: "phone", width: 390, height: 844 },
];

/** Everything a page does wrong while it is open, as readable lines. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    // The one failure that is not a fault: Next's router prefetches the RSC payload of the links in
    // view (Admin, Account, the console) and aborts the prefetches it supersedes or no longer needs.
    // Only those: requests carrying Next's `rsc: 1` header, failed as ERR_ABORTED (seen on /, /admin,
    // /account and /setup; a page load, an API call or an RSC fetch failing any other way still counts).
    if (r.failure()?.errorText === "net::ERR_ABORTED" && r.headers()["rsc"] === "1") return;
    problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => {
    // no exclusion: signed out, the sign-in page makes no request that is refused (no live socket there)
    if (r.status() < 400) return;
    problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

/** What shows that each page has finished loading (and, for live pages, is receiving). */
async function loaded(page: Page, path: string) {
  if (path === "/setup") await expect(page).toHaveURL(`${vigil.url}/`); // setup is done: on to the console
  if (path === "/" || path === "/setup") await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");
  else if (path === "/?tv=1") await expect(page.getByRole("status", { name: "last heard" })).toContainText(/updated \d+ s ago/);
  else if (path === "/admin") await expect(page.getByRole("heading").first()).toBeVisible();
  else await expect(page.locator("main, form").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
}

for (const viewport of VIEWPORTS) {
  test.describe(`${viewport.name} (${viewport.width}x${viewport.height})`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test("the sign-in page loads clean when signed out", async ({ page }) => {
      const problems = watch(page);
      await page.goto(`${vigil.url}/sign-in`);
      await loaded(page, "/sign-in");
      expect(problems).toEqual([]);
    });

    for (const path of ["/", "/?tv=1", "/admin", "/account", "/sign-in", "/setup"]) {
      test(`${path} loads clean when signed in`, async ({ browser }) => {
        const context = await browser.newContext({ storageState: adminState, viewport: { width: viewport.width, height: viewport.height } });
        const page = await context.newPage();
        const problems = watch(page);
        await page.goto(`${vigil.url}${path}`);
        await loaded(page, path);
        expect(problems).toEqual([]);
        await context.close();
      });
    }
  });
}

test("the favicon is served", async ({ request }) => {
  const res = await request.get(`${vigil.url}/favicon.ico`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^image\//);
});

test("JSON answers and pages are compressed for a client that accepts gzip, and only for it", async ({ browser }) => {
  const context = await browser.newContext({ storageState: adminState });
  const gzip = { "accept-encoding": "gzip" };
  for (const path of ["/api/v1/nodes", "/api/v1/security/snapshot", "/"]) {
    const res = await context.request.get(`${vigil.url}${path}`, { headers: gzip });
    expect(res.status(), path).toBe(200);
    expect(res.headers()["content-encoding"], path).toBe("gzip");
    expect(res.headers()["vary"], path).toMatch(/accept-encoding/i);
  }
  const plain = await context.request.get(`${vigil.url}/api/v1/nodes`, { headers: { "accept-encoding": "identity" } });
  expect(plain.headers()["content-encoding"]).toBeUndefined();
  await context.close();
});
