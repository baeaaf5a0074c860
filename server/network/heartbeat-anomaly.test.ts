// A node's latency far from its own baseline opens `latency_anomaly` and marks it degraded with no
// threshold set, for a node made by heartbeats alone as for a managed one, dated by the sample that
// started it and resolved as of the sample that ended it. The baseline's options follow the spacing
// of the samples: 5-minute points as the baseline was tuned on them (one outlier starts it),
// heartbeats every 30 s as probes (two in a row).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { createCore } from "../core";
import { personOf, testCore } from "../test-support/core";
import { fakeTimers } from "../test-support/fake-timers";
import type { Incident } from "../../lib/contracts/incidents";
import { DEFAULT_BASELINE } from "./baseline";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const noc = personOf("noc");

/** 40 ms ± 2 ms of deterministic noise. */
function noise(n: number, seed = 11): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return 40 + ((x / 2 ** 31) * 4 - 2);
  });
}

function setup(kind: "heartbeat" | "managed", retentionDays = 7) {
  const t = testCore({ retentionDays });
  if (kind === "managed") t.core.createNode({ id: "auth-1", name: "auth-1" } as never, noc);
  const send = (values: readonly number[], stepMs: number, endAt = NOW) => {
    const items = values.map((v, i) => ({ node: "auth-1", ok: true, latency_ms: v, time: endAt - (values.length - 1 - i) * stepMs }));
    for (let i = 0; i < items.length; i += 500) expect(t.core.ingestHeartbeats(items.slice(i, i + 500), "test").rejected).toEqual([]);
    return items.map((x) => x.time);
  };
  const anomalies = (): Incident[] => t.core.incidentsSnapshot({ status: "all", limit: 100 }).incidents.filter((i) => i.rule === "latency_anomaly");
  const node = () => t.core.networkSnapshot().nodes.find((n) => n.key === "auth-1")!;
  return { ...t, send, anomalies, node };
}

describe.each(["heartbeat", "managed"] as const)("a %s node's latency anomaly", (kind) => {
  it("opens at a one-point spike of 5-minute heartbeats, degraded, and resolves at the sample that ends it", () => {
    const { send, anomalies, node } = setup(kind);
    const values = [...noise(100), 400, ...noise(20, 5)];
    const times = send(values, 300_000);
    const [a] = anomalies();
    expect(anomalies()).toHaveLength(1);
    expect(a).toMatchObject({ status: "resolved", first_seen: times[100], severity: "medium" });
    expect(a.explanation).toMatch(/^latency 400\.0 ms far above its baseline: median 4\d\.\d ms, MAD \d+\.\d ms over the last \d+ checks/);
    // ended after DEFAULT_BASELINE.clear normal samples, as of the last of them
    expect(a.resolved_at).toBe(times[100 + DEFAULT_BASELINE.clear]);
    expect(node().status).toBe("up");
  });

  it("is degraded while the anomaly lasts, with no threshold set", () => {
    const { send, anomalies, node } = setup(kind);
    send([...noise(100), 400, 420], 300_000);
    expect(node().status).toBe("degraded");
    expect(anomalies()).toMatchObject([{ status: "open" }]);
  });

  it("judges heartbeats every 30 s as probes: one slow sample is not an anomaly, two in a row are", () => {
    const one = setup(kind);
    one.send([...noise(100), 400, ...noise(5, 3)], 30_000);
    expect(one.anomalies()).toEqual([]);
    const two = setup(kind);
    const times = two.send([...noise(100), 400, 410, ...noise(5, 3)], 30_000);
    expect(two.anomalies()).toMatchObject([{ first_seen: times[101] }]);
  });
});

