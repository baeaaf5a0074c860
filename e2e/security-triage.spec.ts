import { expect, test, type Page } from "@playwright/test";
import { pageErrors } from "./support/page-errors";
import { startVigil, type VigilServer } from "./support/vigil";
import { postLog, sshdFailures } from "./support/api";
import { seedAnalyst, signIn } from "./support/accounts";

let vigil: VigilServer;
let key = "";

const HOSTILE = `ET WEB <img src=x onerror="document.title='owned'"> probe`;
const SIGNATURES = ["ET SCAN Suspicious inbound to mySQL port 3306", "ET POLICY SSH session in progress on Unusual Port", HOSTILE];
const SOURCES = ["198.51.100.7", "2001:db8::17", "203.0.113.99"];

/** `count` Suricata EVE alerts, one a second ending a minute ago, cycling through sources and signatures; every 50th has severity 1. */
function eveAlerts(count: number, offset = 0): string {
  const now = Date.now() - 60_000;
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    const signature = SIGNATURES[i % SIGNATURES.length];
    return JSON.stringify({
      timestamp: new Date(now - (count - k) * 1000).toISOString().replace("Z", "+0000"),
      event_type: "alert",
      src_ip: SOURCES[i % SOURCES.length],
      src_port: 40000 + (i % 1000),
      dest_ip: "10.0.0.5",
      dest_port: 3306,
      proto: "TCP",
      alert: { action: "allowed", gid: 1, signature_id: 2010000 + SIGNATURES.indexOf(signature), rev: 3, signature, category: "Misc activity", severity: i % 50 === 0 ? 1 : 2 },
    });
  }).join("\n");
}

const rows = (page: Page) => page.locator("[role=row][data-event-id]");
const total = (page: Page) => page.getByTestId("triage-total");

test.beforeAll(async ({ request }) => {
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil, "ana@bank.test"));
  const eve = await postLog(request, vigil.url, key, "suricata", eveAlerts(1500), "application/x-ndjson");
  expect(eve.body).toMatchObject({ accepted: 1500, rejected_total: 0 });
  const ssh = await postLog(request, vigil.url, key, "syslog", sshdFailures("192.0.2.44", 12));
  expect(ssh.body).toMatchObject({ accepted: 12 });
});

test.afterAll(async () => {
  await vigil?.dispose();
});

test("the triage table holds a bounded number of rows, filters on the server with the filter in the URL, and treats signatures as text", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await signIn(context, vigil.url, "ana@bank.test");
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${vigil.url}/security`);
  await expect(total(page)).toHaveText("1,512");
  // virtualised: 1,512 events match, the DOM holds the rows in view plus a margin
  expect(await rows(page).count()).toBeLessThan(80);
  // the hostile signature is shown as text, never run as markup
  await expect(page.getByText(HOSTILE).first()).toBeVisible();
  expect(await page.title()).not.toBe("owned");

  // severity toggle: in the URL and counted by the server (every 50th alert has severity 1 → high)
  await page.getByRole("group", { name: "severity" }).getByRole("button", { name: "high" }).click();
  await expect(page).toHaveURL(/severity=high/);
  await expect(total(page)).toHaveText("30");

  // free text and source, applied together; a fully expanded IPv6 matches its canonical form
  await page.getByRole("group", { name: "severity" }).getByRole("button", { name: "high" }).click();
  await page.getByRole("textbox", { name: "Source" }).fill("2001:0db8:0000:0000:0000:0000:0000:0017");
  await page.getByRole("textbox", { name: "Text" }).fill("mysql");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/q=mysql/);
  // the severity undone just before Apply stays undone (Apply built on the rendered URL and brought it back)
  await expect(page).not.toHaveURL(/severity=/);
  // sources and signatures both cycle with period 3: source 2001:db8::17 (i≡1) meets the mySQL signature (i≡0) never
  await expect(total(page)).toHaveText("0");
  await page.getByRole("button", { name: "remove text filter" }).click();
  await expect(total(page)).toHaveText("500");

  // a reload shows the same thing (the state is the URL)
  await page.reload();
  await expect(total(page)).toHaveText("500");
  expect(errors).toEqual([]);
  await context.close();
});

test("a detail drawer shows every field and the raw line, pivots in one click, and stays open while the list changes", async ({ browser, request }) => {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await signIn(context, vigil.url, "ana@bank.test");
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${vigil.url}/security?service=sshd`);
  await expect(total(page)).toHaveText("12");
  await rows(page).first().click();
  const drawer = page.getByRole("dialog", { name: "event detail" });
  await expect(drawer.getByTestId("raw-payload")).toContainText("Failed password for root from 192.0.2.44 port");
  await expect(drawer).toContainText("Brute-force logins from 192.0.2.44 (sshd)");
  await expect(drawer).toContainText("threshold 8 in 120 s");

  // pivot: everything from this address; the drawer stays open on the same event
  await drawer.getByRole("button", { name: "Everything from 192.0.2.44" }).click();
  await expect(page).toHaveURL(/src=192\.0\.2\.44/);
  await expect(page).not.toHaveURL(/service=/);
  await expect(total(page)).toHaveText("12");
  await expect(drawer).toBeVisible();

  // new events wait behind a marker: the list does not move until asked
  const first = await rows(page).first().getAttribute("data-event-id");
  await postLog(request, vigil.url, key, "syslog", sshdFailures("192.0.2.44", 3, 1));
  await expect(page.getByTestId("new-events")).toHaveText("3 new · show");
  expect(await rows(page).first().getAttribute("data-event-id")).toBe(first);
  await expect(total(page)).toHaveText("12");
  await page.getByTestId("new-events").click();
  await expect(total(page)).toHaveText("15");
  await expect(drawer).toBeVisible();

  // the incident's evidence: the link the incident card gives
  await drawer.getByRole("button", { name: "All its evidence →" }).click();
  await expect(page).toHaveURL(/incident=\d+/);
  await expect(total(page)).toHaveText("15");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(page).not.toHaveURL(/event=/);
  expect(errors).toEqual([]);
  await context.close();
});

