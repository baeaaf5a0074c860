// Past 2,000 nodes the network summary holds the most troubled only, so a status chip or a search
// asks the server over every node: while it has not answered, the pane says it is asking, never
// "No node matches." (a NOC engineer filtering a large fleet must not be told nothing is down).
import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { seedAnalyst, signIn } from "./support/accounts";

const NODES = 2100;
let vigil: VigilServer;
let key = "";
test.beforeAll(async ({ request }) => {
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil));
  const time = Date.now() - 1000;
  const items = Array.from({ length: NODES }, (_, i) => ({ node: `big-${String(i).padStart(4, "0")}`, ok: true, latency_ms: 10 + (i % 50), time }));
  const res = await request.post(`${vigil.url}/api/v1/heartbeats`, { data: items, headers: { authorization: `Bearer ${key}` } });
  expect(res.status()).toBeLessThan(300);
});
test.afterAll(async () => {
  await vigil?.dispose();
});

test("a status filter over a fleet larger than the summary says it is asking the server until it answers, then shows the true matches", async ({ page, context }) => {
  await signIn(context, vigil.url, "ana@bank.test");
  // the server's answer to the filter is held until the pane has been looked at
  let answer!: () => void;
  const held = new Promise<void>((resolve) => (answer = resolve));
  const filtered = /\/api\/v1\/network\/summary\?(.*&)?status=up/;
  await page.route(filtered, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(vigil.url);
  const pane = page.getByRole("region", { name: "Network health" });
  await expect(pane.getByTestId("count-all")).toHaveText("2,100");
  await expect(pane.getByText(/most troubled of 2,100 nodes are loaded live/)).toBeVisible();
  await pane.getByRole("group", { name: "network summary" }).getByRole("button", { name: /up$/ }).click();
  await expect(pane.getByText("Asking the server over every node…")).toBeVisible();
  await expect(pane.getByText("No node matches.")).toHaveCount(0);
  answer();
  await expect(pane.getByTestId("shown-count")).toHaveText("2,100 shown");
  await expect(pane.getByText("Asking the server over every node…")).toHaveCount(0);
});
