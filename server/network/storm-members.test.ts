// Who a storm's members are, and what its timeline says about them: the same storm whatever order
// the members' results arrive in, one page for it (a member's own node_down folded in), for config
// and API nodes (`storm@…`) and for nodes made by heartbeats alone (`heartbeat-storm@…`) alike.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { createCore } from "../core";
import { personOf, testCore } from "../test-support/core";
import { fakeTimers } from "../test-support/fake-timers";
import type { Incident } from "../../lib/contracts/incidents";
import { nodeInputSchema } from "./definition";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
/** evidence times: seconds from ten minutes before the server's now */
const S = (s: number) => NOW - 600_000 + s * 1000;
const iso = (s: number) => new Date(S(s)).toISOString();
const noc = personOf("noc");
const def = (input: unknown) => nodeInputSchema.parse(input);

type Kind = "managed" | "heartbeat";

/**
 * Nodes `keys` (with `parents`, a key each) of one kind, each with a good heartbeat at 0 s. Managed
 * ones are API nodes judged by their heartbeats, with the defaults (3 failures down, 2 successes up);
 * heartbeat nodes are judged by the ingest (3 failed heartbeats down, one good one up).
 */
function setup(kind: Kind, keys: readonly string[], parents: Record<string, string> = {}) {
  const timers = fakeTimers(NOW);
  const t = testCore({ clock: timers, network: { timers, configFile: null, watchConfig: false, storm: { count: 5, windowMs: 60_000 } } });
  const { core } = t;
  if (kind === "managed") for (const key of keys) expect(core.createNode(def({ id: key, ...(parents[key] ? { parent: parents[key] } : {}) }), noc).ok).toBe(true);
  else core.registerNodes(keys.map((key) => ({ key, name: key, kind: "server", ...(parents[key] ? { parent: parents[key] } : {}) })));
  const send = (items: { node: string; ok: boolean; time: number }[]) => expect(core.ingestHeartbeats(items.map((i) => ({ ...i, ...(i.ok ? { latency_ms: 5 } : {}) })), "test").rejected).toEqual([]);
  /** one heartbeat per request */
  const beat = (node: string, ok: boolean, s: number) => send([{ node, ok, time: S(s) }]);
  /** `node` fails three heartbeats from `s` (down, dated `s`), one request each */
  const fail = (node: string, s: number) => [0, 1, 2].forEach((d) => beat(node, false, s + d));
  /** `node` passes from `s` (up, dated `s`: a managed node needs two) */
  const pass = (node: string, s: number) => [0, 1].forEach((d) => beat(node, true, s + d));
  send(keys.map((node) => ({ node, ok: true, time: S(0) })));
  const all = (): Incident[] => core.incidentsSnapshot({ status: "all", limit: 100 }).incidents;
  const active = () => all().filter((i) => i.status !== "resolved");
  const storm = () => {
    const found = all().filter((i) => i.rule === "node_storm");
    expect(found).toHaveLength(1);
    return core.incident(found[0].id)!;
  };
  const members = () => (storm().incident.details!.members as { key: string }[]).map((m) => m.key).sort();
  const notes = (id: number) => core.incident(id)!.timeline.map((e) => e.note ?? "");
  const status = (key: string) => core.networkSnapshot().nodes.find((n) => n.key === key)!.status;
  return { ...t, timers, send, beat, fail, pass, all, active, storm, members, notes, status };
}

const SITE = ["a", "b", "c", "d", "e"];

