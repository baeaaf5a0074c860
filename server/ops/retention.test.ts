import { describe, expect, it } from "vitest";
import { personOf, testCore } from "../test-support/core";
import { RetentionPruner } from "./retention";

const DAY = 86_400_000;
const analyst = personOf("analyst", "ana@bank.test");

type T = ReturnType<typeof testCore>;
const count = (t: T, table: string) => (t.handle.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const messages = (t: T) => (t.handle.sqlite.prepare(`SELECT message FROM security_events ORDER BY id`).all() as { message: string }[]).map((r) => r.message);
const heartbeatMessages = (t: T) => (t.handle.sqlite.prepare(`SELECT message FROM heartbeats ORDER BY id`).all() as { message: string }[]).map((r) => r.message);

function events(t: T, n: number, fields: Record<string, unknown> = {}, tag = "e") {
  const now = t.clock.now();
  const items = Array.from({ length: n }, (_, i) => ({ kind: "ids_alert", src_ip: `198.51.100.${i % 200}`, time: now - n + i, message: `${tag}${i}`, ...fields }));
  expect(t.core.ingestEvents(items, "test").accepted).toBe(n);
}

/** ten failed logins from one address one second apart: a brute-force incident, all ten linked as its evidence */
function burst(t: T, ip: string, tag: string) {
  const now = t.clock.now();
  const items = Array.from({ length: 10 }, (_, i) => ({ kind: "auth_failure", src_ip: ip, user: "root", time: now - 10_000 + i * 1000, message: `${tag}${i}` }));
  expect(t.core.ingestEvents(items, "test").accepted).toBe(10);
  const incident = t.core.incidentsSnapshot({ status: "active", limit: 10 }).incidents.find((i) => i.rule === "brute_force" && i.entity.endsWith(`:${ip}`));
  expect(incident).toBeDefined();
  return incident!;
}

function heartbeats(t: T, node: string, oks: boolean[], tag: string) {
  const now = t.clock.now();
  const items = oks.map((ok, i) => ({ node, ok, time: now - (oks.length - i) * 1000, message: `${tag}${i}` }));
  expect(t.core.ingestHeartbeats(items, "test").accepted).toBe(oks.length);
}

describe("retention prune", () => {
  it("removes heartbeats, events and rollups past retention, keeps recent ones, and reports true counts", async () => {
    const t = testCore({ retentionDays: 7 });
    events(t, 30, {}, "old");
    heartbeats(t, "web-1", [true, true, true, true, true], "old");
    const oldMinutes = count(t, "event_minutes");
    t.clock.advance(8 * DAY);
    events(t, 4, {}, "new");
    heartbeats(t, "web-1", [true, true], "new");

    const report = await t.core.prune();
    expect(report).toMatchObject({ events: 30, heartbeats: 5, eventMinutes: 0, kept_for_incidents: 0 });
    expect(messages(t)).toEqual(["new0", "new1", "new2", "new3"]);
    expect(heartbeatMessages(t)).toEqual(["new0", "new1"]);
    expect(report.ms).toBeGreaterThanOrEqual(0);

    // rollups live 90 days: the old minutes go once they are past that, the newer ones stay
    t.clock.advance(83 * DAY);
    const later = await t.core.prune();
    expect(later.eventMinutes).toBe(oldMinutes);
    expect(count(t, "event_minutes")).toBeGreaterThan(0);
    expect(later.events).toBe(4); // the "new" ones are now 83 days old
  });

  it("keeps the linked evidence of an open security incident while unrelated old rows go, until it is resolved", async () => {
    const t = testCore({ retentionDays: 7 });
    const ip = "203.0.113.5";
    // from the attacker, but two minutes before the burst: not part of it, not evidence
    events(t, 1, { src_ip: ip, time: t.clock.now() - 120_000 }, "before");
    const incident = burst(t, ip, "burst");
    events(t, 20, {}, "other");
    events(t, 2, { src_ip: ip, kind: "ids_alert" }, "alert"); // same source, but not what the detection saw
    t.clock.advance(8 * DAY);

    const first = await t.core.prune();
    expect(first).toMatchObject({ events: 23, kept_for_incidents: 10 });
    expect(messages(t)).toEqual(Array.from({ length: 10 }, (_, i) => `burst${i}`));

    // acknowledged is still active
    expect(t.core.acknowledgeIncident(incident.id, analyst).ok).toBe(true);
    expect(await t.core.prune()).toMatchObject({ events: 0, kept_for_incidents: 10 });

    expect(t.core.resolveIncident(incident.id, analyst).ok).toBe(true);
    expect(await t.core.prune()).toMatchObject({ events: 10, kept_for_incidents: 0 });
    expect(count(t, "security_events")).toBe(0);
    // the links of pruned events go with them
    expect(count(t, "incident_events")).toBe(0);
  });

  it("keeps a down node's failing run from its last passing check on, until it recovers", async () => {
    const t = testCore({ retentionDays: 7 });
    heartbeats(t, "db-1", [true, true, false, false, false], "db");
    heartbeats(t, "web-1", [true, false, true], "web");
    const down = t.core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(down.map((i) => [i.rule, i.entity])).toEqual([["node_down", "db-1"]]);
    t.clock.advance(8 * DAY);

    const first = await t.core.prune();
    expect(first).toMatchObject({ heartbeats: 4, kept_for_incidents: 4 });
    expect(heartbeatMessages(t)).toEqual(["db1", "db2", "db3", "db4"]);

    heartbeats(t, "db-1", [true], "back"); // a passing check resolves the incident
    expect(t.core.incidentsSnapshot({ status: "active", limit: 10 }).incidents).toEqual([]);
    expect(await t.core.prune()).toMatchObject({ heartbeats: 4, kept_for_incidents: 0 });
    expect(heartbeatMessages(t)).toEqual(["back0"]);
  });

  it("keeps a node's heartbeats from an active latency anomaly's first_seen on, and prunes the rest of the fleet's", async () => {
    const t = testCore({ retentionDays: 7 });
    heartbeats(t, "api-1", [true, true], "old");
    heartbeats(t, "web-1", [true, true], "web");
    t.clock.advance(1000);
    const firstSeen = t.clock.now();
    t.handle.sqlite
      .prepare(`INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen) VALUES ('latency_anomaly:api-1', 'latency_anomaly', 'api-1', 'network', 'slow', 'medium', ?, ?)`)
      .run(firstSeen, firstSeen);
    t.clock.advance(3000);
    heartbeats(t, "api-1", [true, true], "slow");
    heartbeats(t, "web-1", [true], "later");
    t.clock.advance(8 * DAY);
    expect(await t.core.prune()).toMatchObject({ heartbeats: 5, kept_for_incidents: 2 });
    expect(heartbeatMessages(t)).toEqual(["slow0", "slow1"]);
  });

  it("keeps every row of the pane from first_seen on for an active incident of a rule it does not know", async () => {
    const t = testCore({ retentionDays: 7 });
    events(t, 5, {}, "early");
    t.clock.advance(1000);
    const firstSeen = t.clock.now();
    t.handle.sqlite
      .prepare(`INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen) VALUES ('odd:x', 'odd', 'x', 'security', 'odd', 'low', ?, ?)`)
      .run(firstSeen, firstSeen);
    t.clock.advance(1000);
    events(t, 3, {}, "late");
    t.clock.advance(8 * DAY);
    expect(await t.core.prune()).toMatchObject({ events: 5, kept_for_incidents: 3 });
    expect(messages(t)).toEqual(["late0", "late1", "late2"]);
  });

  it("works in batches of the given size, each its own transaction, yielding between them", async () => {
    const t = testCore({ retentionDays: 7 });
    events(t, 95);
    t.clock.advance(8 * DAY);
    const remaining: number[] = [];
    const pruner = new RetentionPruner(t.handle.sqlite, t.clock, {
      retentionMs: 7 * DAY,
      batchSize: 10,
      yieldToLoop: async () => {
        expect(t.handle.sqlite.inTransaction).toBe(false);
        remaining.push(count(t, "security_events"));
      },
    });
    const report = await pruner.run();
    // ten batches of events, then ten of their per-minute source tallies (kept two days), one of
    // their kind's and one of the "no signature, account or service" tallies
    expect(report).toMatchObject({ events: 95, tallies: 99, batches: 22 });
    expect(count(t, "event_tallies WHERE span = 60000")).toBe(0);
    expect(count(t, "event_tallies WHERE span = 3600000 AND dim IN ('src', 'kind', 'none')")).toBe(99);
    expect(remaining.slice(0, 10)).toEqual([85, 75, 65, 55, 45, 35, 25, 15, 5, 0]);
  });

  it("sizes batches by how long they take when no size is given", async () => {
    const run = async (msPerBatch: number) => {
      const t = testCore({ retentionDays: 7 });
      events(t, 1500);
      t.clock.advance(8 * DAY);
      let now = 0;
      const remaining: number[] = [1500];
      const pruner = new RetentionPruner(t.handle.sqlite, t.clock, {
        retentionMs: 7 * DAY,
        sliceMs: 20,
        // every batch appears to take msPerBatch
        timer: () => (now += msPerBatch),
        yieldToLoop: async () => {
          remaining.push(count(t, "security_events"));
        },
      });
      await pruner.run();
      return remaining.slice(1).map((n, i) => remaining[i] - n).filter((n) => n > 0);
    };
    expect((await run(40)).slice(0, 4)).toEqual([500, 250, 125, 63]); // slow: halves toward 20 ms
    expect((await run(5)).slice(0, 2)).toEqual([500, 1000]); // fast: grows, at most doubling
  });

  it("runs one prune at a time: a call while one runs joins it", async () => {
    const t = testCore({ retentionDays: 7 });
    events(t, 30);
    t.clock.advance(8 * DAY);
    const a = t.core.prune();
    const b = t.core.prune();
    expect(b).toBe(a);
    expect((await a).events).toBe(30);
    events(t, 2);
    t.clock.advance(8 * DAY);
    const c = t.core.prune();
    expect(c).not.toBe(a);
    expect((await c).events).toBe(2);
  });

  it("stops after the current batch when stopped", async () => {
    const t = testCore({ retentionDays: 7 });
    events(t, 50);
    t.clock.advance(8 * DAY);
    const pruner: RetentionPruner = new RetentionPruner(t.handle.sqlite, t.clock, {
      retentionMs: 7 * DAY,
      batchSize: 10,
      yieldToLoop: async () => pruner.stop(),
    });
    expect(await pruner.run()).toMatchObject({ events: 10, batches: 1 });
    expect(count(t, "security_events")).toBe(40);
  });
});
