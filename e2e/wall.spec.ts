import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { cuttableProxy } from "./support/cuttable-proxy";
import { bruteForceBurst, postEvents } from "./support/api";
import { seedAnalyst, signIn } from "./support/accounts";

// The wall screen (/?tv=1): read-only, live counts, and when it last heard from the server.
let vigil: VigilServer;
let key = "";
test.beforeAll(async () => {
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil, "wall@bank.test"));
});
test.afterAll(async () => {
  await vigil?.dispose();
});

test("the wall view is read-only and follows the live counts", async ({ page, context, request }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await signIn(context, vigil.url, "wall@bank.test");
  await page.goto(`${vigil.url}/?tv=1`);
  await expect(page.getByRole("heading", { name: /Vigil wall/ })).toBeVisible();
  // the last-heard indicator counts from the first message of the server (connect, batch or heartbeat)
  await expect(page.getByRole("status", { name: "last heard" })).toContainText(/Live.*updated \d+ s ago/);
  // nothing to click: no buttons, no forms, no console panes
  await expect(page.getByRole("button")).toHaveCount(0);
  await expect(page.locator("form, input, select, textarea")).toHaveCount(0);
  await expect(page.getByTestId("wall-nodes-down")).toHaveText("0");

  // a node going down and a brute-force incident reach the wall live, without a reload
  const beat = await request.post(`${vigil.url}/api/v1/heartbeats`, {
    data: [{ node: "wall-db-1", ok: false }],
    headers: { authorization: `Bearer ${key}` },
  });
  expect(beat.status(), await beat.text()).toBeLessThan(300);
  // one failed check makes it degraded or down (the status rules decide which): either way it is counted and listed
  const troubled = async () => Number(await page.getByTestId("wall-nodes-down").textContent()) + Number(await page.getByTestId("wall-nodes-degraded").textContent());
  await expect.poll(troubled).toBe(1);
  await expect(page.getByRole("region", { name: "down and degraded nodes" }).getByRole("listitem")).toHaveText([/wall-db-1/]);

  const sent = await postEvents(request, vigil.url, key, bruteForceBurst("203.0.113.9"));
  expect(sent.status).toBeLessThan(300);
  const incidents = page.getByRole("region", { name: "most severe open incidents" });
  await expect(page.getByTestId("wall-incidents-open")).not.toHaveText("0");
  await expect(incidents.getByRole("listitem")).not.toHaveCount(0);
  // the counts the wall shows are the API's: open incidents by severity add up to the open total
  const api = await (await request.get(`${vigil.url}/api/v1/incidents?status=open`, { headers: { authorization: `Bearer ${key}` } })).json();
  await expect(page.getByTestId("wall-incidents-open")).toHaveText(String(api.incidents.length));
  await expect(page.getByTestId("wall-events-per-minute")).toHaveText(/^\d+$/);
  await expect(page.getByRole("button")).toHaveCount(0);
});

test("the wall says when the connection is lost and comes back by itself", async ({ page, context }) => {
  const proxy = await cuttableProxy(vigil.port);
  try {
    await signIn(context, proxy.url, "wall@bank.test");
    await page.goto(`${proxy.url}/?tv=1`);
    const heard = page.getByRole("status", { name: "last heard" });
    await expect(heard).toContainText("Live");
    // (Next's route announcer is an alert too, so the banner is found by its words)
    const banner = page.getByRole("alert").filter({ hasText: "Connection to the server lost" });
    await expect(banner).toHaveCount(0);

    proxy.cut();
    await expect(banner).toContainText(/Connection to the server lost \d+ s ago/);
    await expect(heard).toContainText("Offline");

    proxy.restore();
    await expect(heard).toContainText("Live");
    await expect(banner).toHaveCount(0);
  } finally {
    await proxy.close();
  }
});
