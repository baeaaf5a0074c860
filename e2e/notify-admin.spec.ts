import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { pageErrors } from "./support/page-errors";
import { startVigil, type VigilServer } from "./support/vigil";
import { bruteForceBurst, postEvents } from "./support/api";
import { createKey, createUser, PASSWORD, signIn } from "./support/accounts";
import { secretFromUri, totp } from "./support/totp";

// An admin manages notifications and response plans in the browser: a webhook endpoint aimed at a
// real HTTP receiver started here (its test arrives signed with the secret shown once), an
// escalation level and its dry run, and a response plan that becomes a new incident's checklist.
// The tests build on each other (the endpoint, then the policy naming it, then an incident).
test.describe.configure({ mode: "serial" });

interface Hit {
  headers: http.IncomingHttpHeaders;
  body: string;
}

let vigil: VigilServer;
let key = "";
let adminState: Awaited<ReturnType<BrowserContext["storageState"]>>;
let receiver: http.Server;
let hookUrl = "";
const hits: Hit[] = [];
let secret = "";

test.beforeAll(async ({ browser }) => {
  // a server start and two CLI runs (each a tsx start) can take over a minute on a busy machine
  test.setTimeout(180_000);
  vigil = await startVigil();
  await createUser(vigil, "root@bank.test", "admin");
  key = await createKey(vigil, "root@bank.test", "ingest,read");
  // admins must use a second factor: enrol TOTP through the real endpoints, once, and keep the session
  const context = await browser.newContext();
  await signIn(context, vigil.url, "root@bank.test");
  const headers = { origin: vigil.url };
  const enable = await context.request.post(`${vigil.url}/api/auth/two-factor/enable`, { data: { password: PASSWORD }, headers });
  expect(enable.status(), await enable.text()).toBe(200);
  const verify = await context.request.post(`${vigil.url}/api/auth/two-factor/verify-totp`, { data: { code: totp(secretFromUri((await enable.json()).totpURI)) }, headers });
  expect(verify.status(), await verify.text()).toBe(200);
  adminState = await context.storageState();
  await context.close();

  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

test.afterAll(async () => {
  await vigil?.dispose();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function adminPage(browser: Browser, width = 1400): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, storageState: adminState });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${vigil.url}/admin`);
  return { page, errors, close: () => context.close() };
}

/** The page's errors but the console lines Chromium writes for the 400s these tests provoke on purpose. */
const unexpected = (errors: string[]) => errors.filter((e) => !e.includes("the server responded with a status of 400"));

/** What a receiver checks: sha256=HMAC-SHA256(secret, "<timestamp>.<body>") over the exact bytes. */
function signedWith(hit: Hit, key: string): boolean {
  const ts = String(hit.headers["x-vigil-timestamp"]);
  return hit.headers["x-vigil-signature"] === `sha256=${createHmac("sha256", key).update(`${ts}.${hit.body}`).digest("hex")}`;
}

test("an admin adds a webhook endpoint (a bad URL is refused naming the field), sees its secret once, and a test arrives signed and shows as delivered", async ({ browser }) => {
  const { page, errors, close } = await adminPage(browser);
  await page.getByRole("navigation", { name: "administration" }).getByRole("link", { name: "Notifications" }).click();
  await expect(page.getByText("No endpoints yet")).toBeVisible();
  await page.getByRole("button", { name: "New endpoint" }).click();
  const form = page.getByRole("form", { name: "new endpoint" });
  await form.getByRole("textbox", { name: "endpoint name" }).fill("<b>ops</b> hook");
  await form.getByRole("textbox", { name: "endpoint url" }).fill("ftp://files.bank.example/drop");
  await form.getByRole("button", { name: "Create endpoint" }).click();
  await expect(form.getByRole("alert")).toHaveText('url: only http and https URLs are allowed, not "ftp:"');
  await expect(form.getByRole("textbox", { name: "endpoint url" })).toHaveAttribute("aria-invalid", "true");

  await form.getByRole("textbox", { name: "endpoint url" }).fill(hookUrl);
  await form.getByRole("button", { name: "Create endpoint" }).click();
  secret = (await page.getByLabel("new endpoint secret").textContent()) ?? "";
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  const card = page.getByRole("listitem", { name: "endpoint <b>ops</b> hook" });
  // the name is text, never markup; the URL is shown as typed
  await expect(card.getByRole("heading")).toHaveText("<b>ops</b> hook");
  await expect(card).toContainText(hookUrl);
  await expect(card).toContainText("open, acknowledge, resolve, reopen, escalate · info and above");
  await expect(card.getByTestId("last-delivery")).toHaveText("Last delivery: none yet");
  await page.getByRole("button", { name: "I have copied it" }).click();
  await expect(page.getByLabel("new endpoint secret")).toHaveCount(0);

  await card.getByRole("button", { name: "Send test" }).click();
  await expect(card.getByRole("status", { name: "test result" })).toContainText(/Test delivered:\s*delivered\s*HTTP 200 in \d+ ms/);
  expect(hits).toHaveLength(1);
  expect(hits[0].headers["x-vigil-event"]).toBe("test");
  expect(signedWith(hits[0], secret)).toBe(true);
  expect(signedWith(hits[0], "not-the-secret-at-all")).toBe(false);
  await expect(card.getByTestId("last-delivery")).toContainText("delivered");

  await card.getByRole("button", { name: "Deliveries" }).click();
  const history = card.getByRole("list", { name: "deliveries to <b>ops</b> hook" });
  await expect(history.getByRole("listitem")).toHaveCount(1);
  await expect(history.getByRole("listitem")).toContainText(/delivered\s*test\s*no incident\s*1 attempt\s*HTTP 200/);

  // never again: not after a reload, not in the page's HTML or answers
  await page.reload();
  await page.getByRole("navigation", { name: "administration" }).getByRole("link", { name: "Notifications" }).click();
  await expect(page.getByRole("listitem", { name: "endpoint <b>ops</b> hook" })).toBeVisible();
  expect(await page.content()).not.toContain(secret);
  expect(unexpected(errors)).toEqual([]);
  await close();
});

test("an admin sets escalation levels for high incidents (a bad wait is refused naming the level) and the dry run says who is paged when", async ({ browser }) => {
  const { page, errors, close } = await adminPage(browser);
  await page.getByRole("navigation", { name: "administration" }).getByRole("link", { name: "Notifications" }).click();
  const section = page.getByRole("region", { name: "escalation policy" });
  await section.getByRole("group", { name: "severity" }).getByRole("button", { name: /^high/ }).click();
  await expect(section.getByRole("region", { name: "dry run" })).toContainText("No escalation level pages anyone.");
  const form = section.getByRole("form", { name: "high escalation" });
  await form.getByRole("button", { name: "Add level" }).click();
  await form.getByRole("checkbox", { name: "level 1: <b>ops</b> hook" }).check();
  await form.getByRole("button", { name: "Add level" }).click();
  await form.getByRole("checkbox", { name: "level 2: <b>ops</b> hook" }).check();
  await form.getByRole("textbox", { name: "level 1 wait" }).fill("a quarter hour");
  await form.getByRole("button", { name: "Save high policy" }).click();
  await expect(form.getByRole("alert")).toContainText("policies.high.levels.0.after: invalid duration");
  await expect(form.getByRole("textbox", { name: "level 1 wait" })).toHaveAttribute("aria-invalid", "true");

  await form.getByRole("textbox", { name: "level 1 wait" }).fill("15m");
  await form.getByRole("button", { name: "Save high policy" }).click();
  await expect(section.getByRole("status")).toHaveText("Saved the high policy.");
  await expect(section.getByRole("group", { name: "severity" }).getByRole("button", { name: /^high/ })).toContainText("2 levels");
  const dry = section.getByRole("region", { name: "dry run" });
  await expect(dry.getByRole("listitem")).toHaveText([/at the open\s*level 1 \(open\)\s*pages <b>ops<\/b> hook/, /after 15 min\s*level 2 \(escalate\)\s*pages <b>ops<\/b> hook/]);
  await expect(dry).toContainText("Also told by their own subscription: <b>ops</b> hook.");
  // the policy is the server's now: a fresh page reads it back
  await page.reload();
  await page.getByRole("navigation", { name: "administration" }).getByRole("link", { name: "Notifications" }).click();
  await section.getByRole("group", { name: "severity" }).getByRole("button", { name: /^high/ }).click();
  await expect(section.getByRole("textbox", { name: "level 1 wait" })).toHaveValue("15m");
  expect(unexpected(errors)).toEqual([]);
  await close();
});

test("an admin creates a response plan with a required step; a new matching incident shows it as its checklist and pages level 1", async ({ browser, request }) => {
  const { page, errors, close } = await adminPage(browser);
  await page.getByRole("navigation", { name: "administration" }).getByRole("link", { name: "Response plans" }).click();
  // each tab has its own address: a reload (or a link from a runbook) opens the same tab
  await expect(page).toHaveURL(/\/admin\?tab=plans$/);
  await page.reload();
  await expect(page.getByRole("navigation", { name: "administration" }).getByRole("link", { name: "Response plans" })).toHaveAttribute("aria-current", "page");
  await page.getByRole("button", { name: "New plan" }).click();
  const form = page.getByRole("form", { name: "new response plan" });
  await form.getByRole("textbox", { name: "plan name" }).fill("Credential attack");
  await form.getByRole("combobox", { name: "plan rule" }).fill("brute_force");
  await form.getByRole("textbox", { name: "runbook url" }).fill("javascript:alert(1)");
  await form.getByRole("textbox", { name: "step 1 text" }).fill("Block the source at the edge firewall");
  await form.getByRole("checkbox", { name: "step 1 required" }).check();
  await form.getByRole("button", { name: "Add step" }).click();
  await form.getByRole("combobox", { name: "step 2 phase" }).selectOption("communication");
  await form.getByRole("textbox", { name: "step 2 text" }).fill("Tell the owner of the targeted service");
  // the second step first, then back: the order sent is the order shown
  await form.getByRole("button", { name: "move step 2 up" }).click();
  await expect(form.getByRole("textbox", { name: "step 1 text" })).toHaveValue("Tell the owner of the targeted service");
  await form.getByRole("button", { name: "move step 1 down" }).click();
  await form.getByRole("button", { name: "Create plan" }).click();
  await expect(form.getByRole("alert")).toHaveText("runbook_url: expected an http(s) URL");
  await expect(form.getByRole("textbox", { name: "runbook url" })).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByRole("textbox", { name: "plan name" })).toHaveAttribute("aria-invalid", "false");
  await form.getByRole("textbox", { name: "runbook url" }).fill("https://wiki.bank.example/runbooks/credential-attack");
  await form.getByRole("button", { name: "Create plan" }).click();
  const card = page.getByRole("listitem", { name: "plan Credential attack" });
  await expect(card).toContainText("brute_force · any severity");
  await expect(card).toContainText("2 steps, 1 required");
  await expect(card.getByRole("link", { name: "https://wiki.bank.example/runbooks/credential-attack" })).toHaveAttribute("rel", "noopener noreferrer nofollow");

  // a brute force through the real ingest API opens a matching incident
  expect((await postEvents(request, vigil.url, key, bruteForceBurst("203.0.113.66"))).status).toBe(202);
  let id = 0;
  await expect(async () => {
    const list = await (await request.get(`${vigil.url}/api/v1/incidents?status=active&rule=brute_force&limit=1`, { headers: { authorization: `Bearer ${key}` } })).json();
    id = list.incidents[0]?.id ?? 0;
    expect(id).toBeGreaterThan(0);
  }).toPass();
  await page.goto(`${vigil.url}/incidents/${id}`);
  const plan = page.getByRole("region", { name: "response plan" });
  await expect(plan).toContainText("Credential attack");
  await expect(plan).toContainText("0 of 2 done");
  await expect(plan.getByRole("checkbox")).toHaveCount(2);
  await expect(plan.getByRole("checkbox", { name: "Block the source at the edge firewall (required)" })).not.toBeChecked();
  await expect(plan.getByRole("checkbox", { name: "Tell the owner of the targeted service", exact: true })).toBeVisible();

  // the high incident's open went to level 1 of the policy set above, signed
  await expect.poll(() => hits.filter((h) => h.headers["x-vigil-event"] === "open").length).toBe(1);
  const open = hits.find((h) => h.headers["x-vigil-event"] === "open")!;
  expect(JSON.parse(open.body)).toMatchObject({ event: "open", level: 1, incident: { id, rule: "brute_force", severity: "high" } });
  expect(signedWith(open, secret)).toBe(true);
  expect(unexpected(errors)).toEqual([]);
  await close();
});

test("the Notifications and Response plans tabs fit a 390-pixel phone: nothing wider than the screen", async ({ browser }) => {
  const { page, errors, close } = await adminPage(browser, 390);
  const nav = page.getByRole("navigation", { name: "administration" });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await nav.getByRole("link", { name: "Notifications" }).click();
  const card = page.getByRole("listitem", { name: "endpoint <b>ops</b> hook" });
  await card.getByRole("button", { name: "Deliveries" }).click();
  await expect(card.getByRole("list", { name: "deliveries to <b>ops</b> hook" }).getByRole("listitem")).toHaveCount(2);
  await card.getByRole("button", { name: "Edit" }).click();
  await expect(card.getByRole("form")).toBeVisible();
  await expect(page.getByRole("region", { name: "dry run" })).toBeVisible();
  expect(await overflow()).toBe(0);
  await nav.getByRole("link", { name: "Response plans" }).click();
  await page.getByRole("listitem", { name: "plan Credential attack" }).getByRole("button", { name: "Edit" }).click();
  await expect(page.getByRole("form", { name: "edit plan Credential attack" })).toBeVisible();
  expect(await overflow()).toBe(0);
  expect(errors).toEqual([]);
  await close();
});
