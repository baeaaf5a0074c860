import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { manualClock } from "../clock";
import { createCore, type CoreOptions } from "../core";
import { Hub } from "../live/hub";
import { personOf } from "../test-support/core";
import { RuleSet } from "./detections/rules";
import { warmMessage, warmRules } from "./warm";

// A restart between two halves of a burst: the detection windows are warmed from the stored events
// at start, through the same rules, without opening, growing, reopening or announcing anything.
// Every Vigil here is a core on the same SQLite file, closed before the next one opens it.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const T = Date.UTC(2026, 10, 21, 12, 0, 0);
const SEC = 1_000;

function dataDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-warm-"));
  dirs.push(dir);
  return dir;
}

/** A Vigil on `dir` whose clock reads `now`; `published()` gives the incidents it announced. */
function start(dir: string, now: number, options: Partial<CoreOptions> = {}) {
  const handle = openDatabase(dir);
  const clock = manualClock(now);
  const hub = new Hub({ capacity: 1000 });
  const announced: number[] = [];
  hub.onBatch((b) => {
    if (b.stream === "incidents") for (const item of b.items) if (item.type === "incident") announced.push(item.incident.id);
  });
  const core = createCore(handle, { clock, hub, access: { secret: "test-secret-test-secret-test-secret-0123" }, ...options });
  /** n failed sshd passwords from one source, 10 s apart from `from` */
  const fail = (n: number, from: number, src = "203.0.113.5") =>
    core.ingestEvents(Array.from({ length: n }, (_, i) => ({ kind: "auth_failure", service: "sshd", src_ip: src, user: "root", time: from + i * 10 * SEC })), "test");
  const incidents = () => core.incidentsSnapshot({ status: "all", limit: 50 }).incidents.filter((i) => i.pane === "security");
  const rows = (table: string) => handle.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const published = () => {
    hub.flush();
    return announced;
  };
  const stop = () => handle.sqlite.close();
  return { core, clock, fail, incidents, rows, published, stop };
}

