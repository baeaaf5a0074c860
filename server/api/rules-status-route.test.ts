import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import { HOST, ORIGIN, signedIn } from "../test-support/people";
import { setCore } from "../registry";
import type { RouteHandler } from "./route";

// GET /api/v1/security/rules over the route handler: the thresholds in force per rule and the
// rules file's state (applied when, whether the last read failed and why, as file:line:col and
// reason). Who may read it is in the access matrix (analyst and admin, keys of theirs with `read`).
const root = path.resolve(import.meta.dirname, "..", "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-rules-status-"));
const file = path.join(dir, "rules.yaml");
fs.writeFileSync(file, "brute_force: { failures: 10, window: 3m }\npayment_velocity: { amount: 20000, dimensions: [account, card] }\n");
const { core, clock } = testCore({ rulesFile: file, watchRules: false });
const APPLIED = clock.now();
const cookies: Record<string, string> = {};

beforeAll(async () => {
  setCore(core);
  for (const role of ["analyst", "viewer"] as const) cookies[role] = (await signedIn(core, `${role}@bank.test`, role)).cookie;
});
afterAll(() => {
  setCore(undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function status(role = "analyst") {
  const handler = (await import(path.join(root, "app/api/v1/security/rules/route.ts"))).GET as RouteHandler;
  const res = await handler(new Request(`http://${HOST}/api/v1/security/rules`, { headers: { host: HOST, cookie: cookies[role], origin: ORIGIN, "x-vigil-remote-addr": "192.0.2.10" } }));
  return { status: res.status, body: await res.json() };
}

describe("GET /api/v1/security/rules", () => {
  it("answers the file, when it applied, and every rule's thresholds in force (the file's and the defaults)", async () => {
    const r = await status();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ file, applied_at: APPLIED, checked_at: APPLIED, last_read_failed: false, problems: [], set_in_file: ["brute_force", "payment_velocity"], rebuilt: ["brute_force", "brute_force_slow", "payment_velocity"] });
    expect(Object.keys(r.body.rules)).toHaveLength(13);
    expect(r.body.rules.brute_force).toEqual({ failures: 10, window: "3m", reorder: "1h" });
    // told the fast rule's new threshold; its own at the defaults
    expect(r.body.rules.brute_force_slow).toEqual({ failures: 15, window: "1h", reorder: "1h" });
    expect(r.body.rules.payment_velocity).toEqual({ transactions: 10, amount: 20000, amount_min_transactions: 2, window: "10m", dimensions: ["account", "card"], severity: "medium" });
    expect(r.body.rules.ids_priority).toEqual({ max_priority: 1 });
    // what each windowed rule holds and has dropped (the caps: README "Authentication")
    expect(Object.keys(r.body.state)).toContain("brute_force");
    expect(r.body.state.brute_force).toEqual({ keys: 0, entries: 0, connections: 0, evicted_keys: 0, late_entries: 0, evicted_connections: 0 });
    expect(r.body.rules.card_testing).toEqual({ small_amount: 5, small_attempts: 10, decline_ratio: 0.5, cards: 5, window: "10m", dimensions: ["ip", "device"] });
  });

  it("after a failed reload says so, with file:line:col and the reason, while the last good thresholds stay in force", async () => {
    fs.writeFileSync(file, "brute_force: { failures: 10, window: 3m }\nprivilege_escalation: { failures: 0 }\n");
    clock.advance(60_000);
    core.reloadRulesFile();
    const r = await status();
    expect(r.body).toMatchObject({ applied_at: APPLIED, checked_at: APPLIED + 60_000, last_read_failed: true, set_in_file: ["brute_force", "payment_velocity"] });
    expect(r.body.problems).toEqual([{ file, line: 2, col: 35, message: "privilege_escalation.failures: must be at least 1", text: `${file}:2:35: privilege_escalation.failures: must be at least 1` }]);
    expect(r.body.rules.privilege_escalation).toEqual({ failures: 7, window: "5m", reorder: "1h" });
    expect(r.body.rules.payment_velocity.amount).toBe(20000);
  });

  it("is refused to a viewer (the thresholds tell an attacker how slowly to go)", async () => {
    expect((await status("viewer")).status).toBe(403);
  });
});
