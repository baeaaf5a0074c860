// npm run screenshot: starts Vigil with the demo fleet on a fresh data directory, creates accounts
// with the CLI, lets the demo run until incidents exist, and saves PNGs of each page in docs/.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "../e2e/chromium";
import { startVigil } from "../e2e/support/vigil";
import { cli, createKey, createUser, PASSWORD, signIn } from "../e2e/support/accounts";
import { secretFromUri, totp } from "../e2e/support/totp";

const root = path.resolve(import.meta.dirname, "..");
// `--only network` writes only the PNGs whose names start with "network" (the pages are still visited)
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : "";
const shot = async (page: Page, name: string, fullPage = true) => {
  if (!name.startsWith(only)) return;
  await page.screenshot({ path: path.join(root, "docs", `${name}.png`), fullPage });
};

async function main() {
  // @ts-expect-error plain ESM helper shared with `npm start`
  const { ensureBuild } = await import("./ensure-build.mjs");
  ensureBuild();
  const vigil = await startVigil({ demo: true, env: { VIGIL_DEMO_TICK_MS: "250" } });
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    // the first-run page, before any account exists
    const setup = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await setup.goto(vigil.url);
    await shot(setup, "setup", false);

    await createUser(vigil, "ana@bank.test", "analyst");
    await createUser(vigil, "ada@bank.test", "admin");
    await createUser(vigil, "nico@bank.test", "noc");
    const key = await createKey(vigil, "ana@bank.test", "ingest,read,act");
    // a branch site whose router probes a closed loopback port: down, with the two services behind it unreachable
    const noc = await browser.newContext();
    await signIn(noc, vigil.url, "nico@bank.test");
    const closed = { type: "tcp", host: "127.0.0.1", port: 9, interval: "2s", timeout: "500ms" };
    for (const node of [
      { id: "branch-rtr-3", name: "Branch router LIS3", kind: "router", tags: { site: "lis3", tier: "edge", owner: "netops" } },
      { id: "branch-pos-3", name: "POS gateway LIS3", kind: "gateway", parent: "branch-rtr-3", tags: { site: "lis3", tier: "app", owner: "payments" } },
      { id: "branch-atm-3", name: "ATM switch LIS3", kind: "switch", parent: "branch-rtr-3", tags: { site: "lis3", tier: "app", owner: "payments" } },
    ]) {
      const res = await noc.request.post(`${vigil.url}/api/v1/nodes`, { headers: { origin: vigil.url }, data: { ...node, failures_before_down: 1, checks: [closed] } });
      if (res.status() !== 201) throw new Error(`node ${node.id}: ${res.status()} ${await res.text()}`);
    }
    await noc.close();
    await cli(vigil, ["key", "create", "--owner", "ana@bank.test", "--scope", "ingest", "--name", "suricata-edge-1"]);
    const api = async (p: string, init: RequestInit = {}) =>
      (await fetch(vigil.url + p, { ...init, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } })).json();
    // the demo stages a brute-force burst at tick 15 and an outage at tick 40
    for (let i = 0; i < 120; i++) {
      const { incidents } = await api("/api/v1/incidents?status=all");
      if (incidents.some((x: { rule: string }) => x.rule === "node_down") && incidents.some((x: { rule: string }) => x.rule === "brute_force")) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const { incidents } = await api("/api/v1/incidents?status=open");
    const brute = incidents.find((x: { rule: string }) => x.rule === "brute_force");
    if (brute) await api(`/api/v1/incidents/${brute.id}/ack`, { method: "POST", body: JSON.stringify({ note: "blocking at the edge" }) });

    const wide = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await wide.goto(`${vigil.url}/sign-in`);
    await shot(wide, "sign-in", false);
    await wide.getByLabel("Email").fill("ana@bank.test");
    await wide.getByLabel("Password").fill(PASSWORD);
    await wide.getByRole("button", { name: "Sign in" }).click();
    await wide.getByRole("status", { name: "connection" }).filter({ hasText: "Live" }).waitFor();
    await shot(wide, "screenshot");

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, storageState: await wide.context().storageState() });
    await phone.goto(vigil.url);
    await phone.getByRole("status", { name: "connection" }).filter({ hasText: "Live" }).waitFor();
    await shot(phone, "screenshot-phone", false);

    // the wall screen, wide and on a phone
    await wide.goto(`${vigil.url}/?tv=1`);
    await wide.getByRole("status", { name: "last heard" }).filter({ hasText: "updated" }).waitFor();
    await shot(wide, "wall", false);
    await phone.goto(`${vigil.url}/?tv=1`);
    await phone.getByRole("status", { name: "last heard" }).filter({ hasText: "updated" }).waitFor();
    await shot(phone, "wall-phone", false);

    // the network pane: grouped by site, and the topology, wide and on a phone
    const networkPane = (page: Page) => page.getByRole("region", { name: "Network health" });
    await wide.goto(`${vigil.url}/?net_group=site`);
    await networkPane(wide).locator("[data-group-header]").first().waitFor();
    await networkPane(wide).locator('[data-node-tile][data-status="unreachable"]').first().waitFor();
    if ("network-groups".startsWith(only)) await networkPane(wide).screenshot({ path: path.join(root, "docs", "network-groups.png") });
    await wide.goto(`${vigil.url}/?net_view=topology`);
    await networkPane(wide).locator('[data-topology-row][data-status="down"]').first().waitFor();
    if ("network-topology".startsWith(only)) await networkPane(wide).screenshot({ path: path.join(root, "docs", "network-topology.png") });
    for (const [view, name] of [["net_group=site", "network-groups-phone"], ["net_view=topology", "network-topology-phone"]] as const) {
      await phone.goto(`${vigil.url}/?${view}`);
      await phone.getByRole("button", { name: "network", exact: true }).click();
      await networkPane(phone).locator("[data-group-header], [data-topology-row]").first().waitFor();
      await shot(phone, name, false);
    }

    // the security triage pane: a filtered list with its drawer open, a grouping, and the phone views
    await wide.goto(`${vigil.url}/security?range=1h`);
    await wide.getByTestId("triage-total").waitFor();
    await wide.locator("[role=row][data-event-id]").first().click();
    await wide.getByTestId("raw-payload").or(wide.getByText("Sent as JSON")).first().waitFor();
    await shot(wide, "triage", false);
    await wide.goto(`${vigil.url}/security?range=1h&view=signature`);
    await wide.getByTestId("groups-total").waitFor();
    await shot(wide, "triage-groups", false);
    await phone.goto(`${vigil.url}/security?range=1h`);
    await phone.getByTestId("triage-total").waitFor();
    await shot(phone, "triage-phone", false);
    await phone.locator("[role=row][data-event-id]").first().click();
    await phone.getByRole("dialog", { name: "event detail" }).getByText("Raw line as received").waitFor();
    await shot(phone, "triage-phone-drawer", false);

    // a node's own page, wide and on a phone
    // with its figures: uptime, the latency chart from the roll-ups (drawn once on screen), outages
    await wide.goto(`${vigil.url}/nodes/1`);
    await wide.getByRole("region", { name: "node", exact: true }).waitFor();
    await wide.getByTestId("uptime-24h").waitFor();
    // the band itself, not just the chart's empty surface
    await wide.getByRole("region", { name: "latency" }).locator(".recharts-area-area").first().waitFor({ state: "attached" });
    await shot(wide, "node-page");
    await phone.goto(`${vigil.url}/nodes/1`);
    await phone.getByRole("region", { name: "node", exact: true }).waitFor();
    await phone.getByTestId("uptime-24h").waitFor();
    await shot(phone, "node-page-phone", false);
    await phone.getByRole("region", { name: "latency" }).scrollIntoViewIfNeeded();
    await phone.getByRole("region", { name: "latency" }).locator(".recharts-area-area").first().waitFor({ state: "attached" });
    await shot(phone, "node-figures-phone", false);

    // a noc on an API node's page: its checks with their settings, a weekly maintenance window,
    // and the forms that add a check and a window, wide and on a phone
    const nocContext = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await signIn(nocContext, vigil.url, "nico@bank.test");
    const { nodes: listed } = (await (await nocContext.request.get(`${vigil.url}/api/v1/nodes?limit=1000`)).json()) as { nodes: { id: number; key: string }[] };
    const router = listed.find((n) => n.key === "branch-rtr-3")!.id;
    await nocContext.request.patch(`${vigil.url}/api/v1/nodes/${router}`, {
      headers: { origin: vigil.url },
      data: { maintenance: [{ days: ["sat"], start: "02:00", duration: "2h", tz: "Europe/Lisbon", reason: "ISP maintenance window" }] },
    });
    for (const [width, name] of [[1440, "node-edit"], [390, "node-edit-phone"]] as const) {
      const page = await nocContext.newPage();
      await page.setViewportSize({ width, height: width > 400 ? 1000 : 844 });
      await page.goto(`${vigil.url}/nodes/${router}`);
      await page.getByTestId("check-settings").first().waitFor();
      await page.getByRole("button", { name: "Add check…" }).click();
      await page.getByRole("form", { name: "new check" }).getByLabel("URL").fill("https://pos.lis3.bank.example/health");
      await page.getByRole("button", { name: "Add window…" }).click();
      await page.getByRole("region", { name: "checks" }).scrollIntoViewIfNeeded();
      await shot(page, name);
      await page.close();
    }
    await nocContext.close();

    // incidents: the list sorted by severity with a bulk selection, and one incident's own page
    await wide.goto(`${vigil.url}/incidents?status=all&sort=severity`);
    await wide.getByTestId("incidents-total").waitFor();
    await wide.getByRole("checkbox").nth(0).check();
    await wide.getByRole("checkbox").nth(1).check();
    await shot(wide, "incidents", false);
    if (brute) {
      await api(`/api/v1/incidents/${brute.id}/assign`, { method: "POST", body: JSON.stringify({ assignee: "ana@bank.test" }) });
      await api(`/api/v1/incidents/${brute.id}/notes`, { method: "POST", body: JSON.stringify({ note: "Source is a known scanner; blocked on the edge firewall." }) });
      await wide.goto(`${vigil.url}/incidents/${brute.id}`);
      await wide.getByRole("list", { name: "incident timeline" }).waitFor();
      await shot(wide, "incident-page");
      await phone.goto(`${vigil.url}/incidents/${brute.id}`);
      await phone.getByRole("list", { name: "incident timeline" }).waitFor();
      await shot(phone, "incident-page-phone", false);
    }
    await phone.goto(`${vigil.url}/incidents?sort=severity`);
    await phone.getByTestId("incidents-total").waitFor();
    await shot(phone, "incidents-phone", false);

    // the admin enrols an authenticator at first sign-in, then opens the administration page
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await admin.goto(`${vigil.url}/sign-in`);
    await admin.getByLabel("Email").fill("ada@bank.test");
    await admin.getByLabel("Password").fill(PASSWORD);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.getByLabel("Your password, to start").fill(PASSWORD);
    await admin.getByRole("button", { name: "Set up two-factor authentication" }).click();
    const uri = (await admin.getByLabel("otpauth uri").textContent()) ?? "";
    await shot(admin, "enrol-two-factor");
    await admin.getByLabel("Code shown by the app").fill(totp(secretFromUri(uri)));
    await admin.getByRole("button", { name: "Confirm and turn on" }).click();
    await admin.getByRole("link", { name: "Admin" }).click();
    await admin.getByRole("table", { name: "users" }).getByRole("row").nth(1).waitFor();
    await shot(admin, "admin-users");
    await admin.getByRole("link", { name: "API keys" }).click();
    await admin.getByRole("table", { name: "api keys" }).getByRole("row").nth(1).waitFor();
    await shot(admin, "admin-keys");
    await admin.getByRole("link", { name: "Audit log" }).click();
    await admin.getByRole("table", { name: "audit log" }).getByRole("row").nth(1).waitFor();
    await shot(admin, "admin-audit");
    // a response plan for brute force (settings:manage), then the incident with its checklist, one step ticked
    const created = await admin.request.post(`${vigil.url}/api/v1/response-plans`, {
      headers: { origin: vigil.url },
      data: {
        name: "Credential attack",
        rule: "brute_force",
        runbook_url: "https://wiki.bank.example/runbooks/credential-attack",
        steps: [
          { id: "block", text: "Block the source address at the edge firewall", phase: "containment", required: true },
          { id: "success", text: "Search for a successful login from the source after the failures", phase: "investigation", required: true },
          { id: "owner", text: "Tell the owner of the targeted service", phase: "communication", required: false },
          { id: "unblock", text: "Review the block after 24 hours", phase: "recovery", required: false },
        ],
      },
    });
    if (created.status() !== 201) throw new Error(`response plan: ${created.status()} ${await created.text()}`);
    if (brute) {
      await admin.goto(`${vigil.url}/incidents/${brute.id}`);
      await admin.getByRole("region", { name: "response plan" }).waitFor();
      await admin.getByRole("checkbox", { name: /Block the source address/ }).check();
      await admin.getByText(/1 of 4 done/).waitFor();
      await shot(admin, "incident-plan");
    }
    // notifications and response plans in the admin console, wide and on a phone: one endpoint
    // answered by a receiver started here, one whose address refuses (its failed attempts show);
    // both on loopback, so nothing leaves this machine
    const hook = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200).end("ok"));
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/vigil`;
    const adminApi = async (p: string, method: string, data: unknown) => {
      const res = await admin.request.fetch(`${vigil.url}${p}`, { method, headers: { origin: vigil.url }, data });
      if (res.status() >= 300) throw new Error(`${method} ${p}: ${res.status()} ${await res.text()}`);
      return res.json();
    };
    const pager = await adminApi("/api/v1/notifications/endpoints", "POST", { name: "On-call pager", url: hookUrl, events: ["open", "reopen", "escalate"], min_severity: "high" });
    const chat = await adminApi("/api/v1/notifications/endpoints", "POST", { name: "#noc-alerts", url: "http://127.0.0.1:9/slack", format: "slack" });
    await adminApi("/api/v1/notifications/escalation", "PUT", {
      policies: {
        critical: { levels: [{ after: "5m", endpoints: [pager.endpoint.id, chat.endpoint.id] }, { endpoints: [pager.endpoint.id] }] },
        high: { levels: [{ after: "15m", endpoints: [chat.endpoint.id] }, { after: "30m", endpoints: [pager.endpoint.id] }, { endpoints: [pager.endpoint.id] }] },
      },
    });
    await adminApi(`/api/v1/notifications/endpoints/${pager.endpoint.id}/test`, "POST", {});
    await adminApi(`/api/v1/notifications/endpoints/${chat.endpoint.id}/test`, "POST", {});
    const adminWide = await browser.newPage({ viewport: { width: 1440, height: 900 }, storageState: await admin.context().storageState() });
    const adminPhone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, storageState: await admin.context().storageState() });
    for (const [page, suffix] of [[adminWide, ""], [adminPhone, "-phone"]] as const) {
      await page.goto(`${vigil.url}/admin`);
      const nav = page.getByRole("navigation", { name: "administration" });
      await nav.getByRole("link", { name: "Notifications" }).click();
      await page.getByRole("listitem", { name: "endpoint On-call pager" }).getByRole("button", { name: "Deliveries" }).click();
      await page.getByRole("list", { name: "deliveries to On-call pager" }).getByRole("listitem").first().waitFor();
      await page.getByRole("group", { name: "severity" }).getByRole("button", { name: /^high/ }).click();
      await page.getByRole("region", { name: "dry run" }).getByText("after 45 min").waitFor();
      await shot(page, `admin-notifications${suffix}`);
      await nav.getByRole("link", { name: "Response plans" }).click();
      await page.getByRole("listitem", { name: "plan Credential attack" }).waitFor();
      await shot(page, `admin-plans${suffix}`);
    }
    // a plan open for editing: ordered steps, phase, required
    await adminWide.getByRole("listitem", { name: "plan Credential attack" }).getByRole("button", { name: "Edit" }).click();
    await adminWide.getByRole("form", { name: "edit plan Credential attack" }).waitFor();
    await shot(adminWide, "admin-plan-edit", false);
    hook.close();

    console.log("wrote docs/*.png");
  } finally {
    await browser.close();
    await vigil.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
