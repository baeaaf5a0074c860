import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { createUser, signIn } from "./support/accounts";

let vigil: VigilServer;
test.beforeAll(async () => {
  vigil = await startVigil({ demo: true });
  await createUser(vigil, "wall@bank.test", "viewer");
});
test.afterAll(async () => {
  await vigil?.dispose();
});

test("both panes fill with live demo data without a reload", async ({ page, context }) => {
  await signIn(context, vigil.url, "wall@bank.test");
  await page.goto(vigil.url);
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");

  const network = page.getByRole("region", { name: "Network health" });
  await expect(network.getByRole("article")).toHaveCount(20);
  await expect(network.getByRole("article", { name: "node Payment switch" })).toHaveAttribute("data-status", /up|degraded/);
  await expect(network.getByLabel("network summary")).toContainText("up");

  const events = page.getByRole("region", { name: "security events" }).getByRole("listitem");
  await expect(events.first()).toBeVisible();
  // the demo keeps streaming: the newest row changes while we watch, with no navigation
  const newest = await events.first().textContent();
  await expect.poll(async () => events.first().textContent()).not.toBe(newest);

  // heartbeats arrive live too: the payment switch's check strip grows
  const tile = network.getByRole("article", { name: "node Payment switch" });
  const label = async () => (await tile.getByLabel(/checks failed/).getAttribute("aria-label")) ?? "";
  const before = Number((await label()).match(/last (\d+)/)?.[1]);
  await expect.poll(async () => Number((await label()).match(/last (\d+)/)?.[1])).toBeGreaterThan(before);
});
