import { expect, test, type Page } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { postEvents } from "./support/api";
import { seedAnalyst, signIn } from "./support/accounts";

// The security pane at scale (issue 8): 20,000 stored events, a virtualised list that pages back
// through all of them, the true total, a chart that never renders at width 0, rows legible at
// 390 px, and a flood shown as groups instead of rows.

let vigil: VigilServer;
let key = "";
const COUNT = 20_000;
const BATCH = 10_000;
const FIRST = "scale event 00000 of the first batch";
const message = (i: number) => (i === 0 ? FIRST : `scale event ${String(i).padStart(5, "0")}`);

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil));
  // within the last hour, increasing: the first batch holds the oldest events
  const start = Date.now() - 55 * 60_000;
  for (let b = 0; b < COUNT; b += BATCH) {
    const events = Array.from({ length: BATCH }, (_, j) => {
      const i = b + j;
      return { kind: i % 3 === 0 ? "auth_failure" : "ids_alert", severity: (["info", "low", "medium", "high"] as const)[i % 4], time: start + i * 150, src_ip: `198.51.100.${i % 250}`, message: message(i) };
    });
    const { status, body } = await postEvents(request, vigil.url, key, events);
    expect(status).toBe(202);
    expect(body.accepted).toBe(BATCH);
  }
});
test.beforeEach(async ({ context }) => {
  await signIn(context, vigil.url, "ana@bank.test");
});
test.afterAll(async () => {
  await vigil?.dispose();
});

/** Console warnings and errors the page logs (recharts reports a 0-sized chart as a warning). */
function collectConsole(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "warning" || m.type() === "error") seen.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => seen.push(`pageerror: ${e.message}`));
  return seen;
}

const storedTotal = async (request: import("@playwright/test").APIRequestContext) => {
  const page = (await (await request.get(`${vigil.url}/api/v1/events?limit=1`, { headers: { authorization: `Bearer ${key}` } })).json()) as { total: number; total_exact: boolean };
  expect(page.total_exact).toBe(true);
  return page.total;
};

test("the list holds a bounded number of rows and scrolls back to the first event ever stored; the total is the true count", async ({ page, request }) => {
  test.setTimeout(180_000);
  const logged = collectConsole(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(vigil.url);
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");

  const total = await storedTotal(request);
  expect(total).toBeGreaterThanOrEqual(COUNT);
  await expect(page.getByTestId("events-total")).toHaveText(total.toLocaleString("en"));

  const list = page.getByRole("region", { name: "security events", exact: true });
  const rows = list.getByRole("listitem");
  await expect(rows.first()).toContainText("scale event 19999");
  expect(await rows.count()).toBeLessThanOrEqual(60);

  // scroll to the bottom until the oldest event is on a row: every older page comes by cursor
  await expect
    .poll(
      async () => {
        await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
        return list.getByText(FIRST, { exact: true }).count();
      },
      { timeout: 150_000, intervals: [50] },
    )
    .toBe(1);
  await expect(list.getByRole("status", { name: "older events" })).toHaveText("The oldest stored event.");
  expect(await rows.count()).toBeLessThanOrEqual(60);

  // the oldest event opens, and stays open while more events arrive
  await list.getByRole("button", { name: new RegExp(FIRST) }).click();
  await expect(page.getByLabel("event detail")).toContainText(FIRST);
  await postEvents(request, vigil.url, key, [{ kind: "ids_alert", signature: "ET TEST arrived while reading history" }]);
  await expect(page.getByRole("button", { name: "1 new" })).toBeVisible();
  await expect(page.getByLabel("event detail")).toContainText(FIRST);
  await expect(page.getByTestId("events-total")).toHaveText((total + 1).toLocaleString("en"));

  expect(logged.filter((l) => /width\(0\)|height\(0\)|recharts/i.test(l))).toEqual([]);
  expect(logged).toEqual([]);
});

test("at 390 px each row shows severity, kind, source, time and summary, nothing clipped", async ({ page }) => {
  const logged = collectConsole(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(vigil.url);
  await page.getByRole("navigation", { name: "panes" }).getByRole("button", { name: "security" }).click();
  const row = page.getByRole("region", { name: "security events", exact: true }).getByRole("listitem").filter({ hasText: "scale event" }).first();
  await expect(row).toContainText("scale event");
  const button = row.getByRole("button");
  for (const part of [button.getByText(/^(info|low|medium|high|critical)$/), button.getByText(/^(ids alert|auth failure)$/), button.getByText(/^198\.51\.100\.\d+$/), button.locator("time"), button.getByText(/^scale event/)]) {
    const box = await part.boundingBox();
    expect(box, (await part.textContent()) ?? "").not.toBeNull();
    expect(box!.width).toBeGreaterThan(0);
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  }
  // the full date and time in the viewer's zone, never 24:xx
  await expect(button.locator("time")).toHaveText(/^\d{4}-\d\d-\d\d ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(logged).toEqual([]);
});

test("a flood faster than anyone can read is shown grouped by signature and source, and the list can still be opened", async ({ page, request }) => {
  test.setTimeout(120_000);
  await page.goto(vigil.url);
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");
  const storm = page.getByRole("region", { name: "event storm" });
  let n = 0;
  // keep the flood coming (hundreds a second) until the pane switches to its storm summary
  await expect
    .poll(
      async () => {
        const now = Date.now();
        const events = Array.from({ length: 300 }, (_, i) => ({ kind: "ids_alert", severity: "high", time: now + i, signature: i % 3 === 0 ? "ET FLOOD beta" : "ET FLOOD alpha", src_ip: "203.0.113.66", message: `flood ${n++}` }));
        await postEvents(request, vigil.url, key, events);
        return storm.isVisible();
      },
      { timeout: 90_000, intervals: [100] },
    )
    .toBe(true);
  await expect(storm.getByRole("listitem").filter({ hasText: "ET FLOOD alpha" })).toBeVisible();
  await expect(storm.getByRole("listitem").filter({ hasText: "203.0.113.66" })).toBeVisible();
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");
  await storm.getByRole("button", { name: "Show the list" }).click();
  await expect(page.getByRole("region", { name: "security events", exact: true }).getByRole("listitem").first()).toContainText("ET FLOOD");
});
