// The network pane at 1,000 nodes: heartbeats through the real API with an ingest key, then the
// console wide and at 390 px. The DOM holds a bounded number of tiles (virtualised) while the
// status counts read the true totals, nodes going down lead the grid and the counts follow them
// live, a flood of 500 is said and counted, a tile opens its detail, and no console or page
// error happens on the way.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { createKey, createUser, signIn } from "./support/accounts";
import { FIRST_SCREEN_TILES } from "../lib/contracts/network";

const NODES = 1000;
/** a virtualised grid shows the rows in view plus a margin: far fewer than 1,000 */
const MAX_TILES_IN_DOM = 200;
const key = (i: number) => `scale-${String(i).padStart(4, "0")}`;

let vigil: VigilServer;
let ingestKey: string;
let clock = Date.now() - 10 * 60_000;

/** POSTs heartbeats (one batch, at most 10,000 items) and expects every one accepted. */
async function beats(request: APIRequestContext, items: { node: string; ok: boolean; latency_ms?: number }[]) {
  clock += 1000;
  const time = clock;
  const res = await request.post(`${vigil.url}/api/v1/heartbeats`, { data: items.map((b) => ({ ...b, time })), headers: { authorization: `Bearer ${ingestKey}` } });
  const body = await res.json();
  expect(res.status(), JSON.stringify(body)).toBeLessThan(300);
  expect(body.accepted).toBe(items.length);
}

/**
 * Console errors and page errors, collected for the whole test; with `chartWarnings`, recharts'
 * width(0) warnings too (on the wide page every chart is shown, the detail's included; at 390 px
 * the hidden tabs' charts are not this pane's).
 */
function watchErrors(page: Page, chartWarnings: boolean): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || (chartWarnings && /width\(0\)|height\(0\)/.test(msg.text()))) errors.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  // a link prefetch cut short by a reload is aborted by the browser itself, not failed
  page.on("requestfailed", (req) => req.failure()?.errorText !== "net::ERR_ABORTED" && errors.push(`requestfailed: ${req.url()} ${req.failure()?.errorText}`));
  return errors;
}

/**
 * Records which node tiles React renders: React calls the DevTools hook on every commit (in
 * production builds too); a tile rendered when its <article>'s props object is a new one.
 */
async function trackTileRenders(page: Page) {
  await page.addInitScript(() => {
    type Fiber = { tag: number; type: unknown; memoizedProps: Record<string, unknown> | null; child: Fiber | null; sibling: Fiber | null };
    const w = window as unknown as { __tileRenders: string[]; __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown };
    w.__tileRenders = [];
    const seen = new Map<string, unknown>();
    const walk = (root: Fiber) => {
      const stack: Fiber[] = [root];
      while (stack.length) {
        const f = stack.pop()!;
        const props = f.memoizedProps;
        if (f.tag === 5 && f.type === "article" && props && "data-node-tile" in props) {
          const label = String(props["aria-label"]);
          if (seen.get(label) !== props) w.__tileRenders.push(label);
          seen.set(label, props);
        }
        if (f.sibling) stack.push(f.sibling);
        if (f.child) stack.push(f.child);
      }
    };
    w.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
      renderers: new Map(),
      supportsFiber: true,
      inject: () => 1,
      checkDCE: () => {},
      onScheduleFiberRoot: () => {},
      onCommitFiberRoot: (_id: number, root: { current: Fiber }) => walk(root.current),
      onCommitFiberUnmount: () => {},
      onPostCommitFiberRoot: () => {},
    };
  });
}
const rendered = (page: Page) => page.evaluate(() => [...new Set((window as unknown as { __tileRenders: string[] }).__tileRenders.splice(0))]);

const pane = (page: Page) => page.getByRole("region", { name: "Network health" });
const tiles = (page: Page) => pane(page).locator("[data-node-tile]");
const countOf = (page: Page, what: string) => pane(page).getByTestId(`count-${what}`);

