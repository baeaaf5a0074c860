import { describe, expect, it } from "vitest";
import { Hub, listedBatch } from "./hub";
import type { Batch, IncidentDelta, SecurityDelta } from "../../lib/contracts/live";
import type { Incident } from "../../lib/contracts/incidents";

const ev = (id: number): SecurityDelta => ({
  type: "event",
  event: { id, time: id, kind: "ids_alert", severity: "low", source: "t", src_ip: null, dst_ip: null, user: null, signature: null, message: null, attributes: null, service: null, src_host: null, src_port: null, dst_port: null, proto: null, occurrences: 1 },
});

function collect(hub: Hub) {
  const batches: Batch[] = [];
  hub.onBatch((b) => batches.push(b));
  return batches;
}

describe("Hub", () => {
  it("numbers items per stream and sends nothing before a flush", () => {
    const hub = new Hub();
    const batches = collect(hub);
    hub.publish("security", [ev(1), ev(2)]);
    hub.publish("network", []);
    expect(batches).toHaveLength(0);
    expect(hub.heads()).toEqual({ network: 0, security: 2, incidents: 0 });
  });

  it("flushes everything published since the last flush as one batch per stream", () => {
    const hub = new Hub();
    const batches = collect(hub);
    hub.publish("security", [ev(1)]);
    hub.publish("security", [ev(2), ev(3)]);
    hub.flush();
    hub.publish("security", [ev(4)]);
    hub.flush();
    expect(batches.map((b) => [b.seq_from, b.seq_to, b.items.length])).toEqual([
      [1, 3, 3],
      [4, 4, 1],
    ]);
  });

  it("splits a flush larger than maxBatch into contiguous batches", () => {
    const hub = new Hub({ maxBatch: 2 });
    const batches = collect(hub);
    hub.publish("security", [ev(1), ev(2), ev(3)]);
    hub.flush();
    expect(batches.map((b) => [b.seq_from, b.seq_to])).toEqual([
      [1, 2],
      [3, 3],
    ]);
  });

  it("replays exactly the flushed items after `since`", () => {
    const hub = new Hub();
    hub.publish("security", [ev(1), ev(2), ev(3), ev(4)]);
    hub.flush();
    const r = hub.replay("security", 2, hub.epoch);
    expect(r.kind).toBe("replay");
    if (r.kind !== "replay") return;
    expect([r.batch.seq_from, r.batch.seq_to]).toEqual([3, 4]);
    expect(r.batch.items.map((i) => (i as SecurityDelta).event.id)).toEqual([3, 4]);
  });

  it("replays nothing for a client that is current, leaving pending items to the next flush", () => {
    const hub = new Hub();
    hub.publish("security", [ev(1)]);
    hub.flush();
    hub.publish("security", [ev(2)]);
    expect(hub.replay("security", 1, hub.epoch).kind).toBe("current");
    expect(hub.replay("security", 2, hub.epoch).kind).toBe("current");
  });

  it("orders a resync when the gap is older than the buffer", () => {
    const hub = new Hub({ capacity: 3 });
    hub.publish("security", [ev(1), ev(2), ev(3), ev(4), ev(5)]);
    hub.flush();
    expect(hub.replay("security", 1, hub.epoch)).toMatchObject({ kind: "resync" });
    const ok = hub.replay("security", 2, hub.epoch);
    expect(ok.kind === "replay" && ok.batch.items.map((i) => (i as SecurityDelta).event.id)).toEqual([3, 4, 5]);
  });

  it("orders a resync for another epoch (a restarted server) or a sequence from the future", () => {
    const hub = new Hub();
    hub.publish("security", [ev(1)]);
    hub.flush();
    expect(hub.replay("security", 1, "another-epoch")).toMatchObject({ kind: "resync", reason: "server restarted" });
    expect(hub.replay("security", 9, hub.epoch)).toMatchObject({ kind: "resync" });
  });
  it("replays incidents without their details, and gives in-process emitters (the notifier's webhooks) the whole incident", () => {
    const hub = new Hub();
    const batches = collect(hub);
    const incident = { id: 7, title: "500 nodes down", count: 500, details: { members: Array.from({ length: 500 }, (_, i) => ({ key: `n${i}` })) } } as unknown as Incident;
    hub.publish("incidents", [{ type: "incident", incident }]);
    hub.flush();
    expect((batches[0].items[0] as IncidentDelta).incident.details).toBe(incident.details);
    // what the socket sends of that batch, and what a reconnecting socket is replayed
    expect((listedBatch(batches[0]).items[0] as IncidentDelta).incident).toMatchObject({ id: 7, title: "500 nodes down", count: 500, details: null });
    const r = hub.replay("incidents", 0, hub.epoch);
    expect(r.kind === "replay" && (r.batch.items[0] as IncidentDelta).incident.details).toBeNull();
    expect(incident.details).not.toBeNull();
  });
});
