import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { pageErrors } from "./support/page-errors";
import { TcpTarget } from "./support/tcp-target";
import { startVigil, type VigilServer } from "./support/vigil";
import { createKey, createUser, signIn } from "./support/accounts";

let vigil: VigilServer;
const tcp = new TcpTarget();
let port = 0;

const configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vigil-nodes-")), "vigil.yaml");

test.beforeAll(async () => {
  // one node from the nodes file: the API (and so the form) may not change it
  fs.writeFileSync(configFile, "nodes:\n  - id: core-switch-1\n    name: Core switch 1\n");
  vigil = await startVigil({ env: { VIGIL_CONFIG: configFile } });
  await createUser(vigil, "nora@bank.test", "noc");
  await createUser(vigil, "vic@bank.test", "viewer");
  // a port the TCP check connects to: accepted and closed at once
  port = await tcp.start();
});
test.afterAll(async () => {
  await vigil?.dispose();
  await tcp.stop();
});


let nodeId = 0;

test("a noc makes a node with a TCP check over the form, sets its threshold, pauses and resumes it", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await signIn(context, vigil.url, "nora@bank.test");
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${vigil.url}/nodes/new`);
  const form = page.getByRole("form", { name: "new node" });
  await form.getByLabel("Id (node key)").fill("branch-gw-1");
  await form.getByLabel("Name").fill("Branch gateway 1");
  await form.getByLabel("Kind").fill("gateway");
  await form.getByLabel("Tags (key=value, comma separated)").fill("site=fra1, tier=edge");
  await form.getByLabel("Check type").selectOption("tcp");
  await form.getByLabel("Check host:port").fill(`127.0.0.1:${port}`);
  await form.getByLabel("Check interval").fill("2s");
  await form.getByRole("button", { name: "Create node" }).click();
  await expect(page.getByRole("region", { name: "node created" })).toContainText("branch-gw-1");
  await page.getByRole("link", { name: "Open its page →" }).click();
  await expect(page).toHaveURL(/\/nodes\/\d+$/);
  nodeId = Number(new URL(page.url()).pathname.split("/").pop());

  const overview = page.getByRole("region", { name: "node", exact: true });
  await expect(overview.getByRole("heading", { name: "Branch gateway 1" })).toBeVisible();
  await expect(overview).toContainText("site=fra1");
  await expect(page.getByTestId("node-source")).toHaveText("api");
  const check = page.getByTestId("node-check");
  await expect(check).toContainText(`127.0.0.1:${port}`);
  // the check ran against the port the test opened, and passed
  await expect(check).toContainText(/ok /, { timeout: 20_000 });
  await expect(page.getByTestId("node-status")).toHaveText("up", { timeout: 30_000 });

  const settings = page.getByRole("region", { name: "node settings" });
  await settings.getByLabel("Latency threshold (ms)").fill("250");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("node-threshold")).toHaveText("250 ms");
  await expect(page.getByRole("region", { name: "node settings" }).getByLabel("Latency threshold (ms)")).toHaveValue("250");

  await page.getByRole("button", { name: "Pause checks" }).click();
  await expect(page.getByTestId("node-paused")).toBeVisible();
  await page.getByRole("button", { name: "Resume checks" }).click();
  await expect(page.getByRole("button", { name: "Pause checks" })).toBeVisible();
  await expect(page.getByTestId("node-paused")).toHaveCount(0);

  expect(errors).toEqual([]);

  // a bad value comes back from the API as text (the browser logs the 400 itself)
  await page.getByRole("region", { name: "node settings" }).getByLabel("Parent (node key)").fill("no-such-node");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("region", { name: "node settings" }).getByRole("alert")).toContainText("no node no-such-node");
  expect(errors.filter((e) => !e.includes("status of 400"))).toEqual([]);
  await context.close();
});

test("a viewer sees the node page without its settings form, and it fits a 390 px screen", async ({ browser }) => {
  expect(nodeId).toBeGreaterThan(0);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await signIn(context, vigil.url, "vic@bank.test");
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${vigil.url}/nodes/${nodeId}`);
  await expect(page.getByRole("region", { name: "node", exact: true }).getByRole("heading", { name: "Branch gateway 1" })).toBeVisible();
  await expect(page.getByTestId("node-check")).toBeVisible();
  await expect(page.getByRole("region", { name: "node settings" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Pause checks|Resume checks|Delete node/ })).toHaveCount(0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(errors).toEqual([]);
  await context.close();
});

test("the console's node drawer opens the node page, where a noc deletes the node only after confirming", async ({ browser }) => {
  expect(nodeId).toBeGreaterThan(0);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await signIn(context, vigil.url, "nora@bank.test");
  const page = await context.newPage();
  await page.goto(vigil.url);
  await page.getByRole("article", { name: "node Branch gateway 1" }).getByRole("button", { name: "Branch gateway 1" }).click();
  await page.getByRole("dialog", { name: "node Branch gateway 1 detail" }).getByRole("link", { name: "Open node page →" }).click();
  await expect(page).toHaveURL(`${vigil.url}/nodes/${nodeId}`);
  await page.getByRole("button", { name: "Delete node…" }).click();
  await page.getByRole("button", { name: "Keep it" }).click();
  await page.getByRole("button", { name: "Delete node…" }).click();
  await page.getByRole("button", { name: "Delete for good" }).click();
  await expect(page).toHaveURL(`${vigil.url}/`);
  expect((await context.request.get(`${vigil.url}/api/v1/nodes/${nodeId}`)).status()).toBe(404);
  await context.close();
});