test.beforeAll(async ({ request }) => {
  // no watchdog: the nodes are silent between the test's own heartbeats
  vigil = await startVigil({ env: { VIGIL_SILENCE_S: "0" } });
  await createUser(vigil, "wall@bank.test", "viewer");
  await createUser(vigil, "ops@bank.test", "noc");
  ingestKey = await createKey(vigil, "ops@bank.test", "ingest");
  // five rounds of heartbeats for 1,000 nodes, one batch a round
  for (let round = 0; round < 5; round++) {
    await beats(request, Array.from({ length: NODES }, (_, i) => ({ node: key(i), ok: true, latency_ms: 5 + ((i * 7 + round * 13) % 90) })));
  }
});
test.afterAll(async () => {
  await vigil?.dispose();
});

test("wide: 1,000 nodes, a bounded DOM, true counts; a node going down leads the grid; a flood of 500 is counted and said", async ({ page, context, request }) => {
  const errors = watchErrors(page, true);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await trackTileRenders(page);
  await signIn(context, vigil.url, "wall@bank.test");
  await page.goto(vigil.url);
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");

  await expect(countOf(page, "all")).toHaveText("1,000");
  await expect(countOf(page, "up")).toHaveText("1,000");
  await expect(countOf(page, "down")).toHaveText("0");
  await expect(tiles(page).first()).toBeVisible();
  const inDom = await tiles(page).count();
  expect(inDom).toBeGreaterThan(0);
  expect(inDom).toBeLessThan(MAX_TILES_IN_DOM);

  // the document carries the first screenful of tiles (a tile is the one object with a "spark"),
  // and the pane fetches the rest once it runs
  const html = await (await context.request.get(vigil.url)).text();
  const inDocument = html.match(/spark/g)?.length ?? 0;
  expect(inDocument).toBeGreaterThan(0);
  expect(inDocument).toBeLessThanOrEqual(FIRST_SCREEN_TILES);
  await expect(pane(page).getByTestId("shown-count")).toHaveText("1,000 shown");

  // scrolling the grid to the end shows the last node and still keeps the DOM bounded
  await pane(page).getByTestId("node-grid").evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(pane(page).getByRole("article", { name: `node ${key(NODES - 1)}` })).toBeVisible();
  expect(await tiles(page).count()).toBeLessThan(MAX_TILES_IN_DOM);
  await pane(page).getByTestId("node-grid").evaluate((el) => el.scrollTo(0, 0));

  // one heartbeat renders one tile: the others keep their objects and their memoised tiles skip
  await expect(pane(page).getByRole("article", { name: `node ${key(3)}` })).toBeVisible();
  await rendered(page);
  await beats(request, [{ node: key(3), ok: true, latency_ms: 321 }]);
  await expect(pane(page).getByRole("article", { name: `node ${key(3)}` })).toContainText("321 ms");
  expect(await rendered(page)).toEqual([`node ${key(3)}`]);

  // one node fails three checks (down): live, the down count reads 1 and it is the first tile;
  // moving it to the front renders that tile alone: the others only change place
  const victim = key(5);
  await beats(request, [{ node: victim, ok: false }]);
  await beats(request, [{ node: victim, ok: false }]);
  await beats(request, [{ node: victim, ok: false }]);
  await expect(countOf(page, "down")).toHaveText("1");
  await expect(countOf(page, "up")).toHaveText("999");
  await expect(tiles(page).first()).toHaveAttribute("aria-label", `node ${victim}`);
  await expect(tiles(page).first()).toHaveAttribute("data-status", "down");
  expect(await rendered(page)).toEqual([`node ${victim}`]);

  // its tile opens the detail: the failed checks, and the chart mounted with a size
  await tiles(page).first().getByRole("button", { name: victim }).click();
  const detail = page.getByRole("dialog", { name: `node ${victim} detail` });
  await expect(detail.getByTestId("detail-status")).toHaveText("down");
  await expect(detail.getByText("failed", { exact: true })).toHaveCount(3);
  await expect(detail.locator(".recharts-surface")).toBeVisible();
  await detail.getByRole("button", { name: "Close" }).click();
  await expect(detail).toBeHidden();

  // a flood: 500 more nodes go down within seconds (three failed rounds of 500)
  const flood = Array.from({ length: 500 }, (_, i) => ({ node: key(i * 2), ok: false }));
  for (let r = 0; r < 3; r++) await beats(request, flood);
  await expect(countOf(page, "down")).toHaveText("501");
  await expect(countOf(page, "up")).toHaveText("499");
  await expect(pane(page).getByTestId("flood-count")).toHaveText("501 nodes down");
  await expect(tiles(page).first()).toHaveAttribute("data-status", "down");
  expect(await tiles(page).count()).toBeLessThan(MAX_TILES_IN_DOM);

  // the chip shows only the down nodes; the search narrows by key
  await pane(page).getByRole("group", { name: "network summary" }).getByRole("button", { name: /down$/ }).click();
  await expect(pane(page).getByTestId("shown-count")).toHaveText("501 shown");
  await pane(page).getByRole("searchbox", { name: "search nodes" }).fill(victim);
  await expect(pane(page).getByTestId("shown-count")).toHaveText("1 shown");
  await expect(tiles(page)).toHaveCount(1);

  // a reload reads the same true counts from the server
  await page.reload();
  await expect(countOf(page, "down")).toHaveText("501");
  await expect(countOf(page, "all")).toHaveText("1,000");

  // the topology (1,000 roots: these nodes name no parent) and a grouping keep the DOM bounded too
  await pane(page).getByRole("group", { name: "network view" }).getByRole("button", { name: "Topology" }).click();
  const rows = pane(page).locator("[data-topology-row]");
  await expect(pane(page).getByTestId("topology")).toHaveAttribute("data-rows", "1000");
  await expect(rows.first()).toHaveAttribute("data-status", "down");
  expect(await rows.count()).toBeLessThan(MAX_TILES_IN_DOM);
  await pane(page).getByRole("group", { name: "network view" }).getByRole("button", { name: "Tiles" }).click();
  await pane(page).getByLabel("Group by").selectOption("site");
  // none of them has a site: one group, its header counting all 1,000
  const untagged = pane(page).locator('[data-group-header][data-group=""]');
  await expect(untagged.locator('[data-count="total"]')).toHaveText("1,000");
  await expect(untagged.locator('[data-count="down"]')).toHaveText("501");
  await expect(untagged.locator('[data-count="up"]')).toHaveText("499");
  expect(await tiles(page).count()).toBeLessThan(MAX_TILES_IN_DOM);
  await page.screenshot({ path: "/tmp/network-scale-wide.png" });
  expect(errors).toEqual([]);
});

