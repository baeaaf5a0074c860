import fs from "node:fs";
import http from "node:http";
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
// an HTTP target for the check made over the node page: its body says "status: healthy"
const web = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("status: healthy\n"));
let webPort = 0;

const configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vigil-nodes-")), "vigil.yaml");

test.beforeAll(async () => {
  // one node from the nodes file: the API (and so the form) may not change it
  fs.writeFileSync(configFile, "nodes:\n  - id: core-switch-1\n    name: Core switch 1\n");
  vigil = await startVigil({ env: { VIGIL_CONFIG: configFile } });
  await createUser(vigil, "nora@bank.test", "noc");
  await createUser(vigil, "vic@bank.test", "viewer");
  // a port the TCP check connects to: accepted and closed at once
  port = await tcp.start();
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  webPort = (web.address() as { port: number }).port;
});
test.afterAll(async () => {
  await vigil?.dispose();
  await tcp.stop();
  await new Promise((resolve) => web.close(resolve));
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
  await form.getByLabel("Host").fill("127.0.0.1");
  await form.getByLabel("Port").fill("99999");
  await form.getByLabel("Interval").fill("2s");
  await form.getByRole("button", { name: "Create node" }).click();
  // the server's word on the check, beside the field it names
  await expect(form.getByLabel("Port")).toHaveAccessibleDescription(/65535/);
  await form.getByLabel("Port").fill(String(port));
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

  expect(errors.filter((e) => !e.includes("status of 400"))).toEqual([]);

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
  // the check's settings, read-only
  await expect(page.getByTestId("check-settings")).toContainText(`port${port}`);
  await expect(page.getByRole("button", { name: /Add check|Edit|Disable|Remove|Add window/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Export all nodes (YAML)" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "node settings" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Pause checks|Resume checks|Delete node/ })).toHaveCount(0);
  // where a config node is defined is told to those who may edit it, not to a viewer
  const list = (await (await context.request.get(`${vigil.url}/api/v1/nodes`)).json()) as { nodes: { id: number; key: string }[] };
  const configNode = (await (await context.request.get(`${vigil.url}/api/v1/nodes/${list.nodes.find((n) => n.key === "core-switch-1")!.id}`)).json()) as { definition: Record<string, unknown> };
  expect(configNode.definition).toEqual({ checks: [], maintenance: [], version: 1 });
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
  // its checks and windows are edited in the file, which is named
  await expect(page.getByRole("region", { name: "checks" })).toContainText(`Defined in ${configFile}: edit its checks and maintenance windows there`);
  await expect(page.getByRole("button", { name: /Add check|Add window/ })).toHaveCount(0);
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
  await expect(form.getByLabel("Grace after the interval")).toBeVisible();
  await expect(form.getByLabel(/^(URL|Host)$/)).toHaveCount(0);
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
    // a chosen range of days (the last 7 by default), from the uptime API's from/to
    await uptime.getByRole("button", { name: "Show range" }).click();
    await expect(uptime.getByTestId("uptime-range")).toContainText(/8[34]\.\d\d %/);
    await expect(uptime.getByRole("link", { name: "SLA report, chosen range (CSV)" })).toBeVisible();
    // a range that ends before it starts: the server says so
    const today = await uptime.getByLabel("To (inclusive)").inputValue();
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await uptime.getByLabel("From").fill(today);
    await uptime.getByLabel("To (inclusive)").fill(yesterday);
    await uptime.getByRole("button", { name: "Show range" }).click();
    await expect(uptime.getByRole("alert")).toContainText("to: must be after from");
    await uptime.getByRole("button", { name: "Clear" }).click();

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
    expect(errors.filter((e) => !e.includes("status of 400"))).toEqual([]);
    await context.close();
  }
});

test("a noc adds an HTTP check with a keyword and a maintenance window on the node page, sees them applied, a bad value gets the server's word beside its field, at 390 px", async ({ browser }) => {
  // the browser's zone is fixed so the one-off window's local times are known here
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: "UTC" });
  await signIn(context, vigil.url, "nora@bank.test");
  const made = await context.request.post(`${vigil.url}/api/v1/nodes`, { headers: { origin: vigil.url }, data: { id: "web-frontend-1", name: "Web frontend 1", tags: { site: "fra1" } } });
  expect(made.status()).toBe(201);
  const id = ((await made.json()) as { node: { id: number } }).node.id;
  const page = await context.newPage();
  const errors = pageErrors(page);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.goto(`${vigil.url}/nodes/${id}`);
  const checks = page.getByRole("region", { name: "checks" });
  await expect(checks).toContainText("Vigil runs no checks for this node");

  await checks.getByRole("button", { name: "Add check…" }).click();
  const form = checks.getByRole("form", { name: "new check" });
  await form.getByLabel("Check type").selectOption("http");
  await form.getByLabel("URL").fill(`http://127.0.0.1:${webPort}/health`);
  await form.getByLabel("Method").selectOption("GET");
  await form.getByLabel("Expected status").fill("abc");
  await form.getByLabel("Keyword (must appear)").fill("healthy");
  await form.getByLabel("Interval").fill("1s");
  await form.getByLabel("Timeout").fill("2s");
  await form.getByLabel("Successes before up").fill("1");
  expect(await overflow()).toBeLessThanOrEqual(0);
  await form.getByRole("button", { name: "Add check" }).click();
  // the server's 400, under the field it names, and tied to it
  await expect(form.getByLabel("Expected status")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Expected status")).toHaveAccessibleDescription(/expected a status \(200\), a class \(2xx\) or a range \(200-299\), not "abc"/);
  await expect(form.getByLabel("URL")).not.toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Expected status").fill("200");
  await form.getByRole("button", { name: "Add check" }).click();
  await expect(form).toHaveCount(0);

  const check = checks.locator('[data-testid="node-check"][data-check="http"]');
  await expect(check.getByTestId("check-settings")).toContainText("keywordhealthy");
  await expect(check.getByTestId("check-settings")).toContainText("expected status200");
  // it runs against the server the test started, and the keyword is found
  await expect(check).toContainText(/ok \d/, { timeout: 20_000 });
  await expect(page.getByTestId("node-status")).toHaveText("up", { timeout: 20_000 });

  // a keyword the page lacks takes it down, with the check's own reason
  await check.getByRole("button", { name: "Edit" }).click();
  const edit = checks.getByRole("form", { name: "edit check http" });
  await expect(edit.getByLabel("Keyword (must appear)")).toHaveValue("healthy");
  await edit.getByLabel("Keyword (must appear)").fill("degraded-banner");
  await edit.getByLabel("Failures before down").fill("1");
  await edit.getByRole("button", { name: "Save check" }).click();
  await expect(check.getByTestId("check-error")).toContainText('keyword "degraded-banner" not found', { timeout: 20_000 });
  await expect(page.getByTestId("node-status")).toHaveText("down", { timeout: 20_000 });

  // a maintenance window over now: the node is in maintenance
  const maintenance = page.getByRole("region", { name: "maintenance" });
  await maintenance.getByRole("button", { name: "Add window…" }).click();
  const windowForm = maintenance.getByRole("form", { name: "new maintenance window" });
  await windowForm.getByLabel("Every week").check();
  await windowForm.getByLabel("Time zone (IANA)").fill("Mars/Olympus_Mons");
  await windowForm.getByRole("button", { name: "Add window" }).click();
  await expect(windowForm.getByLabel("Time zone (IANA)")).toHaveAccessibleDescription(/an IANA time zone such as Europe\/Berlin/);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await windowForm.getByLabel("Once").check();
  const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  await windowForm.getByLabel("Starts (your local time)").fill(local(Date.now() - 3_600_000));
  await windowForm.getByLabel("Ends (your local time)").fill(local(Date.now() + 3_600_000));
  await windowForm.getByLabel("Reason").fill("switch firmware upgrade");
  await windowForm.getByRole("button", { name: "Add window" }).click();
  await expect(windowForm).toHaveCount(0);
  await expect(maintenance.getByTestId("maintenance-window")).toContainText("switch firmware upgrade");
  await expect(page.getByTestId("node-status")).toHaveText("maintenance", { timeout: 20_000 });

  // disabled and enabled again; the change is what the API now holds
  await check.getByRole("button", { name: "Disable" }).click();
  await expect(check).toContainText("disabled");
  const detail = (await (await context.request.get(`${vigil.url}/api/v1/nodes/${id}`)).json()) as { definition: { checks: Record<string, unknown>[]; maintenance: Record<string, unknown>[] } };
  expect(detail.definition.checks).toEqual([
    { id: "http", type: "http", url: `http://127.0.0.1:${webPort}/health`, method: "GET", expected_status: [200], keyword: "degraded-banner", interval: "1s", timeout: "2s", failures_before_down: 1, successes_before_up: 1, enabled: false },
  ]);
  expect(detail.definition.maintenance).toMatchObject([{ reason: "switch firmware upgrade" }]);
  await check.getByRole("button", { name: "Enable" }).click();
  await expect(check).not.toContainText("disabled");

  // the SLA report of every node sharing its tag
  const bySite = await context.request.get(vigil.url + (await page.getByTestId("sla-tag").getAttribute("href")));
  expect(await bySite.text()).toContain("web-frontend-1");

  // the whole fleet as YAML, for nodes:manage
  const yaml = await context.request.get(vigil.url + (await page.getByRole("link", { name: "Export all nodes (YAML)" }).getAttribute("href")));
  expect(yaml.status()).toBe(200);
  expect(await yaml.text()).toContain("keyword: degraded-banner");

  // removed after a confirm step
  await maintenance.getByRole("button", { name: "Remove…" }).click();
  await maintenance.getByRole("button", { name: "Remove for good" }).click();
  await expect(maintenance).toContainText("No maintenance windows.");
  await check.getByRole("button", { name: "Remove…" }).click();
  await check.getByRole("button", { name: "Remove http for good" }).click();
  await expect(checks).toContainText("Vigil runs no checks for this node");
  expect(await overflow()).toBeLessThanOrEqual(0);
  expect(errors.filter((e) => !e.includes("status of 400"))).toEqual([]);
  await context.close();
});