test("grouping by signature and by source gives true counts, and a group opens its events", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await signIn(context, vigil.url, "ana@bank.test");
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${vigil.url}/security?kind=ids_alert&view=signature`);
  await expect(page.getByTestId("groups-total")).toHaveText("3");
  const table = page.getByRole("table", { name: "events by signature" });
  await expect(table.getByRole("row").filter({ hasText: SIGNATURES[0] })).toContainText("500");
  await table.getByRole("button", { name: SIGNATURES[1] }).click();
  await expect(page).toHaveURL(/view=|signature=/);
  await expect(total(page)).toHaveText("500");

  await page.goto(`${vigil.url}/security?view=src`);
  await expect(page.getByTestId("groups-total")).toHaveText("4");
  await expect(page.getByRole("table", { name: "events by source" })).toContainText("2001:db8::17");
  // the top lists of the range pivot too
  await page.getByRole("region", { name: "top sources" }).getByRole("button", { name: /198\.51\.100\.7/ }).click();
  await expect(page).toHaveURL(/src=198\.51\.100\.7/);
  await expect(total(page)).toHaveText("500");
  expect(errors).toEqual([]);
  await context.close();
});

test("on a 390-pixel phone the filters fold away, rows are two lines, and the drawer takes the screen without overflow", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signIn(context, vigil.url, "ana@bank.test");
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${vigil.url}/security`);
  await expect(total(page)).toHaveText(/^\d[\d,]*$/);
  await expect(page.getByRole("textbox", { name: "Source" })).toBeHidden();
  await page.getByRole("button", { name: /^Filters/ }).click();
  await expect(page.getByRole("textbox", { name: "Source" })).toBeVisible();
  await page.getByRole("button", { name: /^Filters/ }).click();
  await rows(page).first().tap();
  const drawer = page.getByRole("dialog", { name: "event detail" });
  await expect(drawer.getByTestId("raw-payload")).toBeVisible();
  const box = await drawer.boundingBox();
  expect(box?.width).toBe(390);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(errors).toEqual([]);
  await context.close();
});

test("the triage API answers unknown filters and bad values with 400 naming them", async ({ request }) => {
  const auth = { authorization: `Bearer ${key}` };
  const unknown = await request.get(`${vigil.url}/api/v1/events?src_ip=1.2.3.4`, { headers: auth });
  expect(unknown.status()).toBe(400);
  expect(JSON.stringify(await unknown.json())).toContain("src_ip");
  const badSeverity = await request.get(`${vigil.url}/api/v1/events/groups?by=signature&severity=urgent`, { headers: auth });
  expect(badSeverity.status()).toBe(400);
  expect(JSON.stringify(await badSeverity.json())).toContain("urgent");
  expect((await request.get(`${vigil.url}/api/v1/events/999999999`, { headers: auth })).status()).toBe(404);
});