test("phone (390 px): counts at the top, one or two columns, nothing clipped, a bounded DOM", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = watchErrors(page, false);
  await signIn(context, vigil.url, "wall@bank.test");
  await page.goto(vigil.url);
  await page.getByRole("button", { name: "network", exact: true }).click();
  await expect(countOf(page, "all")).toHaveText("1,000");
  await expect(countOf(page, "down")).toBeInViewport();
  await expect(tiles(page).first()).toBeVisible();
  expect(await tiles(page).count()).toBeLessThan(MAX_TILES_IN_DOM);
  const columns = Number(await pane(page).getByTestId("node-grid").getAttribute("data-columns"));
  expect(columns).toBeGreaterThanOrEqual(1);
  expect(columns).toBeLessThanOrEqual(2);
  // no tile, chip or the search box reaches past the screen's edge
  for (const box of [
    await tiles(page).first().boundingBox(),
    await tiles(page).nth(columns - 1).boundingBox(),
    await pane(page).getByRole("group", { name: "network summary" }).boundingBox(),
    await pane(page).getByRole("searchbox", { name: "search nodes" }).boundingBox(),
  ]) {
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // the detail opens full-screen and closes
  await tiles(page).first().getByRole("button").click();
  const detail = page.getByRole("dialog");
  await expect(detail.locator(".recharts-surface")).toBeVisible();
  const box = await detail.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "/tmp/network-scale-phone-detail.png" });
  await detail.getByRole("button", { name: "Close" }).click();
  await page.screenshot({ path: "/tmp/network-scale-phone.png" });
  expect(errors).toEqual([]);
  await context.close();
});