describe.each(["heartbeat", "managed"] as const)("a %s node that goes down during a latency anomaly", (kind) => {
  it("resolves the anomaly as superseded by its outage, as of its first failed check, and opens a new one if it comes back still slow", () => {
    const { core, send, anomalies, node } = setup(kind);
    send([...noise(100), 400, 420], 300_000, NOW - 10 * 300_000);
    const [open] = anomalies();
    expect(open.status).toBe("open");
    const firstFail = NOW - 9 * 300_000;
    for (let k = 0; k < 3; k++) expect(core.ingestHeartbeats([{ node: "auth-1", ok: false, time: firstFail + k * 300_000 }], "test").rejected).toEqual([]);
    expect(node().status).toBe("down");
    const down = core.incidentsSnapshot({ status: "all", limit: 10 }).incidents.find((i) => i.rule === "node_down")!;
    expect(down).toMatchObject({ status: "open", first_seen: firstFail });
    const after = core.incident(open.id)!;
    expect(after.incident).toMatchObject({ status: "resolved", resolved_by: "vigil", resolved_at: firstFail });
    expect(after.timeline.at(-1)!.note).toBe(`fixed: superseded: auth-1 is down since ${new Date(firstFail).toISOString()} (first failed check), its outage on incident ${down.id}; its latency is judged again once it answers`);
    // back, still far slower than its baseline: a new anomaly, dated by its first good heartbeat
    const [back] = send([430, 440], 300_000, NOW - 5 * 300_000);
    expect(node().status).toBe("degraded");
    expect(anomalies().find((i) => i.id !== open.id)).toMatchObject({ status: "open", first_seen: back });
  });
});

describe.each(["heartbeat", "managed"] as const)("a %s node that goes from flapping to down", (kind) => {
  it("leaves no latency_anomaly open: none opens while it flaps, and any open is resolved as superseded by its outage, as of the down", () => {
    const { core, anomalies, node } = setup(kind);
    // a steady baseline, then failures and slow answers alternating (flapping), two far slower, then failures only
    const flaps = Array.from({ length: 14 }, (_, i) => (i % 2 ? { ok: true, latency_ms: 40 } : { ok: false }));
    const seq = [...noise(100).map((v) => ({ ok: true, latency_ms: v })), ...flaps, { ok: true, latency_ms: 400 }, { ok: true, latency_ms: 420 }, ...Array.from({ length: 20 }, () => ({ ok: false }))];
    const step = 300_000;
    let flapped = false;
    for (const [i, v] of seq.entries()) {
      expect(core.ingestHeartbeats([{ node: "auth-1", ...v, time: NOW - (seq.length - 1 - i) * step }], "test").rejected).toEqual([]);
      flapped ||= node().status === "flapping";
    }
    expect(flapped).toBe(true);
    expect(node().status).toBe("down");
    const down = core.incidentsSnapshot({ status: "all", limit: 10 }).incidents.find((i) => i.rule === "node_down")!;
    expect(down.status).toBe("open");
    // the two slow answers came while it flapped: held, and superseded by the outage before flapping ended
    expect(anomalies()).toEqual([]);
    // back, still far slower than its baseline: an anomaly open again, dated by its first good heartbeat
    const before = new Set(anomalies().map((i) => i.id));
    const back = NOW + 60_000;
    for (const [k, v] of [430, 440].entries()) expect(core.ingestHeartbeats([{ node: "auth-1", ok: true, latency_ms: v, time: back + k * 60_000 }], "test").rejected).toEqual([]);
    expect(node().status).toBe("degraded");
    expect(anomalies().filter((i) => !before.has(i.id))).toMatchObject([{ status: "open", first_seen: back }]);
  });
});

describe("a managed node paused during a latency anomaly", () => {
  it("resolves the anomaly at its first good check after it is resumed, as its node_down would", () => {
    const { core, send, anomalies, node } = setup("managed");
    send([...noise(100), 400, 420], 300_000, NOW - 10 * 300_000);
    expect(node().status).toBe("degraded");
    const [open] = anomalies();
    expect(open.status).toBe("open");
    core.pauseNode("auth-1", true, noc);
    core.pauseNode("auth-1", false, noc);
    // its baseline starts afresh: the first results after the resume are normal ones
    const [first] = send([40, 41, 39], 300_000, NOW - 3 * 300_000);
    expect(node().status).toBe("up");
    const after = core.incident(open.id)!;
    expect(after.incident).toMatchObject({ status: "resolved", resolved_by: "vigil", resolved_at: first });
    expect(after.timeline.at(-1)!.note).toMatch(/resumed.*first good check at /);
  });

  it.each([1, 3])("stays open while the resumed node fails (%i failed, down at 3), and resolves at its first good check", (failures) => {
    const { core, anomalies, node } = setup("managed");
    const beat = (ok: boolean, time: number, latency_ms = 40) => expect(core.ingestHeartbeats([{ node: "auth-1", ok, time, ...(ok ? { latency_ms } : {}) }], "test").rejected).toEqual([]);
    const base = [...noise(100), 400, 420];
    base.forEach((v, i) => beat(true, NOW - (base.length + 10 - i) * 300_000, v));
    core.pauseNode("auth-1", true, noc);
    core.pauseNode("auth-1", false, noc);
    for (let k = 0; k < failures; k++) beat(false, NOW - (9 - k) * 300_000);
    expect(node().status).toBe(failures >= 3 ? "down" : "degraded");
    expect(anomalies()[0].status).toBe("open");
    const firstGood = NOW - 5 * 300_000;
    beat(true, firstGood);
    beat(true, firstGood + 60_000);
    expect(anomalies()[0]).toMatchObject({ status: "resolved", resolved_at: firstGood });
  });
});

