import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { manualClock } from "../clock";
import { createCore } from "../core";

// One card-testing burst through ingest, store and the incident writer, on a SQLite file: the
// device and the IP that cross over the same attempts are one incident, filed under the device
// (`card_testing:device:…`) and naming the IP; an IP that crosses later over the burst's attempts is
// a timeline note on that incident, not an incident of its own. (payment_velocity sees the same
// transactions and files its own incident: only card_testing's are looked at here.)

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

function vigil() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-card-burst-"));
  dirs.push(dir);
  const handle = openDatabase(dir);
  const core = createCore(handle, { clock: manualClock(NOW), access: { secret: "test-secret-test-secret-test-secret-0123" } });
  const send = (rows: object[]) => core.ingestLog("transactions", new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join("\n")), "application/x-ndjson");
  const testing = () =>
    core
      .incidentsSnapshot({ status: "all", limit: 50 })
      .incidents.filter((i) => i.rule === "card_testing")
      .sort((a, b) => (a.entity < b.entity ? -1 : 1));
  const keys = () => handle.sqlite.prepare(`SELECT dedup_key FROM incidents WHERE rule = 'card_testing' ORDER BY dedup_key`).pluck().all();
  return { core, handle, send, testing, keys };
}

/** The i-th attempt of a source: 1.00 EUR, declined, card …0000 + i % 3, 20 s apart. */
const attempt = (i: number, f: { device?: string; ip: string; account?: string }) => ({
  id: `tx-${f.device ?? "none"}-${f.ip}-${i}`,
  time: new Date(NOW - 30 * 60_000 + i * 20_000).toISOString(),
  account: f.account ?? `acct-${i}`,
  card: `tok-${i % 3}`,
  amount: "1.00",
  currency: "eur",
  outcome: "declined",
  ...f,
});

describe("card testing: one burst, one incident", () => {
  it("twelve declined small attempts from one device and IP open one incident under the device, naming the IP", () => {
    const { send, testing, keys, core, handle } = vigil();
    const source = { device: "dev-9", ip: "203.0.113.5" };
    expect(send(Array.from({ length: 12 }, (_, i) => attempt(i, source))).accepted).toBe(12);
    const incidents = testing();
    expect(incidents.map((i) => [i.entity, i.count, i.severity])).toEqual([["device:dev-9", 12, "high"]]);
    expect(keys()).toEqual(["card_testing:device:dev-9"]);
    expect(incidents[0].title).toBe("Card testing from device dev-9 with ip 203.0.113.5");
    const detail = core.incident(incidents[0].id)!;
    expect(detail.incident.explanation).toMatch(/^12 attempts from device dev-9 over 4 min: .*; the same attempts also crossed for ip 203\.0\.113\.5 \(12 attempts\)$/);
    expect(detail.timeline.map((t) => t.action)).toEqual(["opened"]);
    // more attempts of the same burst grow it, each counted once
    send(Array.from({ length: 3 }, (_, i) => attempt(12 + i, source)));
    expect(testing().map((i) => [i.entity, i.count])).toEqual([["device:dev-9", 15]]);
    handle.sqlite.close();
  });

  it("an IP crossing later over the burst's attempts is a note on the device's incident", () => {
    const { send, testing, keys, core, handle } = vigil();
    // dev-9's first attempt comes from another address: the device crosses at its 10th attempt, the IP only at the 11th
    send([attempt(0, { device: "dev-9", ip: "198.51.100.1" })]);
    for (let i = 1; i < 11; i++) send([attempt(i, { device: "dev-9", ip: "203.0.113.5" })]);
    const incidents = testing();
    expect(incidents.map((i) => [i.entity, i.count])).toEqual([["device:dev-9", 11]]);
    expect(keys()).toEqual(["card_testing:device:dev-9"]);
    const notes = core.incident(incidents[0].id)!.timeline.filter((t) => t.action === "note");
    expect(notes.map((n) => [n.actor, n.note])).toEqual([
      ["vigil", "ip 203.0.113.5 crossed the card testing threshold too (10 attempts in 3 min, small attempts) over attempts of this burst: counted here, no incident of its own"],
    ]);
    handle.sqlite.close();
  });

  it("two sources with their own devices and IPs in one upload are two incidents", () => {
    const { send, testing, handle } = vigil();
    send([
      ...Array.from({ length: 10 }, (_, i) => attempt(i, { device: "dev-1", ip: "198.51.100.1" })),
      ...Array.from({ length: 13 }, (_, i) => attempt(i, { device: "dev-2", ip: "198.51.100.2" })),
    ]);
    expect(testing().map((i) => [i.entity, i.count, i.title])).toEqual([
      ["device:dev-1", 10, "Card testing from device dev-1 with ip 198.51.100.1"],
      ["device:dev-2", 13, "Card testing from device dev-2 with ip 198.51.100.2"],
    ]);
    handle.sqlite.close();
  });
});
