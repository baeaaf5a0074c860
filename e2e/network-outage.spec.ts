import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { pageErrors } from "./support/page-errors";
import { TcpTarget } from "./support/tcp-target";
import { startVigil, type VigilServer } from "./support/vigil";
import { createUser, signIn } from "./support/accounts";

let vigil: VigilServer;
let port = 0;
const target = new TcpTarget();
/** a second target that stays up: a node at another site */
const steady = new TcpTarget();

test.beforeAll(async () => {
  port = await target.start();
  const steadyPort = await steady.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-outage-"));
  const file = path.join(dir, "vigil.yaml");
  // a router and two services behind it at fra1, all probed every second against the same port;
  // a monitor at ams2 probed against another port that stays up
  const check = `{type: tcp, host: 127.0.0.1, port: ${port}, interval: 1s, timeout: 500ms}`;
  fs.writeFileSync(
    file,
    [
      "nodes:",
      "  - id: edge-router-9",
      "    name: Edge router 9",
      "    kind: router",
      "    tags: {site: fra1, tier: edge}",
      `    checks: [${check}]`,
      "  - id: wallet-api-9",
      "    name: Wallet API 9",
      "    parent: edge-router-9",
      "    tags: {site: fra1, tier: app}",
      `    checks: [${check}]`,
      "  - id: ledger-9",
      "    name: Ledger 9",
      "    parent: edge-router-9",
      "    tags: {site: fra1, tier: data}",
      `    checks: [${check}]`,
      "  - id: ops-monitor-9",
      "    name: Ops monitor 9",
      "    tags: {site: ams2, tier: ops}",
      `    checks: [{type: tcp, host: 127.0.0.1, port: ${steadyPort}, interval: 1s, timeout: 500ms}]`,
      "",
    ].join("\n"),
  );
  vigil = await startVigil({ env: { VIGIL_CONFIG: file } });
  await createUser(vigil, "nora@bank.test", "noc");
});
test.afterAll(async () => {
  await vigil?.dispose();
  await target.stop();
  await steady.stop();
});

test("a stopped target turns its router red and the services behind it grey with one incident, in the tiles, the topology and the site groups, then all recover", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await signIn(context, vigil.url, "nora@bank.test");
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(vigil.url);
  const tile = (name: string) => page.getByRole("button", { name: `node ${name}` }).or(page.getByLabel(`node ${name}`, { exact: true })).first();
  for (const name of ["Edge router 9", "Wallet API 9", "Ledger 9", "Ops monitor 9"]) await expect(tile(name)).toHaveAttribute("data-status", "up", { timeout: 20_000 });

  await target.stop();
  await expect(tile("Edge router 9")).toHaveAttribute("data-status", "down", { timeout: 20_000 });
  for (const name of ["Wallet API 9", "Ledger 9"]) await expect(tile(name)).toHaveAttribute("data-status", "unreachable", { timeout: 20_000 });
  // one page for the outage: the router's; the services behind it are evidence on it
  const active = await (await context.request.get(`${vigil.url}/api/v1/incidents?status=active&pane=network`)).json();
  expect(active.incidents.map((i: { rule: string; entity: string }) => `${i.rule}:${i.entity}`)).toEqual(["node_down:edge-router-9"]);
  const down = active.incidents[0];
  expect(down.details.unreachable_count).toBe(2);

  // the topology: the router first, red, with its two unreachable dependants grey and indented under it
  const pane = page.getByRole("region", { name: "Network health" });
  await pane.getByRole("group", { name: "network view" }).getByRole("button", { name: "Topology" }).click();
  await expect(page).toHaveURL(/net_view=topology/);
  const rows = pane.getByRole("list", { name: "topology" }).getByRole("listitem");
  await expect(rows).toHaveText([/Edge router 9/, /Ledger 9/, /Wallet API 9/, /Ops monitor 9/]);
  const router = rows.nth(0);
  await expect(router).toHaveAttribute("data-status", "down");
  await expect(router).toHaveAttribute("aria-level", "1");
  const background = (row: number) => rows.nth(row).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await background(0)).not.toBe("rgba(0, 0, 0, 0)");
  await expect(router.getByTestId("unreachable-below")).toHaveText("2 unreachable");
  for (const i of [1, 2]) {
    await expect(rows.nth(i)).toHaveAttribute("data-status", "unreachable");
    await expect(rows.nth(i)).toHaveAttribute("aria-level", "2");
    await expect(rows.nth(i)).toHaveCSS("opacity", "0.6");
    expect(await background(i)).toBe("rgba(0, 0, 0, 0)");
  }
  // the dependants' names start further right than the router's (indented)
  const nameX = async (row: number, name: string) => (await rows.nth(row).getByRole("button", { name, exact: true }).boundingBox())!.x;
  expect(await nameX(1, "Ledger 9")).toBeGreaterThan(await nameX(0, "Edge router 9"));
  // collapsing the router hides its dependants and says how many are below it
  await router.getByRole("button", { name: "collapse Edge router 9" }).click();
  await expect(rows).toHaveText([/Edge router 9.*\+2/, /Ops monitor 9/]);
  await router.getByRole("button", { name: "expand Edge router 9" }).click();
  await expect(rows).toHaveCount(4);

  // the tiles grouped by site: fra1 first with its true counts, ams2 all up; the choice survives a reload
  await pane.getByRole("group", { name: "network view" }).getByRole("button", { name: "Tiles" }).click();
  await pane.getByLabel("Group by").selectOption("site");
  await expect(page).toHaveURL(/net_group=site/);
  await expect(page).not.toHaveURL(/net_view/);
  const headers = pane.locator("[data-group-header]");
  const groupCount = (site: string, what: string) => pane.locator(`[data-group-header][data-group="${site}"] [data-count="${what}"]`);
  const checkGroups = async () => {
    await expect(headers).toHaveCount(2);
    await expect(headers.nth(0)).toHaveAttribute("data-group", "fra1");
    await expect(groupCount("fra1", "total")).toHaveText("3");
    await expect(groupCount("fra1", "down")).toHaveText("1");
    await expect(groupCount("fra1", "unreachable")).toHaveText("2");
    await expect(groupCount("fra1", "up")).toHaveCount(0);
    await expect(groupCount("ams2", "total")).toHaveText("1");
    await expect(groupCount("ams2", "up")).toHaveText("1");
  };
  await checkGroups();
  await page.reload();
  await expect(pane.getByLabel("Group by")).toHaveValue("site");
  await checkGroups();
  // a collapsed group keeps its header and counts, without its tiles
  await headers.nth(0).getByRole("button", { name: "fra1" }).click();
  await expect(pane.locator("[data-node-tile]")).toHaveCount(1);
  await expect(groupCount("fra1", "down")).toHaveText("1");
  await headers.nth(0).getByRole("button", { name: "fra1" }).click();
  await expect(pane.locator("[data-node-tile]")).toHaveCount(4);
  await page.screenshot({ path: test.info().outputPath("grouped-by-site.png") });

  await target.start(port);
  for (const name of ["Edge router 9", "Wallet API 9", "Ledger 9"]) await expect(tile(name)).toHaveAttribute("data-status", "up", { timeout: 20_000 });
  const after = await (await context.request.get(`${vigil.url}/api/v1/incidents/${down.id}`)).json();
  expect(after.incident.status).toBe("resolved");
  // resolved at the first good check, which came before the answer was read
  expect(after.incident.resolved_at).toBeLessThanOrEqual(Date.now());
  expect(after.incident.resolved_at).toBeGreaterThan(down.first_seen);
  expect(errors).toEqual([]);
  await context.close();
});