test("a config-file node's settings are read-only and saving shows the server's answer naming the file", async ({ browser }) => {
  const context = await browser.newContext();
  await signIn(context, vigil.url, "nora@bank.test");
  const page = await context.newPage();
  const list = (await (await context.request.get(`${vigil.url}/api/v1/nodes`)).json()) as { nodes: { id: number; key: string }[] };
  const id = list.nodes.find((n) => n.key === "core-switch-1")!.id;
  await page.goto(`${vigil.url}/nodes/${id}`);
  await expect(page.getByTestId("node-source")).toHaveText("config");
  const settings = page.getByRole("region", { name: "node settings" });
  await expect(settings.getByLabel("Latency threshold (ms)")).not.toBeEditable();
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByRole("alert")).toContainText(`node core-switch-1 is defined in ${configFile}`);
  await context.close();
});

test("a push check made over the form shows its URL once, and the forms fit a 390 px screen", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await signIn(context, vigil.url, "nora@bank.test");
  const page = await context.newPage();
  const errors = pageErrors(page);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.goto(`${vigil.url}/nodes/new`);
  const form = page.getByRole("form", { name: "new node" });
  expect(await overflow()).toBeLessThanOrEqual(0);
  await form.getByLabel("Id (node key)").fill("nightly-export");
  await form.getByLabel("Check type").selectOption("push");
  await expect(form.getByLabel(/Check (url|host|name)/i)).toHaveCount(0);
  await form.getByRole("button", { name: "Create node" }).click();
  const url = page.getByTestId("push-url");
  await expect(url).toContainText(`${vigil.url}/api/v1/push/`);
  const pushUrl = (await url.textContent())!;
  expect((await context.request.post(pushUrl)).status()).toBe(200);
  await page.getByRole("link", { name: "Open its page →" }).click();
  await expect(page.getByTestId("node-check")).toContainText("push URL");
  // the URL is not shown again
  await expect(page.getByTestId("push-url")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "node settings" })).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);
  expect(errors).toEqual([]);
  await context.close();
});

test("the node page shows uptime, the latency chart from the roll-ups over 1 h … 30 d, its outages and the SLA CSV, at 1440 and 390 px", async ({ browser }) => {
  // an hour of pushed heartbeats, with a run of failures that takes the node down for 10 minutes
  const key = await createKey(vigil, "nora@bank.test", "ingest,read");
  const now = Date.now();
  const beats = [];
  for (let t = now - 60 * 60_000; t < now - 1000; t += 30_000) {
    const failing = t >= now - 30 * 60_000 && t < now - 20 * 60_000;
    beats.push(failing ? { node: "figures-gw", ok: false, time: t, message: "HTTP 503 from upstream" } : { node: "figures-gw", ok: true, latency_ms: 20 + ((t / 30_000) % 17), time: t });
  }
  const api = (p: string, init: RequestInit = {}) => fetch(vigil.url + p, { ...init, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } });
  expect((await api("/api/v1/heartbeats", { method: "POST", body: JSON.stringify(beats) })).status).toBe(202);
  const { nodes } = (await (await api("/api/v1/nodes?limit=1000")).json()) as { nodes: { id: number; key: string }[] };
  const id = nodes.find((n) => n.key === "figures-gw")!.id;

  for (const width of [1440, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    await signIn(context, vigil.url, "vic@bank.test");
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${vigil.url}/nodes/${id}`);
    const uptime = page.getByRole("region", { name: "uptime" });
    // up 50 of the 60 minutes with data and since (the rest of the day is no data, out of the ratio)
    await expect(uptime.getByTestId("uptime-24h")).toContainText(/8[34]\.\d\d %/);
    await expect(uptime.getByTestId("uptime-24h")).toContainText("down 10 min · 1 outage");
    await expect(uptime.getByTestId("uptime-30d")).toContainText("no data");

    const latency = page.getByRole("region", { name: "latency" });
    await latency.scrollIntoViewIfNeeded();
    await expect(latency.getByRole("img", { name: /latency p50 and p95, \d+ points of 2 min/ }).locator("svg").first()).toBeVisible();
    await expect(latency.getByTestId("latency-summary")).toContainText(/^120 checks, \d+ failed/);
    await latency.getByRole("radio", { name: "1h" }).click();
    await expect(latency.getByRole("img", { name: /points of 1 min/ })).toBeVisible();
    await latency.getByRole("radio", { name: "30d" }).click();
    await expect(latency.getByTestId("latency-summary")).toContainText("per 1 h");

    const outages = page.getByRole("region", { name: "outages" });
    await expect(outages.getByRole("heading")).toHaveText("Outages (1)");
    await expect(outages.getByTestId("outage-row")).toContainText("HTTP 503 from upstream");

    const href = await uptime.getByRole("link", { name: /SLA report/ }).getAttribute("href");
    const csv = await context.request.get(vigil.url + href!);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="vigil-sla-/);
    expect((await csv.text()).split("\r\n")[1]).toMatch(/^node,figures-gw,figures-gw,,/);

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: test.info().outputPath(`node-figures-${width}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }
});
