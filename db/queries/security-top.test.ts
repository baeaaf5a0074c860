import { describe, expect, it } from "vitest";
import { testCore } from "../../server/test-support/core";
import { groupEventsFromRows } from "./security-groups";
import { topEvents } from "./security-top";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0); // testCore's clock
const MIN = 60_000;
const HOUR = 3_600_000;

const eve = (i: number, src: string, alert: Record<string, unknown>) =>
  JSON.stringify({
    timestamp: new Date(NOW - 50 * MIN + i * 500).toISOString().replace("Z", "+0000"),
    flow_id: 7_000_000 + i,
    event_type: "alert",
    src_ip: src,
    src_port: 40_000 + (i % 20_000),
    dest_ip: "10.0.1.1",
    dest_port: 443,
    proto: "TCP",
    alert: { action: "allowed", gid: 1, rev: 1, ...alert },
  });

/** A sensor with NIC offloading on: 3,000 checksum events from 200 hosts, and 3 severity-1 log4j attempts from one attacker. */
function offloadingSensor() {
  const t = testCore();
  const checksum = { signature_id: 2200074, signature: "SURICATA TCPv4 invalid checksum", category: "Generic Protocol Command Decode", severity: 3 };
  const log4j = { signature_id: 2034647, signature: "ET EXPLOIT Apache log4j RCE Attempt", category: "Attempted Administrator Privilege Gain", severity: 1 };
  const lines = Array.from({ length: 3000 }, (_, i) => eve(i, `10.0.0.${i % 200}`, checksum));
  for (let k = 0; k < 3; k++) lines.push(eve(3000 + k, "198.51.100.9", log4j));
  expect(t.core.ingestLog("suricata", Buffer.from(lines.join("\n")), "text/plain")).toMatchObject({ accepted: 3003, rejected_total: 0 });
  return t;
}

describe("what the triage pane lists first", () => {
  it("ranks a severity-1 signature and its source above a flood of decoder events (worst severity first, then count), cached or not", () => {
    const t = offloadingSensor();
    for (const top of [t.core.securityTop({ limit: 10 }), topEvents(t.handle.db, { since: NOW - 86_400_000, until: NOW, limit: 10, now: NOW })]) {
      expect(top.signatures.map((s) => [s.value, s.count, s.worst])).toEqual([
        ["ET EXPLOIT Apache log4j RCE Attempt", 3, "high"],
        ["SURICATA TCPv4 invalid checksum", 3000, "low"],
      ]);
      expect(top.sources[0]).toEqual({ value: "198.51.100.9", count: 3, worst: "high" });
      expect(top.sources).toHaveLength(10);
    }
  });

  it("groups by signature and by source worst first, from the tallies and from rows alike", () => {
    const t = offloadingSensor();
    for (const by of ["signature", "src"] as const) {
      const q = { since: NOW - HOUR, by, limit: 5 };
      for (const page of [t.core.eventGroups(q), groupEventsFromRows(t.handle.db, q)]) {
        expect(page.groups[0]).toMatchObject({ key: by === "src" ? "198.51.100.9" : "ET EXPLOIT Apache log4j RCE Attempt", count: 3, worst: "high" });
        expect(page.total_groups).toBe(by === "src" ? 201 : 2);
      }
    }
  });

  it("does not keep ranking a source first once its only severe event has slid out of the range (a cached sum's worst is read again)", () => {
    const t = testCore();
    const at = (minutesAgo: number) => NOW - minutesAgo * MIN;
    const items = [
      { kind: "ids_alert", severity: "critical", time: at(170), src_ip: "203.0.113.1", signature: "sig A", message: "a" },
      ...Array.from({ length: 40 }, (_, i) => ({ kind: "ids_alert", severity: "low", time: at(60 - i), src_ip: "203.0.113.1", signature: "sig A", message: "a" })),
      ...Array.from({ length: 5 }, (_, i) => ({ kind: "ids_alert", severity: "medium", time: at(30 - i), src_ip: "203.0.113.2", signature: "sig B", message: "b" })),
    ] as const;
    expect(t.core.ingestEvents([...items], "test").rejected_total).toBe(0);
    const first = t.core.securityTop({ since: at(180), until: NOW, limit: 10 });
    expect(first.sources.map((s) => [s.value, s.worst])).toEqual([["203.0.113.1", "critical"], ["203.0.113.2", "medium"]]);
    expect(t.core.eventGroups({ since: at(180), until: NOW, by: "signature", limit: 10 }).groups.map((g) => g.key)).toEqual(["sig A", "sig B"]);
    // half an hour later the cached ranges move forward (not rebuilt): the critical event is out,
    // 203.0.113.1 is only low now, though its cached worst said critical
    t.clock.advance(30 * MIN);
    const later = t.core.securityTop({ since: at(150), until: NOW + 30 * MIN, limit: 10 });
    expect(later.sources.map((s) => [s.value, s.count, s.worst])).toEqual([["203.0.113.2", 5, "medium"], ["203.0.113.1", 40, "low"]]);
    expect(t.core.eventGroups({ since: at(150), until: NOW + 30 * MIN, by: "signature", limit: 10 }).groups.map((g) => [g.key, g.worst])).toEqual([["sig B", "medium"], ["sig A", "low"]]);
  });
});
