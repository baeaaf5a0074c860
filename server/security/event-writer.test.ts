import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { EventWriter, ROWS_PER_INSERT } from "./event-writer";
import type { ParsedEvent } from "./types";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

const event = (n: number, fingerprint: string = `suricata:${n}`): ParsedEvent => ({
  time: NOW - n,
  kind: "ids_alert",
  severity: "high",
  service: "suricata",
  src_ip: `198.51.100.${n % 250}`,
  src_host: null,
  src_port: 40000 + n,
  dst_ip: "10.0.0.5",
  dst_port: 443,
  proto: "TCP",
  user: null,
  signature: `sig ${n}`,
  message: `message ${n}`,
  attributes: { sid: n },
  occurrences: 1,
  fingerprint,
  raw: `line ${n}`,
});

function setup() {
  const handle = openDatabase(":memory:");
  const writer = new EventWriter(handle.sqlite);
  const row = (id: number) => handle.sqlite.prepare("SELECT message, fingerprint, attributes, source FROM security_events WHERE id = ?").get(id) as Record<string, unknown>;
  return { handle, writer, row };
}

describe("event writer", () => {
  it("gives every stored event the id of its own row, across statements of many rows", () => {
    const { writer, row } = setup();
    const events = Array.from({ length: ROWS_PER_INSERT * 2 + 7 }, (_, i) => event(i));
    const r = writer.insert(events, NOW, "suricata");
    expect(r.duplicates).toBe(0);
    expect(r.indexes).toEqual(events.map((_, i) => i));
    for (const [k, e] of r.stored.entries()) {
      expect(row(e.id)).toEqual({ message: `message ${k}`, fingerprint: `suricata:${k}`, attributes: `{"sid":${k}}`, source: "suricata" });
    }
    expect(new Set(r.stored.map((e) => e.id)).size).toBe(events.length);
  });

  it("counts lines already stored as duplicates, even mixed with new ones in one statement", () => {
    const { writer, row, handle } = setup();
    writer.insert([event(3), event(60)], NOW, "suricata");
    const events = Array.from({ length: 80 }, (_, i) => event(i));
    const r = writer.insert(events, NOW, "suricata");
    expect(r.duplicates).toBe(2);
    expect(r.indexes).toEqual(events.map((_, i) => i).filter((i) => i !== 3 && i !== 60));
    for (const [k, e] of r.stored.entries()) expect(row(e.id).message).toBe(`message ${r.indexes[k]}`);
    expect((handle.sqlite.prepare("SELECT count(*) AS n FROM security_events").get() as { n: number }).n).toBe(80);
  });

  it("counts a statement's worth of lines all already stored as duplicates, and the ids after it stay right", () => {
    const { writer, row } = setup();
    const first = Array.from({ length: ROWS_PER_INSERT }, (_, i) => event(i));
    writer.insert(first, NOW, "suricata");
    const again = [...first, event(1000), event(1001)];
    const r = writer.insert(again, NOW, "suricata");
    expect(r.duplicates).toBe(ROWS_PER_INSERT);
    expect(r.indexes).toEqual([ROWS_PER_INSERT, ROWS_PER_INSERT + 1]);
    expect(r.stored.map((e) => row(e.id).message)).toEqual(["message 1000", "message 1001"]);
  });

  it("does not take the stored rows of duplicates, just below the new ids, for new ones", () => {
    const { writer, row } = setup();
    writer.insert([event(1), event(2)], NOW, "suricata");
    const r = writer.insert([event(3), event(1), event(2)], NOW, "suricata");
    expect(r.duplicates).toBe(2);
    expect(r.indexes).toEqual([0]);
    expect(row(r.stored[0].id).message).toBe("message 3");
  });

  it("gives the right ids after the newest rows were deleted (ids are never reused)", () => {
    const { writer, row, handle } = setup();
    writer.insert(Array.from({ length: 30 }, (_, i) => event(i)), NOW, "suricata");
    handle.sqlite.prepare("DELETE FROM security_events WHERE id > 10").run();
    const r = writer.insert(Array.from({ length: 60 }, (_, i) => event(100 + i)), NOW, "suricata");
    expect(r.duplicates).toBe(0);
    for (const [k, e] of r.stored.entries()) expect(row(e.id).message).toBe(`message ${100 + k}`);
    expect(r.stored[0].id).toBe(31);
  });

  it("stores events without a fingerprint (or sharing one) row by row, none of them lost", () => {
    const { writer, row } = setup();
    const r = writer.insert([event(1, ""), event(2, ""), event(3, "same"), event(4, "same")], NOW, "vigil");
    expect(r.duplicates).toBe(1);
    expect(r.indexes).toEqual([0, 1, 2]);
    expect(r.stored.map((e) => row(e.id).message)).toEqual(["message 1", "message 2", "message 3"]);
    expect(row(r.stored[0].id).fingerprint).toBeNull();
  });
});

describe("event writer, refusing what the table refuses", () => {
  it("throws for an event without a time instead of counting it as a duplicate", () => {
    const { writer } = setup();
    const events = [event(1), { ...event(2), time: null as unknown as number }];
    expect(() => writer.insert(events, NOW, "suricata")).toThrow(/without time/);
  });
});