describe("detection windows across a restart", () => {
  it("a brute force split by a restart (5 failures before, 3 after) opens one incident dated by its first failure", () => {
    const dir = dataDir();
    const before = start(dir, T);
    before.fail(5, T - 60 * SEC);
    expect(before.incidents()).toEqual([]);
    before.stop();

    const after = start(dir, T + 5 * SEC);
    expect(after.core.warmReport()).toMatchObject({ rows: 5, capped: false, cold: [], dropped: 0 });
    after.fail(3, T - 10 * SEC);
    expect(after.incidents().map((i) => [i.rule, i.entity, i.count, i.first_seen])).toEqual([["brute_force", "sshd:203.0.113.5", 8, T - 60 * SEC]]);
    after.stop();
  });

  it("a burst that fired before the restart is neither reopened nor announced at start, and grows its incident by the new failures only", () => {
    const dir = dataDir();
    const before = start(dir, T);
    before.fail(10, T - 120 * SEC);
    const [opened] = before.incidents();
    expect([opened.entity, opened.count]).toEqual(["sshd:203.0.113.5", 10]);
    const tables = ["incidents", "incident_timeline", "incident_events"].map((t) => before.rows(t));
    before.stop();

    const after = start(dir, T + 5 * SEC);
    // the replay found the burst again, and dropped it: nothing written, nothing announced
    expect(after.core.warmReport()).toMatchObject({ rows: 10, dropped: 1 });
    expect(["incidents", "incident_timeline", "incident_events"].map((t) => after.rows(t))).toEqual(tables);
    expect(after.published()).toEqual([]);
    after.fail(2, T - 20 * SEC);
    expect(after.incidents().map((i) => [i.id, i.entity, i.count])).toEqual([[opened.id, "sshd:203.0.113.5", 12]]);
    expect(after.core.incident(opened.id)!.timeline.filter((t) => t.action === "opened")).toHaveLength(1);
    after.stop();
  });

  it("a resolved burst stays resolved at start: no new incident, no page", () => {
    const dir = dataDir();
    const before = start(dir, T);
    before.fail(10, T - 120 * SEC);
    const [opened] = before.incidents();
    expect(before.core.resolveIncident(opened.id, personOf("analyst")).ok).toBe(true);
    const tables = ["incidents", "incident_timeline", "notify_outbox", "notify_seen"].map((t) => before.rows(t));
    before.stop();

    const after = start(dir, T + 5 * SEC);
    expect(after.incidents().map((i) => [i.id, i.status])).toEqual([[opened.id, "resolved"]]);
    expect(["incidents", "incident_timeline", "notify_outbox", "notify_seen"].map((t) => after.rows(t))).toEqual(tables);
    expect(after.published()).toEqual([]);
    after.stop();
  });

  it("replays only the longest horizon: failures older than every rule's window and reorder are not read", () => {
    const dir = dataDir();
    const before = start(dir, T);
    before.fail(5, T - 3 * 3_600_000);
    before.stop();
    const after = start(dir, T + 5 * 3_600_000);
    // 5 h later the 24 h IDS windows still cover them; with the auth rules only they would not
    expect(after.core.warmReport().rows).toBe(5);
    after.stop();
    const handle = openDatabase(dir);
    const auth = new RuleSet().events.filter((r) => ["brute_force", "brute_force_slow"].includes(r.name));
    expect(warmRules(handle.sqlite, auth, T + 5 * 3_600_000).rows).toBe(0);
    handle.sqlite.close();
  });

  it("a payment burst filed under its card (the card crossed first) is grown under the card after a restart, not opened again under the account", () => {
    const dir = dataDir();
    const before = start(dir, T);
    const pay = (v: typeof before, i: number, account: string) =>
      v.core.ingestLog("transactions", new TextEncoder().encode(JSON.stringify({ id: `tx-${i}`, time: new Date(T - 20 * 60_000 + i * 20 * SEC).toISOString(), account, card: "tok-C", amount: "9.99", currency: "eur" })), "application/x-ndjson");
    // tok-C: 6 payments of acct-1, then acct-2's; the card crosses at its 10th, acct-2 at its own 10th (joining the card's burst)
    for (let i = 0; i < 16; i++) pay(before, i, i < 6 ? "acct-1" : "acct-2");
    const [card] = before.incidents();
    expect(before.incidents().map((i) => [i.entity, i.count])).toEqual([["card:tok-C", 16]]);
    before.stop();

    const after = start(dir, T + 5 * SEC);
    for (let i = 16; i < 18; i++) pay(after, i, "acct-2");
    expect(after.incidents().map((i) => [i.id, i.entity, i.count])).toEqual([[card.id, "card:tok-C", 18]]);
    after.stop();
  });

  it("a card-testing burst filed under its IP (the IP crossed first) is grown under the IP after a restart, not opened again under the device", () => {
    const dir = dataDir();
    const before = start(dir, T);
    const attempt = (v: typeof before, i: number) =>
      v.core.ingestLog(
        "transactions",
        new TextEncoder().encode(
          JSON.stringify({ id: `tx-${i}`, time: new Date(T - 20 * 60_000 + i * 20 * SEC).toISOString(), ip: "203.0.113.5", ...(i >= 6 ? { device: "dev-9" } : {}), card: "tok-C", amount: "1.00", currency: "eur", outcome: "declined" }),
        ),
        "application/x-ndjson",
      );
    // 6 declined attempts from the IP alone, then from dev-9 too: the IP crosses at its 10th, the device at its own 10th (joining the IP's burst)
    for (let i = 0; i < 16; i++) attempt(before, i);
    const testing = (v: typeof before) => v.incidents().filter((i) => i.rule === "card_testing");
    const [ip] = testing(before);
    expect(testing(before).map((i) => [i.entity, i.count])).toEqual([["ip:203.0.113.5", 16]]);
    before.stop();

    const after = start(dir, T + 5 * SEC);
    for (let i = 16; i < 18; i++) attempt(after, i);
    expect(testing(after).map((i) => [i.id, i.entity, i.count])).toEqual([[ip.id, "ip:203.0.113.5", 18]]);
    after.stop();
  });

  it("caps the rows: the newest are replayed, and rules whose horizon the cap cuts short start empty (said in the log line)", () => {
    const dir = dataDir();
    const before = start(dir, T);
    before.fail(6, T - 4 * 3_600_000, "198.51.100.7"); // inside the IDS rules' 24 h only
    before.fail(5, T - 60 * SEC);
    before.stop();
    const handle = openDatabase(dir);
    const rules = new RuleSet().events;
    const report = warmRules(handle.sqlite, rules, T + 5 * SEC, 8);
    // the cut falls among the 4 h old failures: the rules reaching 4 h back (the 24 h IDS ones) are cold, the others get the 5 recent ones
    expect(report).toMatchObject({ rows: 5, capped: true, warmed: ["brute_force", "brute_force_slow", "password_spraying", "distributed_attack", "success_after_failures", "privilege_escalation", "ids_engine_noise", "port_scan", "payment_velocity", "card_testing"] });
    expect(report.cold).toEqual(["ids_campaign", "ids_persistent_source"]);
    expect(warmMessage(report, 8)).toMatch(
      /^replayed 5 stored events since 2026-11-21T11:59:00\.000Z into the detection windows in \d+ ms \(0 detections already recorded before the restart dropped\); capped at 8 rows \(VIGIL_WARM_ROWS\): ids_campaign, ids_persistent_source start with empty windows$/,
    );
    expect(warmRules(handle.sqlite, new RuleSet().events, T + 5 * SEC, 0)).toMatchObject({ rows: 0, warmed: [] });
    handle.sqlite.close();
  });

  it("a cap within the last hour still warms the rules it leaves twice their window: brute_force, privilege_escalation", () => {
    const dir = dataDir();
    const before = start(dir, T);
    // 12 failures over the last 30 min, 150 s apart: the newest 6 reach back 15 min
    for (let i = 0; i < 12; i++) before.fail(1, T - 30 * 60_000 + i * 150 * SEC, `198.51.100.${i}`);
    before.stop();
    const handle = openDatabase(dir);
    const report = warmRules(handle.sqlite, new RuleSet().events, T + 5 * SEC, 6);
    expect(report).toMatchObject({ rows: 6, capped: true, warmed: ["brute_force", "privilege_escalation"], since: T - 15 * 60_000 });
    expect(report.cold).toEqual(["brute_force_slow", "password_spraying", "distributed_attack", "success_after_failures", "ids_campaign", "ids_persistent_source", "ids_engine_noise", "port_scan", "payment_velocity", "card_testing"]);
    handle.sqlite.close();
  });
});
