import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { manualClock } from "../clock";
import { Hub } from "../live/hub";
import { IncidentService } from "../incidents/service";
import { DetectionEngine } from "./detections/engine";
import { SecurityStore, type NumberedOutcome } from "./ingest";
import type { ParsedEvent, SecurityDetection, SecurityRule, StoredEvent } from "./types";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

function event(over: Partial<ParsedEvent> = {}): ParsedEvent {
  return {
    time: NOW - 60_000,
    kind: "auth_failure",
    severity: "low",
    service: "sshd",
    src_ip: "203.0.113.5",
    src_host: null,
    src_port: 40000,
    dst_ip: null,
    dst_port: 22,
    proto: null,
    user: "root",
    signature: "sshd: failed password",
    message: "Failed password for root",
    attributes: { attempt: true },
    occurrences: 1,
    fingerprint: `syslog:${Math.random()}`,
    raw: "raw line",
    ...over,
  };
}

/** Reports every batch as one detection keyed by source, with the batch's own times and ids. */
class EveryBatch implements SecurityRule {
  readonly name = "every_batch";
  readonly horizonMs = 0;
  fail = false;
  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    if (this.fail) throw new Error("rule failed");
    if (!batch.length) return [];
    const times = batch.map((e) => e.time);
    return [
      {
        rule: this.name,
        entity: batch[0].src_ip ?? batch[0].src_host ?? "?",
        title: "t",
        severity: batch.some((e) => e.severity === "high") ? "high" : "medium",
        firstSeen: Math.min(...times),
        lastSeen: Math.max(...times),
        increment: batch.length,
        explanation: `${batch.length} events`,
        mitre: "T1110.001",
        evidence: batch.map((e) => e.id),
        details: { n: batch.length },
      },
    ];
  }
}

function setup() {
  const clock = manualClock(NOW);
  const hub = new Hub({ capacity: 1000 });
  const handle = openDatabase(":memory:");
  const rule = new EveryBatch();
  const incidents = new IncidentService(handle.db, clock);
  const store = new SecurityStore(handle.sqlite, hub, incidents, new DetectionEngine([rule]), clock, { retentionMs: 7 * 86_400_000, skewMs: 300_000 });
  const count = (sql: string) => (handle.sqlite.prepare(sql).get() as { n: number }).n;
  return { store, rule, handle, count, hub };
}

const outcomes = (events: ParsedEvent[]): NumberedOutcome[] => events.map((event, i) => ({ line: i + 1, outcome: { status: "event", event } }));

describe("security store", () => {
  it("answers every line: accepted, skipped, duplicate or rejected with its number and reason", () => {
    const { store } = setup();
    const dup = event({ fingerprint: "syslog:same" });
    store.ingestOutcomes(outcomes([{ ...dup }]), "syslog"); // stored by an earlier upload
    const r = store.ingestOutcomes(
      [
        { line: 1, outcome: { status: "event", event: dup } },
        { line: 2, outcome: { status: "skipped", reason: "not security-relevant: cron" } },
        { line: 3, outcome: { status: "rejected", reason: "not syslog" } },
        { line: 4, outcome: { status: "event", event: event() } },
        { line: 5, outcome: { status: "event", event: event({ time: NOW + 3_600_000 }) } },
        { line: 6, outcome: { status: "event", event: event({ time: NOW - 8 * 86_400_000 }) } },
      ],
      "syslog",
    );
    expect(r).toMatchObject({ accepted: 1, skipped: 1, duplicates: 1, rejected_total: 3, skipped_by: { "not security-relevant: cron": 1 } });
    expect(r.rejected.map((x) => x.line)).toEqual([3, 5, 6]);
    expect(r.rejected[1].reason).toMatch(/^time: /);
  });

  it("stores nothing twice when the same upload is sent again", () => {
    const { store, count } = setup();
    const batch = [event({ fingerprint: "a" }), event({ fingerprint: "b" })];
    expect(store.ingestOutcomes(outcomes(batch), "syslog")).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(store.ingestOutcomes(outcomes(batch), "syslog")).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(count("SELECT count(*) AS n FROM security_events")).toBe(2);
    expect(count("SELECT count AS n FROM incidents")).toBe(2); // the re-sent batch added nothing to the incident either
  });

  it("gives the incident its evidence's times, whatever order batches arrive in", () => {
    const { store, handle } = setup();
    store.ingestOutcomes(outcomes([event({ time: NOW - 60_000 }), event({ time: NOW - 30_000 })]), "syslog");
    store.ingestOutcomes(outcomes([event({ time: NOW - 600_000 })]), "syslog"); // an older line, arriving later
    const i = handle.sqlite.prepare("SELECT first_seen, last_seen, count, explanation, mitre, details FROM incidents").get() as Record<string, unknown>;
    expect(i).toEqual({ first_seen: NOW - 600_000, last_seen: NOW - 30_000, count: 3, explanation: "1 events", mitre: "T1110.001", details: '{"n":1}' });
  });

  it("links the evidence events to the incident", () => {
    const { store, count } = setup();
    store.ingestOutcomes(outcomes([event(), event(), event()]), "syslog");
    expect(count("SELECT count(*) AS n FROM incident_events")).toBe(3);
  });

  it("writes a rise in severity on the timeline", () => {
    const { store, handle } = setup();
    store.ingestOutcomes(outcomes([event()]), "syslog");
    store.ingestOutcomes(outcomes([event({ severity: "high" })]), "syslog");
    const notes = handle.sqlite.prepare("SELECT action, note FROM incident_timeline ORDER BY id").all() as { action: string; note: string }[];
    expect(notes.map((n) => n.action)).toEqual(["opened", "note"]);
    expect(notes[1].note).toContain("severity raised from medium to high");
  });

  it("stores nothing of a batch whose detection step fails: events, rollups and incidents roll back together", () => {
    const { store, rule, count } = setup();
    rule.fail = true;
    expect(() => store.ingestOutcomes(outcomes([event(), event()]), "syslog")).toThrow("rule failed");
    expect(count("SELECT count(*) AS n FROM security_events")).toBe(0);
    expect(count("SELECT count(*) AS n FROM event_minutes")).toBe(0);
    expect(count("SELECT count(*) AS n FROM event_tallies")).toBe(0);
  });

  it("counts tallies and per-minute rollups by occurrences, not by lines", () => {
    const { store, count } = setup();
    store.ingestOutcomes(outcomes([event({ occurrences: 5 })]), "syslog");
    expect(count("SELECT sum(count) AS n FROM event_minutes")).toBe(5);
    expect(count("SELECT count AS n FROM event_tallies WHERE dim = 'src' AND span = 60000")).toBe(5);
  });
});
