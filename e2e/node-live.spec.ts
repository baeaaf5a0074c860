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

test.beforeAll(async () => {
  port = await target.start();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vigil-node-live-")), "vigil.yaml");
  fs.writeFileSync(
    file,
    ["nodes:", "  - id: switch-7", "    name: Switch 7", `    checks: [{type: tcp, host: 127.0.0.1, port: ${port}, interval: 1s, timeout: 500ms}]`, ""].join("\n"),
  );
  vigil = await startVigil({ env: { VIGIL_CONFIG: file } });
  await createUser(vigil, "nora@bank.test", "noc");
});
test.afterAll(async () => {
  await vigil?.dispose();
  await target.stop();
});

test("an open node page follows the live stream: its checks, its status going down and up, and its incident, without a reload or a poll", async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await signIn(context, vigil.url, "nora@bank.test");
  const listed = (await (await context.request.get(`${vigil.url}/api/v1/nodes`)).json()) as { nodes: { id: number; key: string }[] };
  const id = listed.nodes.find((n) => n.key === "switch-7")!.id;
  const page = await context.newPage();
  const errors = pageErrors(page);
  // every read of the node's detail: the page loads it once and then only listens
  const detailReads: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "GET" && new URL(r.url()).pathname === `/api/v1/nodes/${id}`) detailReads.push(r.url());
  });

  await page.goto(`${vigil.url}/nodes/${id}`);
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");
  // a mark on this document: a reload would lose it
  await page.evaluate(() => Object.assign(window, { __vigilSameDocument: true }));
  await expect(page.getByTestId("node-status")).toHaveText("up", { timeout: 20_000 });

  // new checks arrive: the count of results shown grows while the page stays as loaded
  const results = page.getByRole("region", { name: "checks" }).getByRole("heading", { name: /^Last \d+ results$/ });
  const count = async () => Number((await results.textContent())!.match(/\d+/)![0]);
  const first = await count();
  await expect.poll(count, { timeout: 15_000 }).toBeGreaterThan(Math.min(first, 29));

  await target.stop();
  await expect(page.getByTestId("node-status")).toHaveText("down", { timeout: 20_000 });
  await expect(page.getByTestId("node-check")).toContainText("failed");
  const incidents = page.getByRole("region", { name: "incidents" });
  await expect(incidents.getByRole("link", { name: /Switch 7 is down/ })).toBeVisible();
  await expect(incidents).toContainText("open");
  await expect(page.getByRole("region", { name: "outages" }).getByTestId("outage-row").first()).toContainText("ongoing");

  await target.start(port);
  await expect(page.getByTestId("node-status")).toHaveText("up", { timeout: 20_000 });
  await expect(incidents).toContainText("resolved");
  await expect(page.getByRole("region", { name: "outages" }).getByTestId("outage-row").first()).not.toContainText("ongoing");

  expect(detailReads).toHaveLength(1);
  expect(await page.evaluate(() => (window as unknown as { __vigilSameDocument?: boolean }).__vigilSameDocument)).toBe(true);
  expect(errors).toEqual([]);
  await context.close();
});
