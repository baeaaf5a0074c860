import { expect, test, type Browser, type Page } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { bruteForceBurst, postEvents } from "./support/api";
import { seedAnalyst, signIn } from "./support/accounts";

// A flood of 500 incidents through the real ingest path: 500 sources, ten failed logins each, in
// one batch. The console collapses it into one group with its true count, keeps the DOM bounded,
// shows the same counts after a reload, and lets a phone acknowledge one incident with one tap.

let vigil: VigilServer;
let key = "";
const SOURCES = Array.from({ length: 500 }, (_, i) => `198.51.${100 + Math.floor(i / 250)}.${(i % 250) + 1}`);

test.beforeAll(async () => {
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil, "ana@bank.test"));
});
test.afterAll(async () => {
  await vigil?.dispose();
});

/**
 * React's devtools hook, standing in for the profiler: after each commit it records the incident
 * id of every incident row (a memoised component whose props carry `incident` and `onAction`)
 * that rendered, i.e. whose props object is not the one it kept (a memo bail-out keeps it).
 */
function countRowRenders() {
  const seen = new Map<number, unknown>();
  const w = window as unknown as { __rowRenders: number[]; __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown };
  w.__rowRenders = [];
  type Fiber = { child: Fiber | null; sibling: Fiber | null; memoizedProps: { incident?: { id: number }; onAction?: unknown } | null };
  const walk = (fiber: Fiber | null) => {
    for (let f = fiber; f; f = f.sibling) {
      const props = f.memoizedProps;
      if (props && typeof props === "object" && props.incident && props.onAction) {
        if (seen.get(props.incident.id) !== props) w.__rowRenders.push(props.incident.id);
        seen.set(props.incident.id, props);
      }
      walk(f.child);
    }
  };
  w.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject: () => 1,
    checkDCE: () => {},
    onCommitFiberRoot: (_: number, root: { current: Fiber }) => walk(root.current),
    onCommitFiberUnmount: () => {},
    onPostCommitFiberRoot: () => {},
  };
}

async function openConsole(browser: Browser, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await signIn(context, vigil.url, "ana@bank.test");
  const page = await context.newPage();
  await page.addInitScript(countRowRenders);
  await page.goto(vigil.url);
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");
  return page;
}

const counts = (page: Page) => page.getByRole("region", { name: "Incidents" }).getByLabel("incident counts");
const group = (page: Page) => page.getByRole("listitem", { name: "incident group brute_force" });
/** incident rows in the DOM (group lines and loaders carry no status) */
const rows = (page: Page) => page.locator("[aria-label='incident list'] > li[data-status]");