describe.each(["managed", "heartbeat"] as const)("a storm of %s nodes", (kind) => {
  it("takes in a node that paged on its own when a member whose results arrived late brings it within the window: one page", () => {
    const t = setup(kind, [...SITE, "f", "x"]);
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    // x fails 80 s after the storm's last member (100..140 s): out of reach, it pages on its own
    t.fail("x", 220);
    expect(t.active().map((i) => [i.rule, i.entity]).sort()).toEqual([["node_down", "x"], ["node_storm", expect.stringContaining("storm@")]]);
    // f failed at 190 s, its heartbeats arriving after x's: within 60 s of both, so x is a member too
    t.fail("f", 190);
    expect(t.members()).toEqual([...SITE, "f", "x"].sort());
    expect(t.active().map((i) => i.rule)).toEqual(["node_storm"]);
    const own = t.all().find((i) => i.entity === "x")!;
    expect(own).toMatchObject({ status: "resolved", resolution: "duplicate" });
    expect(t.notes(own.id).at(-1)).toBe(`duplicate: part of a storm from ${iso(220)} (its first failed check in the storm's window): see incident ${t.storm().incident.id} (7 nodes down)`);
  });

  it("takes in a node that paged just before its first member, within the window, as if their results had arrived the other way round", () => {
    const t = setup(kind, [...SITE, "x"]);
    t.fail("x", 50);
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    expect(t.members()).toEqual([...SITE, "x"].sort());
    expect(t.active().map((i) => i.rule)).toEqual(["node_storm"]);
    expect(t.all().find((i) => i.entity === "x")).toMatchObject({ status: "resolved", resolution: "duplicate" });
  });

  it("does not take in a node that failed long before its first member, whose results arrive late", () => {
    const t = setup(kind, [...SITE, "x"]);
    SITE.forEach((key, i) => t.fail(key, 300 + i * 10));
    t.fail("x", 100);
    expect(t.members()).toEqual([...SITE].sort());
    expect(t.active().find((i) => i.entity === "x")).toMatchObject({ rule: "node_down", status: "open", first_seen: S(100) });
  });
});

describe.each(["managed", "heartbeat"] as const)("a storm of %s nodes, and a node held while its parent failed", (kind) => {
  it("takes in the node when its parent recovers without going down and it pages on its own within the window", () => {
    const t = setup(kind, [...SITE, "p", "x"], { x: "p" });
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    // p fails once (failing, not down): x, down meanwhile, waits for it
    t.beat("p", false, 145);
    t.fail("x", 150);
    expect(t.active().map((i) => i.rule)).toEqual(["node_storm"]);
    // p passes: x is down on its own account, within the storm's window
    t.beat("p", true, 160);
    expect(t.status("x")).toBe("down");
    expect(t.members()).toEqual([...SITE, "x"].sort());
    expect(t.active().map((i) => i.rule)).toEqual(["node_storm"]);
  });
});

describe("a storm of managed nodes", () => {
  it("takes in a node resumed with its own node_down open that fails again within its window: its own is folded in", () => {
    const t = setup("managed", [...SITE, "x"]);
    t.fail("x", 10);
    const own = t.active().find((i) => i.entity === "x")!;
    t.core.pauseNode("x", true, noc);
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    t.core.pauseNode("x", false, noc);
    t.fail("x", 150);
    expect(t.members()).toEqual([...SITE, "x"].sort());
    expect(t.active().map((i) => i.rule)).toEqual(["node_storm"]);
    expect(t.core.incident(own.id)!.incident).toMatchObject({ status: "resolved", resolution: "duplicate" });
  });
});

describe.each(["managed", "heartbeat"] as const)("a %s storm member whose parent goes down while it is out", (kind) => {
  it("is evidence on its parent's incident from then: the storm says so, no longer waits for it, and resolves as of then once the rest are back", () => {
    const t = setup(kind, ["r", ...SITE], { e: "r" });
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    const { incident: storm } = t.storm();
    SITE.slice(0, 4).forEach((key) => t.pass(key, 250));
    expect(t.storm().incident.status).toBe("open");
    // e's parent goes down at 300 s: e is unreachable, its outage the parent's now
    t.fail("r", 300);
    expect(t.status("e")).toBe("unreachable");
    const parent = t.active().find((i) => i.entity === "r")!;
    expect(parent).toMatchObject({ rule: "node_down", details: { unreachable: ["e"], unreachable_count: 1 } });
    const after = t.storm();
    expect(after.incident).toMatchObject({ status: "resolved", resolved_by: "vigil", resolved_at: S(300) });
    const notes = t.notes(storm.id);
    expect(notes).toContain(`e is unreachable since ${iso(300)} (its parent is down): evidence on incident ${parent.id} from then, so this storm no longer waits for it`);
    expect(notes.at(-1)).toBe(`fixed: every member is passing again or is evidence on its parent's incident (e: incident ${parent.id}); the last left it at ${iso(300)}`);
    expect((after.incident.details!.members as { key: string; evidence_on?: number; unreachable_since?: number }[]).find((m) => m.key === "e")).toMatchObject({ evidence_on: parent.id, unreachable_since: S(300) });
    // not one page more: e's own outage is on r's incident
    expect(t.active().map((i) => i.entity)).toEqual(["r"]);
  });

  it("is waited for again when its parent comes back and it is still down on its own account; the storm resolves at its first good check", () => {
    const t = setup(kind, ["r", ...SITE], { e: "r" });
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    const { incident: storm } = t.storm();
    // d stays out, so the storm stays open while e's parent is down
    SITE.slice(0, 3).forEach((key) => t.pass(key, 250));
    t.fail("r", 300);
    expect(t.status("e")).toBe("unreachable");
    t.pass("r", 400);
    // e was failing before r went down: down on its own account again at once
    expect(t.status("e")).toBe("down");
    expect(t.notes(storm.id).at(-1)).toMatch(/^e is down on its own account again since .*: this storm waits for it again$/);
    t.pass("d", 420);
    expect(t.storm().incident.status).toBe("open");
    t.pass("e", 450);
    expect(t.storm().incident).toMatchObject({ status: "resolved", resolved_at: S(450) });
    expect(t.active()).toEqual([]);
  });
});

