import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { cuttableProxy } from "./support/cuttable-proxy";
import { postEvents } from "./support/api";
import { seedAnalyst, signIn } from "./support/accounts";

let vigil: VigilServer;
let key = "";
test.beforeAll(async () => {
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil));
});
test.afterAll(async () => {
  await vigil?.dispose();
});

test("a client whose socket was cut misses no delta published while it was away", async ({ page, context, request }) => {
  const proxy = await cuttableProxy(vigil.port);
  try {
    await signIn(context, proxy.url, "ana@bank.test");
    await page.goto(proxy.url);
    const connection = page.getByRole("status", { name: "connection" });
    await expect(connection).toHaveText("Live");
    const events = page.getByRole("region", { name: "security events" });
    await postEvents(request, vigil.url, key, [{ kind: "ids_alert", signature: "ET TEST before the cut" }]);
    await expect(events.getByText("ET TEST before the cut")).toBeVisible();

    proxy.cut();
    await expect(connection).toHaveText("Reconnecting…");
    // published and flushed to the room while this browser is away, in several batches
    for (let batch = 0; batch < 3; batch++) {
      await postEvents(request, vigil.url, key, [1, 2].map((n) => ({ kind: "ids_alert", signature: `ET TEST while away ${batch}-${n}` })));
    }
    const missed = await (await request.get(`${vigil.url}/api/v1/events?limit=6`, { headers: { authorization: `Bearer ${key}` } })).json();
    expect(missed.events).toHaveLength(6);

    proxy.restore();
    await expect(connection).toHaveText("Live");
    for (let batch = 0; batch < 3; batch++) {
      for (const n of [1, 2]) await expect(events.getByText(`ET TEST while away ${batch}-${n}`)).toHaveCount(1);
    }
    // in publication order, newest first, with nothing doubled
    const rows = await events.getByRole("listitem").allTextContents();
    const order = rows.map((r) => r.match(/while away (\d-\d)/)?.[1]).filter(Boolean);
    expect(order).toEqual(["2-2", "2-1", "1-2", "1-1", "0-2", "0-1"]);
  } finally {
    await proxy.close();
  }
});