test("a flood of 500 incidents is one group with its true count, a bounded DOM, the same counts after a reload, and one-tap acknowledgement on a phone", async ({ browser, request }) => {
  const wide = await openConsole(browser, { width: 1920, height: 1080 });
  // a few incidents are rows, open first
  const few = await postEvents(request, vigil.url, key, SOURCES.slice(0, 3).flatMap((ip) => bruteForceBurst(ip)));
  expect(few.status).toBe(202);
  await expect(rows(wide)).toHaveCount(3);
  await expect(counts(wide)).toContainText("3 open · 0 acknowledged");
  await wide.screenshot({ path: test.info().outputPath("wide-few.png") });
  // the rest of the flood in one batch
  const posted = await postEvents(request, vigil.url, key, SOURCES.slice(3).flatMap((ip) => bruteForceBurst(ip)));
  expect(posted.status, JSON.stringify(posted.body).slice(0, 300)).toBe(202);
  expect(posted.body.accepted).toBe(4970);

  // live: one line for the flood, not 500 rows
  await expect(group(wide)).toContainText("× 500");
  await expect(counts(wide)).toContainText("500 open · 0 acknowledged");
  await expect(counts(wide)).toContainText("500 high");
  await expect(rows(wide)).toHaveCount(0);

  // expanded, the group is a virtual list: scrolled to its end, every page loaded, the DOM still holds a window of it
  await group(wide).getByRole("button").click();
  await expect(rows(wide).first()).toBeVisible();
  const scroller = wide.locator("[data-grouped]");
  // (until the oldest is there: between two pages the loader can be out of the rendered window for a moment)
  const oldestRow = wide.getByRole("listitem", { name: "incident Brute-force logins from 198.51.100.1", exact: true });
  await expect
    .poll(async () => {
      await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
      return (await oldestRow.count()) + (await wide.getByRole("listitem", { name: "more incidents" }).count()) * 10;
    })
    .toBe(1);
  await expect(oldestRow).toBeVisible();
  await wide.screenshot({ path: test.info().outputPath("wide-expanded.png") });
  const inDom = await rows(wide).count();
  expect(inDom).toBeGreaterThan(0);
  expect(inDom).toBeLessThan(60);

  // a reload shows what the live page showed
  const live = await counts(wide).textContent();
  await wide.reload();
  await expect(wide.getByRole("status", { name: "connection" })).toHaveText("Live");
  await expect(counts(wide)).toHaveText(live!);
  await expect(group(wide)).toContainText("× 500");

  // the phone: incidents first, an incident acknowledged with one tap, the counts follow everywhere
  const phone = await openConsole(browser, { width: 390, height: 844 });
  await expect(phone.getByRole("button", { name: "incidents" })).toHaveAttribute("aria-current", "page");
  await phone.screenshot({ path: test.info().outputPath("phone-grouped.png") });
  await group(phone).getByRole("button").click();
  const first = rows(phone).first();
  await expect(first).toHaveAttribute("data-status", "open");
  const title = (await first.getAttribute("aria-label"))!;
  const card = phone.getByRole("listitem", { name: title });
  const ack = card.getByRole("button", { name: "Acknowledge" });
  const box = (await ack.boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(44);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await phone.evaluate(() => ((window as unknown as { __rowRenders: number[] }).__rowRenders = []));
  await ack.click();
  await expect(card).toHaveAttribute("data-status", "acknowledged");
  await expect(card).toContainText("acknowledged by ana@bank.test");
  await expect(counts(phone)).toContainText("499 open · 1 acknowledged");
  await phone.screenshot({ path: test.info().outputPath("phone-acknowledged.png") });
  await expect(group(phone)).toContainText("1 acknowledged");
  await expect(counts(wide)).toContainText("499 open · 1 acknowledged");
  // acknowledging one row re-rendered that row only (busy, then acknowledged), nothing else of the list
  const rendered = await phone.evaluate(() => (window as unknown as { __rowRenders: number[] }).__rowRenders);
  const acked = await (await request.get(`${vigil.url}/api/v1/incidents?status=acknowledged`, { headers: { authorization: `Bearer ${key}` } })).json();
  expect(rendered.length).toBeGreaterThan(0);
  expect(new Set(rendered)).toEqual(new Set([acked.incidents[0].id]));
  // nothing wider than the phone
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // someone else acknowledges the oldest incident, which the reloaded wide page does not hold (it
  // holds the newest page): its delta cannot be counted exactly, so the page fetches the counts again
  const auth = { authorization: `Bearer ${key}` };
  const oldest = (await (await request.get(`${vigil.url}/api/v1/incidents?status=open&limit=500`, { headers: auth })).json()).incidents.at(-1);
  expect(oldest.entity).toBe(`unknown:${SOURCES[0]}`); // brute force is keyed by service and source; these JSON items name no service
  expect((await request.post(`${vigil.url}/api/v1/incidents/${oldest.id}/ack`, { data: { version: oldest.version }, headers: auth })).status()).toBe(200);
  await expect(counts(wide)).toContainText("498 open · 2 acknowledged");
  await expect(counts(phone)).toContainText("498 open · 2 acknowledged");

  const api = await (await request.get(`${vigil.url}/api/v1/incidents?status=active&limit=1`, { headers: auth })).json();
  expect(api).toMatchObject({ total: 500, counts: { open: 498, acknowledged: 2 } });
  await wide.context().close();
  await phone.context().close();
});
