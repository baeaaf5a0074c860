import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { pageErrors } from "./support/page-errors";
import { startVigil, type VigilServer } from "./support/vigil";
import { createUser, signIn } from "./support/accounts";

let vigil: VigilServer;
let port = 0;
let target: net.Server | null = null;

/** The probed target: a TCP port on loopback that accepts and closes. */
async function startTarget(at = 0): Promise<number> {
  target = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => target!.listen(at, "127.0.0.1", resolve));
  return (target.address() as net.AddressInfo).port;
}
async function stopTarget(): Promise<void> {
  await new Promise((resolve) => target?.close(resolve));
  target = null;
}

test.beforeAll(async () => {
  port = await startTarget();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-outage-"));
  const file = path.join(dir, "vigil.yaml");
  // a router and two services behind it, all probed every second against the same port
  const check = `{type: tcp, host: 127.0.0.1, port: ${port}, interval: 1s, timeout: 500ms}`;
  fs.writeFileSync(
    file,
    [
      "nodes:",
      "  - id: edge-router-9",
      "    name: Edge router 9",
      "    kind: router",
      `    checks: [${check}]`,
      "  - id: wallet-api-9",
      "    name: Wallet API 9",
      "    parent: edge-router-9",
      `    checks: [${check}]`,
      "  - id: ledger-9",
      "    name: Ledger 9",
      "    parent: edge-router-9",
      `    checks: [${check}]`,
      "",
    ].join("\n"),
  );
  vigil = await startVigil({ env: { VIGIL_CONFIG: file } });
  await createUser(vigil, "nora@bank.test", "noc");
});
test.afterAll(async () => {
  await vigil?.dispose();
  await stopTarget();
});

test("a stopped target turns its router red and the services behind it grey with one incident, then all recover", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await signIn(context, vigil.url, "nora@bank.test");
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(vigil.url);
  const tile = (name: string) => page.getByRole("button", { name: `node ${name}` }).or(page.getByLabel(`node ${name}`, { exact: true })).first();
  for (const name of ["Edge router 9", "Wallet API 9", "Ledger 9"]) await expect(tile(name)).toHaveAttribute("data-status", "up", { timeout: 20_000 });

  await stopTarget();
  await expect(tile("Edge router 9")).toHaveAttribute("data-status", "down", { timeout: 20_000 });
  for (const name of ["Wallet API 9", "Ledger 9"]) await expect(tile(name)).toHaveAttribute("data-status", "unreachable", { timeout: 20_000 });
  // one page for the outage: the router's; the services behind it are evidence on it
  const active = await (await context.request.get(`${vigil.url}/api/v1/incidents?status=active&pane=network`)).json();
  expect(active.incidents.map((i: { rule: string; entity: string }) => `${i.rule}:${i.entity}`)).toEqual(["node_down:edge-router-9"]);
  const down = active.incidents[0];
  expect(down.details.unreachable_count).toBe(2);

  await startTarget(port);
  for (const name of ["Edge router 9", "Wallet API 9", "Ledger 9"]) await expect(tile(name)).toHaveAttribute("data-status", "up", { timeout: 20_000 });
  const after = await (await context.request.get(`${vigil.url}/api/v1/incidents/${down.id}`)).json();
  expect(after.incident.status).toBe("resolved");
  // resolved at the first good check, which came before the answer was read
  expect(after.incident.resolved_at).toBeLessThanOrEqual(Date.now());
  expect(after.incident.resolved_at).toBeGreaterThan(down.first_seen);
  expect(errors).toEqual([]);
  await context.close();
});