describe("a managed node resumed with its latency anomaly open, across a restart", () => {
  it("resolves the anomaly at its first good check after the restart", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-anomaly-"));
    const boot = () => {
      const timers = fakeTimers(NOW);
      const handle = openDatabase(dir);
      const core = createCore(handle, { clock: timers, access: { secret: "test-secret-test-secret-test-secret-0123", publicUrl: "http://vigil.test:3000" }, network: { timers, configFile: null, watchConfig: false } });
      return { handle, core };
    };
    try {
      const first = boot();
      first.core.createNode({ id: "auth-1", name: "auth-1" } as never, noc);
      const base = [...noise(100), 400, 420];
      first.core.ingestHeartbeats(base.map((v, i) => ({ node: "auth-1", ok: true, latency_ms: v, time: NOW - (base.length + 10 - i) * 300_000 })), "test");
      first.core.pauseNode("auth-1", true, noc);
      first.core.pauseNode("auth-1", false, noc);
      first.handle.sqlite.close();
      const again = boot();
      await again.core.startNetwork();
      const [open] = again.core.incidentsSnapshot({ status: "all", limit: 10 }).incidents.filter((i) => i.rule === "latency_anomaly");
      expect(open.status).toBe("open");
      again.core.ingestHeartbeats([{ node: "auth-1", ok: true, latency_ms: 40, time: NOW - 60_000 }], "test");
      expect(again.core.incident(open.id)!.incident).toMatchObject({ status: "resolved", resolved_at: NOW - 60_000 });
      await again.core.stopNetwork();
      again.handle.sqlite.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a heartbeat node's latency baseline and batches that arrive late", () => {
  it("stores a batch older than the newest sample without judging it (no false anomaly from a late batch)", () => {
    const { send, anomalies, core } = setup("heartbeat");
    send(noise(100), 300_000);
    // a late batch from the hour before the first sample, slow: stored, not judged against the present
    const late = [500, 520, 510].map((v, i) => ({ node: "auth-1", ok: true, latency_ms: v, time: NOW - 100 * 300_000 - (3 - i) * 60_000 }));
    expect(core.ingestHeartbeats(late, "test").accepted).toBe(3);
    expect(anomalies()).toEqual([]);
  });
});

const DIR = path.resolve(process.cwd(), "../shared/datasets/latency");
const present = fs.existsSync(path.join(DIR, "anomaly_windows.json"));
describe.skipIf(!present)("NAB's labelled EC2 latency series pushed as heartbeats (skipped when ../shared/datasets/latency is absent)", () => {
  it.each(["heartbeat", "managed"] as const)("a %s node: every labelled window opens an incident inside it, none outside", (kind) => {
    const labels = JSON.parse(fs.readFileSync(path.join(DIR, "anomaly_windows.json"), "utf8")) as Record<string, [string, string][]>;
    const file = "ec2_request_latency_system_failure.csv";
    const stamp = (t: string) => Date.parse(`${t.trim().replace(" ", "T").slice(0, 23)}Z`);
    const rows = fs.readFileSync(path.join(DIR, file), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    // the series moved to end now (its own times are from 2014), 5-minute steps kept
    const shift = NOW - stamp(rows.at(-1)![0]);
    const windows = labels[file].map(([a, b]) => [stamp(a) + shift, stamp(b) + shift]);
    const { anomalies, core } = setup(kind, 30);
    const items = rows.map(([t, v]) => ({ node: "auth-1", ok: true, latency_ms: Number(v), time: stamp(t) + shift }));
    for (let i = 0; i < items.length; i += 1000) expect(core.ingestHeartbeats(items.slice(i, i + 1000), "test").rejected).toEqual([]);
    const opened = anomalies().map((i) => i.first_seen);
    const inside = (t: number) => windows.findIndex(([a, b]) => t >= a && t <= b);
    expect(new Set(opened.map(inside).filter((w) => w >= 0)).size).toBe(3);
    expect(opened.filter((t) => inside(t) < 0)).toEqual([]);
  });
});

describe.each(["heartbeat", "managed"] as const)("a %s node whose latency goes far from its baseline while it flaps", (kind) => {
  /** A steady baseline, then failures and normal answers alternating (flapping), then `slow` good answers at the given latencies. */
  function run(slow: readonly number[]) {
    const t = setup(kind);
    const flaps = Array.from({ length: 14 }, (_, i) => (i % 2 ? { ok: true, latency_ms: 40 } : { ok: false }));
    const seq = [...noise(100).map((v) => ({ ok: true, latency_ms: v })), ...flaps, ...slow.map((v) => ({ ok: true, latency_ms: v }))];
    const step = 300_000;
    const seen: { time: number; status: string; open: number }[] = [];
    for (const [i, v] of seq.entries()) {
      const time = NOW - (seq.length - 1 - i) * step;
      expect(t.core.ingestHeartbeats([{ node: "auth-1", ...v, time }], "test").rejected).toEqual([]);
      seen.push({ time, status: t.node().status, open: t.anomalies().length });
    }
    return { ...t, seen };
  }

  it("opens no latency_anomaly while it flaps (flapping holds it), and opens it once flapping ends if the anomaly still lasts, dated by the heartbeat that ended flapping", () => {
    const { seen, anomalies, node } = run(Array.from({ length: 30 }, (_, i) => 400 + i));
    const flapping = seen.filter((s) => s.status === "flapping");
    expect(flapping.length).toBeGreaterThan(10);
    expect(flapping.every((s) => s.open === 0)).toBe(true);
    const settled = seen.findIndex((s, i) => i > 0 && seen[i - 1].status === "flapping" && s.status !== "flapping");
    expect(seen[settled].status).toBe("degraded");
    expect(node().status).toBe("degraded");
    const [a] = anomalies();
    expect(anomalies()).toHaveLength(1);
    // as of the heartbeat that ended flapping, explained by the sample that started the anomaly (400 ms, while it flapped)
    expect(a).toMatchObject({ status: "open", first_seen: seen[settled].time });
    expect(a.explanation).toMatch(/^latency 400\.0 ms far above its baseline/);
  });

  it("opens none at all when the anomaly ends while it still flaps", () => {
    const { seen, anomalies, node } = run([400, 420, ...noise(20, 5)]);
    expect(seen.some((s) => s.status === "flapping")).toBe(true);
    expect(node().status).toBe("up");
    expect(anomalies()).toEqual([]);
  });
});

describe.each(["heartbeat", "managed"] as const)("a %s node that starts flapping during a latency anomaly", (kind) => {
  it("resolves it as superseded by flapping, and opens a new one when flapping ends with its latency still far off", () => {
    const { core, anomalies, node } = setup(kind);
    const flaps = Array.from({ length: 14 }, (_, i) => (i % 2 ? { ok: true, latency_ms: 430 } : { ok: false }));
    const seq = [...noise(100).map((v) => ({ ok: true, latency_ms: v })), { ok: true, latency_ms: 400 }, { ok: true, latency_ms: 420 }, ...flaps, ...Array.from({ length: 30 }, () => ({ ok: true, latency_ms: 440 }))];
    const step = 300_000;
    const seen: { time: number; status: string }[] = [];
    for (const [i, v] of seq.entries()) {
      const time = NOW - (seq.length - 1 - i) * step;
      expect(core.ingestHeartbeats([{ node: "auth-1", ...v, time }], "test").rejected).toEqual([]);
      seen.push({ time, status: node().status });
    }
    const flapFrom = seen.find((s) => s.status === "flapping")!;
    const settled = seen.findIndex((s, i) => i > 0 && seen[i - 1].status === "flapping" && s.status !== "flapping");
    const [first, second] = anomalies().sort((a, b) => a.first_seen - b.first_seen);
    expect(anomalies()).toHaveLength(2);
    expect(first).toMatchObject({ status: "resolved", first_seen: seen[100].time, resolved_at: flapFrom.time });
    expect(core.incident(first.id)!.timeline.at(-1)!.note).toMatch(/^fixed: superseded: auth-1 is flapping since /);
    expect(second).toMatchObject({ status: "open", first_seen: seen[settled].time });
  });
});