describe("a member of a storm of nodes made by heartbeats, paused (it becomes an API node) and resumed", () => {
  it("pausing it while it is out says so on the storm, which stays open", () => {
    const t = setup("heartbeat", SITE);
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    const { incident: storm } = t.storm();
    SITE.slice(0, 4).forEach((key) => t.pass(key, 250));
    expect(t.core.pauseNode("e", true, noc).ok).toBe(true);
    const paused = t.timers.now();
    expect(t.notes(storm.id).at(-1)).toBe(`e was paused at ${new Date(paused).toISOString()}: no checks run while it is paused, so this stays open until it is resolved by hand or e, resumed, passes again`);
    expect(t.storm().incident.status).toBe("open");
    // pausing a member that is back says nothing on the storm
    t.core.pauseNode("a", true, noc);
    expect(t.notes(storm.id).filter((n) => /^a was paused/.test(n))).toEqual([]);
  });

  it("resumed and failing, it says so on the storm and opens nothing of its own; resumed and passing, the storm resolves as of its first good check", () => {
    const t = setup("heartbeat", SITE);
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    const { incident: storm } = t.storm();
    SITE.slice(0, 4).forEach((key) => t.pass(key, 250));
    t.core.pauseNode("e", true, noc);
    t.core.pauseNode("e", false, noc);
    t.fail("e", 300);
    expect(t.status("e")).toBe("down");
    expect(t.notes(storm.id).some((n) => n.startsWith(`e, resumed, failed again at ${iso(300)}: failing still`))).toBe(true);
    expect(t.active().map((i) => i.rule)).toEqual(["node_storm"]);
    t.pass("e", 400);
    expect(t.storm().incident).toMatchObject({ status: "resolved", resolved_at: S(400) });
    expect(t.notes(storm.id)).toContain(`e is passing again since ${iso(400)}`);
  });
});

describe("a node behind a storm member of the other kind", () => {
  it("a node made by heartbeats behind an API node in a storm is evidence on that storm", () => {
    const t = setup("managed", SITE);
    t.core.registerNodes([{ key: "hb-1", name: "hb-1", kind: "server", parent: "e" }]);
    t.beat("hb-1", true, 0);
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    const { incident: storm } = t.storm();
    t.beat("hb-1", false, 150);
    expect(t.status("hb-1")).toBe("unreachable");
    expect(t.storm().incident.details).toMatchObject({ unreachable: ["hb-1"], unreachable_count: 1 });
    expect(t.notes(storm.id)).toContain(`hb-1 unreachable since ${iso(150)}: its parent is down`);
    expect(t.active().map((i) => i.rule)).toEqual(["node_storm"]);
  });
});

describe.each(["managed", "heartbeat"] as const)("a storm of %s nodes that a member joins", (kind) => {
  it("keeps the nodes unreachable behind its members (details.unreachable, unreachable_count) as they were", () => {
    const t = setup(kind, [...SITE, "f", "x"], { x: "a" });
    SITE.forEach((key, i) => t.fail(key, 100 + i * 5));
    t.fail("x", 130);
    expect(t.status("x")).toBe("unreachable");
    expect(t.storm().incident.details).toMatchObject({ unreachable: ["x"], unreachable_count: 1 });
    t.fail("f", 140);
    expect(t.members()).toEqual([...SITE, "f"]);
    expect(t.storm().incident).toMatchObject({ count: 6, details: { unreachable: ["x"], unreachable_count: 1 } });
  });
});

