import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { manualClock } from "../clock";
import { createCore } from "../core";

// One payment velocity burst through ingest, store and the incident writer, on a SQLite file:
// one incident for the account, card, device and IP that cross together; a key that crosses later
// over the same transactions is a timeline note on that incident, not an incident of its own.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

function vigil() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-burst-"));
  dirs.push(dir);
  const handle = openDatabase(dir);
  const core = createCore(handle, { clock: manualClock(NOW), access: { secret: "test-secret-test-secret-test-secret-0123" } });
  const send = (rows: object[]) => core.ingestLog("transactions", new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join("\n")), "application/x-ndjson");
  const security = () => core.incidentsSnapshot({ status: "all", limit: 50 }).incidents.filter((i) => i.pane === "security");
  return { core, handle, send, security };
}

const tx = (i: number, f: { account: string; card: string; device?: string; ip?: string }) => ({
  id: `tx-${f.account}-${i}`,
  time: new Date(NOW - 30 * 60_000 + i * 20_000).toISOString(),
  amount: "19.99",
  currency: "eur",
  ...f,
});

describe("payment velocity: one burst, one incident", () => {
  it("ten payments of one account, card, device and IP open one incident naming all four", () => {
    const { send, security, core, handle } = vigil();
    const who = { account: "acct-42", card: "4111 1111 1111 1111", device: "dev-abc", ip: "203.0.113.7" };
    expect(send(Array.from({ length: 10 }, (_, i) => tx(i, who))).accepted).toBe(10);
    const incidents = security();
    expect(incidents.map((i) => [i.rule, i.entity, i.count])).toEqual([["payment_velocity", "account:acct-42", 10]]);
    expect(incidents[0].title).toBe("Payment velocity: account acct-42 with card ************1111, device dev-abc, ip 203.0.113.7");
    const detail = core.incident(incidents[0].id)!;
    expect(detail.timeline.map((t) => t.action)).toEqual(["opened"]);
    // more payments of the same burst grow it, counted once each
    send(Array.from({ length: 5 }, (_, i) => tx(10 + i, who)));
    expect(security().map((i) => [i.entity, i.count])).toEqual([["account:acct-42", 15]]);
    handle.sqlite.close();
  });

  it("a card crossing later over the burst's payments is a note on its incident", () => {
    const { send, security, core, handle } = vigil();
    // acct-7 pays with card A twice out of three: the account crosses at its 10th payment, card A at its 10th (the 15th payment)
    for (let i = 0; i < 16; i++) send([tx(i, { account: "acct-7", card: i % 3 === 2 ? "tok-B" : "tok-A" })]);
    const incidents = security();
    expect(incidents.map((i) => [i.entity, i.count])).toEqual([["account:acct-7", 16]]);
    const notes = core.incident(incidents[0].id)!.timeline.filter((t) => t.action === "note");
    expect(notes.map((n) => [n.actor, n.note])).toEqual([
      ["vigil", "card tok-A crossed the velocity threshold too (10 transactions in 4 min, count) over transactions of this burst: counted here, no incident of its own"],
    ]);
    handle.sqlite.close();
  });

  it("two accounts with their own cards, devices and IPs in one upload are two incidents", () => {
    const { send, security, handle } = vigil();
    send([
      ...Array.from({ length: 10 }, (_, i) => tx(i, { account: "acct-1", card: "tok-1", device: "dev-1", ip: "198.51.100.1" })),
      ...Array.from({ length: 12 }, (_, i) => tx(i, { account: "acct-2", card: "tok-2", device: "dev-2", ip: "198.51.100.2" })),
    ]);
    expect(security().map((i) => [i.entity, i.count]).sort()).toEqual([
      ["account:acct-1", 10],
      ["account:acct-2", 12],
    ]);
    handle.sqlite.close();
  });
});