describe.each(["managed", "heartbeat"] as const)("a storm of %s nodes one of whose members is deleted", (kind) => {
  type Listed = { key: string; recovered_at: number | null; removed_at?: number };
  it("drops it from details.members (listed in details.removed, the count and title following), says so, and resolves as of the removal when it was the last one out", () => {
    const t = setup(kind, SITE);
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    const { incident: storm } = t.storm();
    SITE.slice(0, 4).forEach((key) => t.pass(key, 250));
    expect(t.storm().incident.status).toBe("open");
    const at = t.timers.now();
    expect(t.core.deleteNode("e", noc).ok).toBe(true);
    const after = t.storm().incident;
    expect(after).toMatchObject({ status: "resolved", resolved_by: "vigil", resolved_at: at, count: 4, title: "4 nodes down" });
    expect((after.details!.members as Listed[]).map((m) => m.key)).toEqual(SITE.slice(0, 4));
    expect(after.details!.removed).toMatchObject([{ key: "e", since: S(140), recovered_at: null, removed_at: at }]);
    const notes = t.notes(storm.id);
    expect(notes).toContain(`e was deleted over the API by ${noc.name} at ${new Date(at).toISOString()}: no longer a member of this storm (4 nodes left), so it no longer waits for e`);
    expect(notes.at(-1)).toBe(`fixed: every member is passing again or was removed (e: removed at ${new Date(at).toISOString()}); the last left it at ${new Date(at).toISOString()}`);
  });

  it("a member deleted once it was back leaves the storm open for the others, which resolves as of the last of them back", () => {
    const t = setup(kind, SITE);
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    const { incident: storm } = t.storm();
    t.pass("a", 250);
    expect(t.core.deleteNode("a", noc).ok).toBe(true);
    expect(t.storm().incident).toMatchObject({ status: "open", count: 4 });
    expect(t.notes(storm.id).at(-1)).toMatch(/^a was deleted over the API by .* at .*: no longer a member of this storm \(4 nodes left\)$/);
    ["b", "c", "d", "e"].forEach((key) => t.pass(key, 300));
    expect(t.storm().incident).toMatchObject({ status: "resolved", resolved_at: S(300) });
    expect(t.notes(storm.id).at(-1)).toBe(`fixed: every member is passing again; the last came back at ${iso(300)}`);
  });
});

describe("a storm of managed nodes across a restart", () => {
  it("takes in a node that paged on its own before the restart when a late member brings it within the window after it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-storm-"));
    const boot = () => {
      const timers = fakeTimers(NOW);
      const handle = openDatabase(dir);
      const core = createCore(handle, { clock: timers, access: { secret: "test-secret-test-secret-test-secret-0123", publicUrl: "http://vigil.test:3000" }, network: { timers, configFile: null, watchConfig: false, storm: { count: 5, windowMs: 60_000 } } });
      const fail = (node: string, s: number) => [0, 1, 2].forEach((d) => core.ingestHeartbeats([{ node, ok: false, time: S(s + d) }], "test"));
      return { handle, core, fail };
    };
    try {
      const first = boot();
      for (const key of [...SITE, "f", "x"]) first.core.createNode(def({ id: key }), noc);
      first.core.ingestHeartbeats([...SITE, "f", "x"].map((node) => ({ node, ok: true, time: S(0), latency_ms: 5 })), "test");
      SITE.forEach((key, i) => first.fail(key, 100 + i * 10));
      first.fail("x", 220);
      first.handle.sqlite.close();
      const again = boot();
      await again.core.startNetwork();
      again.fail("f", 190);
      const all = again.core.incidentsSnapshot({ status: "all", limit: 50 }).incidents;
      expect(all.filter((i) => i.status !== "resolved").map((i) => i.rule)).toEqual(["node_storm"]);
      expect(all.find((i) => i.entity === "x")).toMatchObject({ status: "resolved", resolution: "duplicate" });
      await again.core.stopNetwork();
      again.handle.sqlite.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(["managed", "heartbeat"] as const)("whether %s nodes failing together form a storm", (kind) => {
  /** each node's first failure, in seconds (its heartbeats at s, s+1, s+2) */
  type Order = { name: string; send: (t: ReturnType<typeof setup>, at: Record<string, number>) => void };
  const orders: Order[] = [
    { name: "one request per heartbeat, in time order", send: (t, at) => Object.entries(at).sort((x, y) => x[1] - y[1]).forEach(([key, s]) => t.fail(key, s)) },
    { name: "b's results arriving last, dated before the others'", send: (t, at) => [...Object.keys(at).filter((k) => k !== "b"), "b"].forEach((key) => t.fail(key, at[key])) },
    { name: "one batch sent newest first", send: (t, at) => t.send(Object.entries(at).flatMap(([node, s]) => [0, 1, 2].map((d) => ({ node, ok: false, time: S(s + d) }))).sort((x, y) => y.time - x.time)) },
    { name: "one batch per node, newest node first", send: (t, at) => Object.entries(at).sort((x, y) => y[1] - x[1]).forEach(([node, s]) => t.send([2, 1, 0].map((d) => ({ node, ok: false, time: S(s + d) })))) },
  ];

  it.each(orders)("no storm when no 5 of them failed within 60 s of each other, whatever the order: $name", ({ send }) => {
    const t = setup(kind, SITE);
    // a 100 s, b 130 s, c 160, d 161, e 162: 62 s from first to last, and no 5 within 60 s
    send(t, { a: 100, b: 130, c: 160, d: 161, e: 162 });
    expect(t.all().filter((i) => i.rule === "node_storm")).toEqual([]);
    expect(t.active().map((i) => [i.rule, i.entity]).sort()).toEqual(SITE.map((key) => ["node_down", key]));
  });

  it.each(orders)("one storm of the 5 when they failed within 60 s of each other, whatever the order: $name", ({ send }) => {
    const t = setup(kind, SITE);
    send(t, { a: 100, b: 130, c: 150, d: 155, e: 160 });
    expect(t.members()).toEqual(SITE);
    expect(t.storm().incident).toMatchObject({ status: "open", first_seen: S(100), count: 5 });
    expect(t.active().map((i) => i.rule)).toEqual(["node_storm"]);
  });

  it("forms when the fifth node, held while its parent failed, pages on its own after the parent recovers without going down", () => {
    const t = setup(kind, [...SITE.slice(0, 4), "p", "x"], { x: "p" });
    SITE.slice(0, 4).forEach((key, i) => t.fail(key, 100 + i * 10));
    t.beat("p", false, 135);
    t.fail("x", 140);
    expect(t.all().filter((i) => i.rule === "node_storm")).toEqual([]);
    // p passes: x is down on its own account, 40 s after the first of the four: the same storm as had p's result come first
    t.beat("p", true, 150);
    expect(t.status("x")).toBe("down");
    expect(t.members()).toEqual([...SITE.slice(0, 4), "x"].sort());
    expect(t.active().map((i) => i.rule)).toEqual(["node_storm"]);
  });
});

describe.each(["managed", "heartbeat"] as const)("one batch of heartbeats is one judgement for %s nodes", (kind) => {
  /** three failed heartbeats of each node from its second, all in one request */
  const batch = (at: Record<string, number>) => Object.entries(at).flatMap(([node, s]) => [0, 1, 2].map((d) => ({ node, ok: false, time: S(s + d) })));

  it("a batch taking 5 nodes down within the storm window opens one node_storm and no node_down, not even one folded in", () => {
    const t = setup(kind, SITE);
    t.send(batch({ a: 100, b: 110, c: 120, d: 130, e: 140 }));
    expect(t.members()).toEqual(SITE);
    expect(t.storm().incident).toMatchObject({ status: "open", first_seen: S(100), count: 5 });
    expect(t.all().map((i) => i.rule)).toEqual(["node_storm"]);
    expect(t.notes(t.storm().incident.id)).toContain("5 nodes down together: a, b, c, d, e");
  });

  it("a node of the batch that fails outside the storm's window pages on its own, as do 4 nodes down together", () => {
    const t = setup(kind, [...SITE, "x", "p", "q", "r", "s"]);
    t.send(batch({ a: 100, b: 110, c: 120, d: 130, e: 140, x: 300 }));
    expect(t.members()).toEqual(SITE);
    expect(t.all().map((i) => [i.rule, i.entity, i.status]).filter(([rule]) => rule === "node_down")).toEqual([["node_down", "x", "open"]]);
    // four are not a storm: each its own page
    t.send(batch({ p: 400, q: 401, r: 402, s: 403 }));
    expect(t.active().filter((i) => i.rule === "node_down").map((i) => i.entity).sort()).toEqual(["p", "q", "r", "s", "x"]);
    expect(t.all().filter((i) => i.rule === "node_storm")).toHaveLength(1);
  });
});

describe.each(["managed", "heartbeat"] as const)("one batch of heartbeats for %s nodes, a node and its parent", (kind) => {
  const batch = (at: Record<string, number>) => Object.entries(at).flatMap(([node, s]) => [0, 1, 2].map((d) => ({ node, ok: false, time: S(s + d) })));

  it.each([
    ["the child's heartbeats first", { x: 100, p: 100 }],
    ["the parent's heartbeats first", { p: 100, x: 100 }],
    ["the child failing first", { x: 95, p: 100 }],
    ["the child failing first, listed last", { p: 100, x: 95 }],
  ] as const)("taken down together (%s) opens only the parent's node_down, the child unreachable as evidence on it", (_, at) => {
    const t = setup(kind, ["p", "x"], { x: "p" });
    t.send(batch(at));
    expect(t.status("p")).toBe("down");
    expect(t.status("x")).toBe("unreachable");
    expect(t.core.networkSnapshot().nodes.find((n) => n.key === "x")).toMatchObject({ since: S(100), reason: "its parent is down" });
    const parent = t.active().find((i) => i.entity === "p")!;
    expect(parent.details).toMatchObject({ unreachable: ["x"], unreachable_count: 1 });
    expect(t.all().map((i) => [i.rule, i.entity])).toEqual([["node_down", "p"]]);
  });
});

describe.each(["managed", "heartbeat"] as const)("a %s node's own node_down folded in as a duplicate", (kind) => {
  it("into a storm is resolved as of its failure in the storm's window, not when it was folded", () => {
    const t = setup(kind, [...SITE, "f", "x"]);
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    t.fail("x", 220);
    t.fail("f", 190);
    const own = t.all().find((i) => i.entity === "x")!;
    expect(own).toMatchObject({ status: "resolved", resolution: "duplicate", first_seen: S(220), resolved_at: S(220) });
    expect(t.notes(own.id).at(-1)).toBe(`duplicate: part of a storm from ${iso(220)} (its first failed check in the storm's window): see incident ${t.storm().incident.id} (7 nodes down)`);
  });

  it("into its parent's incident is resolved as of the time it became unreachable", () => {
    const t = setup(kind, ["p", "x"], { x: "p" });
    t.fail("x", 100);
    t.fail("p", 110);
    expect(t.status("x")).toBe("unreachable");
    const parent = t.active().find((i) => i.entity === "p")!;
    const own = t.all().find((i) => i.entity === "x")!;
    expect(own).toMatchObject({ status: "resolved", resolution: "duplicate", first_seen: S(100), resolved_at: S(110) });
    expect(t.notes(own.id).at(-1)).toBe(`duplicate: its parent is down: x is evidence on incident ${parent.id} from ${iso(110)}`);
  });
});

/** Vigil on the database in `dir` (a restart is a second boot on it), nodes judged by their heartbeats. */
function boot(dir: string) {
  const timers = fakeTimers(NOW);
  const handle = openDatabase(dir);
  const core = createCore(handle, { clock: timers, access: { secret: "test-secret-test-secret-test-secret-0123", publicUrl: "http://vigil.test:3000" }, network: { timers, configFile: null, watchConfig: false, storm: { count: 5, windowMs: 60_000 } } });
  const beat = (node: string, ok: boolean, s: number) => expect(core.ingestHeartbeats([{ node, ok, time: S(s), ...(ok ? { latency_ms: 5 } : {}) }], "test").rejected).toEqual([]);
  const fail = (node: string, s: number) => [0, 1, 2].forEach((d) => beat(node, false, s + d));
  const pass = (node: string, s: number) => [0, 1].forEach((d) => beat(node, true, s + d));
  const all = () => core.incidentsSnapshot({ status: "all", limit: 100 }).incidents;
  const close = async () => {
    await core.stopNetwork();
    handle.sqlite.close();
  };
  return { handle, core, beat, fail, pass, all, close };
}

function withDir(run: (dir: string) => Promise<void>) {
  return async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-storm-"));
    try {
      await run(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

describe("nodes made by heartbeats across a restart", () => {
  it(
    "keep their first failures: nodes down before it are in the window of one going down after it, and one failing across it is dated by its first failure",
    withDir(async (dir) => {
      const first = boot(dir);
      first.core.registerNodes([...SITE, "y"].map((key) => ({ key, name: key, kind: "server" })));
      first.core.ingestHeartbeats([...SITE, "y"].map((node) => ({ node, ok: true, time: S(0), latency_ms: 5 })), "test");
      SITE.slice(0, 4).forEach((key, i) => first.fail(key, 100 + i * 10));
      // y fails twice before the restart: failing, not down yet
      first.beat("y", false, 300);
      first.beat("y", false, 310);
      expect(first.all().filter((i) => i.status !== "resolved").map((i) => i.entity).sort()).toEqual(SITE.slice(0, 4));
      await first.close();
      const again = boot(dir);
      await again.core.startNetwork();
      again.fail("e", 140);
      const storms = again.all().filter((i) => i.rule === "node_storm");
      expect(storms).toMatchObject([{ status: "open", first_seen: S(100), count: 5 }]);
      expect((storms[0].details!.members as { key: string; since: number }[]).map((m) => [m.key, m.since]).sort()).toEqual(SITE.map((key, i) => [key, S(100 + i * 10)]));
      expect(again.all().filter((i) => i.rule === "node_down").map((i) => [i.entity, i.status, i.resolution]).sort()).toEqual(SITE.slice(0, 4).map((key) => [key, "resolved", "duplicate"]));
      // y's third failure, after the restart: down since its first
      again.beat("y", false, 320);
      expect(again.core.networkSnapshot().nodes.find((n) => n.key === "y")).toMatchObject({ status: "down", since: S(300) });
      expect(again.all().find((i) => i.entity === "y")).toMatchObject({ rule: "node_down", first_seen: S(300) });
      await again.close();
    }),
  );
});

describe("a node made by heartbeats unreachable behind a heartbeat parent, across a restart", () => {
  const node = (b: ReturnType<typeof boot>, key: string) => b.core.networkSnapshot().nodes.find((n) => n.key === key)!;

  it(
    "is still unreachable since its parent went down (or since its own first failure, when later), not down, once the core is reopened",
    withDir(async (dir) => {
      const first = boot(dir);
      first.core.registerNodes([{ key: "p", name: "p", kind: "router" }, { key: "x", name: "x", kind: "server", parent: "p" }, { key: "y", name: "y", kind: "server", parent: "p" }]);
      await first.core.startNetwork();
      for (const key of ["p", "x", "y"]) first.beat(key, true, 0);
      first.fail("x", 100);
      first.fail("p", 110);
      first.fail("y", 120);
      await first.close();
      const again = boot(dir);
      await again.core.startNetwork();
      expect(node(again, "x")).toMatchObject({ status: "unreachable", since: S(110), reason: "its parent is down" });
      expect(node(again, "y")).toMatchObject({ status: "unreachable", since: S(120), reason: "its parent is down" });
      // their own failures after the restart change nothing: still their parent's
      again.beat("x", false, 130);
      again.beat("y", false, 131);
      expect(node(again, "x")).toMatchObject({ status: "unreachable", since: S(110) });
      expect(node(again, "y")).toMatchObject({ status: "unreachable", since: S(120) });
      expect(again.all().filter((i) => i.status !== "resolved").map((i) => [i.entity, i.details?.unreachable])).toEqual([["p", ["x", "y"]]]);
      await again.close();
    }),
  );

  it(
    "failing before its parent went down, is down since its own first failure when the parent comes back after the restart (not since the parent went down)",
    withDir(async (dir) => {
      const first = boot(dir);
      first.core.registerNodes([{ key: "p", name: "p", kind: "router" }, { key: "x", name: "x", kind: "server", parent: "p" }]);
      await first.core.startNetwork();
      for (const key of ["p", "x"]) first.beat(key, true, 0);
      first.fail("x", 100);
      first.fail("p", 110);
      expect(node(first, "x")).toMatchObject({ status: "unreachable", since: S(110) });
      await first.close();
      const again = boot(dir);
      await again.core.startNetwork();
      again.beat("p", true, 200);
      expect(node(again, "x")).toMatchObject({ status: "down", since: S(100) });
      expect(again.all().find((i) => i.entity === "x" && i.status !== "resolved")).toMatchObject({ rule: "node_down", first_seen: S(100) });
      await again.close();
    }),
  );
});

describe.each(["managed", "heartbeat"] as const)("a storm of %s nodes across a restart", (kind) => {
  it(
    "remembers which members are back (details.members' recovered_at) and resolves as of the last one back",
    withDir(async (dir) => {
      const first = boot(dir);
      if (kind === "managed") for (const key of SITE) first.core.createNode(def({ id: key }), noc);
      else first.core.registerNodes(SITE.map((key) => ({ key, name: key, kind: "server" })));
      await first.core.startNetwork();
      first.core.ingestHeartbeats(SITE.map((node) => ({ node, ok: true, time: S(0), latency_ms: 5 })), "test");
      SITE.forEach((key, i) => first.fail(key, 100 + i * 10));
      for (const key of ["a", "b", "c"]) first.pass(key, 250);
      first.pass("e", 300);
      const storm = first.all().find((i) => i.rule === "node_storm")!;
      const listed = (core: ReturnType<typeof boot>["core"]) => Object.fromEntries((core.incident(storm.id)!.incident.details!.members as { key: string; recovered_at: number | null }[]).map((m) => [m.key, m.recovered_at]));
      expect(listed(first.core)).toEqual({ a: S(250), b: S(250), c: S(250), d: null, e: S(300) });
      await first.close();
      const again = boot(dir);
      await again.core.startNetwork();
      // d's return is dated before e's: the storm ends as of e's, the last member back
      again.pass("d", 280);
      expect(again.core.incident(storm.id)!.incident).toMatchObject({ status: "resolved", resolved_at: S(300) });
      expect(listed(again.core)).toEqual({ a: S(250), b: S(250), c: S(250), d: S(280), e: S(300) });
      await again.close();
    }),
  );
});

describe.each(["managed", "heartbeat"] as const)("a storm of %s nodes one of whose members was deleted, across a restart", (kind) => {
  it(
    "still resolves as of the removal of the member that held it open (details.removed), not as of an earlier return",
    withDir(async (dir) => {
      const first = boot(dir);
      if (kind === "managed") for (const key of SITE) first.core.createNode(def({ id: key }), noc);
      else first.core.registerNodes(SITE.map((key) => ({ key, name: key, kind: "server" })));
      await first.core.startNetwork();
      first.core.ingestHeartbeats(SITE.map((node) => ({ node, ok: true, time: S(0), latency_ms: 5 })), "test");
      SITE.forEach((key, i) => first.fail(key, 100 + i * 10));
      for (const key of ["a", "b", "c"]) first.pass(key, 250);
      const removedAt = NOW;
      expect(first.core.deleteNode("e", noc).ok).toBe(true);
      const storm = first.all().find((i) => i.rule === "node_storm")!;
      expect(storm).toMatchObject({ status: "open", count: 4 });
      await first.close();
      const again = boot(dir);
      await again.core.startNetwork();
      // d is back as of 300 s, before e was removed: e held the storm open until then
      again.pass("d", 300);
      expect(again.core.incident(storm.id)!.incident).toMatchObject({ status: "resolved", resolved_at: removedAt });
      await again.close();
    }),
  );
});

describe("a late failure of a heartbeat node's storm member, dated before the start of its failing run", () => {
  it("moves the member's since back in details.members, and the storm's first_seen when it was the earliest, its timeline saying so", () => {
    const t = setup("heartbeat", SITE);
    SITE.forEach((key, i) => t.fail(key, 100 + i * 10));
    const id = t.storm().incident.id;
    expect(t.storm().incident).toMatchObject({ status: "open", first_seen: S(100), count: 5 });
    const since = (key: string) => (t.storm().incident.details!.members as { key: string; since: number }[]).find((m) => m.key === key)!.since;
    // a's failure at 90 s arrives after its failures from 100 s: its run, and the storm, start at 90 s
    t.beat("a", false, 90);
    expect(t.core.networkSnapshot().nodes.find((n) => n.key === "a")).toMatchObject({ status: "down", since: S(90) });
    expect(since("a")).toBe(S(90));
    expect(t.storm().incident).toMatchObject({ id, status: "open", first_seen: S(90), count: 5 });
    expect(t.storm().incident.explanation).toContain(`(first at ${iso(90)})`);
    expect(t.notes(id).at(-1)).toBe(`a failed check of a dated ${iso(90)} arrived late: a is down since then (first failed check of its run), not ${iso(100)}; this storm is dated from it`);
    // c's at 115 s: its entry moves back, the storm's first_seen stays a's
    t.beat("c", false, 115);
    expect(since("c")).toBe(S(115));
    expect(t.storm().incident.first_seen).toBe(S(90));
    expect(t.notes(id).at(-1)).toBe(`a failed check of c dated ${iso(115)} arrived late: c is down since then (first failed check of its run), not ${iso(120)}`);
    // nothing else paged, and the storm still resolves as of the last member back
    expect(t.active().map((i) => i.rule)).toEqual(["node_storm"]);
    SITE.forEach((key) => t.beat(key, true, 200));
    expect(t.storm().incident).toMatchObject({ status: "resolved", first_seen: S(90), resolved_at: S(200) });
  });
});
