import { describe, expect, it } from "vitest";
import { applyIncidents, byRecency, HELD_LIMIT, HELD_MAX, mergeIncidentPage, pinGroup, type LiveIncidents } from "./apply-incidents";
import { countsOfGroups, type Incident, type IncidentGroup } from "../contracts/incidents";

/** A brute-force server: every incident ever opened, and the snapshot a fresh load would get. */
class Model {
  readonly all = new Map<number, Incident>();
  private nextId = 1;
  private t = 0;
  private seed: number;
  constructor(seed: number, private readonly rules: readonly { rule: string; severities: readonly string[] }[]) {
    this.seed = seed;
  }
  random(): number {
    // mulberry32: the same run every time
    let x = (this.seed = (this.seed + 0x6d2b79f5) | 0);
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.random() * xs.length)];
  }
  active(): Incident[] {
    return [...this.all.values()].filter((i) => i.status !== "resolved");
  }
  /** a new incident, of a rule picked at random or of `only` */
  open(only?: string): Incident {
    const picked = this.pick(this.rules);
    const rule = only ?? picked.rule;
    const severities = only ? ["high"] : picked.severities;
    const id = this.nextId++;
    const i: Incident = {
      id, rule, entity: `e${id}`, pane: rule.startsWith("node") ? "network" : "security", title: "t", severity: this.pick(severities), status: "open", first_seen: ++this.t, last_seen: this.t, count: 1, version: 1,
      acknowledged_by: null, acknowledged_at: null, resolved_by: null, resolved_at: null, explanation: null, mitre: null, details: null, assignee: null, snoozed_until: null, resolution: null, previous_id: null,
    };
    this.all.set(id, i);
    return i;
  }
  /** a repeat hit: more evidence, newer last_seen, the same state and version */
  hit(): Incident | undefined {
    const active = this.active();
    if (!active.length) return undefined;
    const i = this.pick(active);
    const next = { ...i, count: i.count + 1, last_seen: ++this.t };
    this.all.set(i.id, next);
    return next;
  }
  change(to: "acknowledged" | "resolved"): Incident | undefined {
    const candidates = this.active().filter((i) => i.status !== to);
    if (!candidates.length) return undefined;
    const i = this.pick(candidates);
    const next = { ...i, status: to, version: i.version + 1, last_seen: ++this.t };
    this.all.set(i.id, next);
    return next;
  }
  groups(): IncidentGroup[] {
    const byKey = new Map<string, IncidentGroup>();
    for (const i of this.active()) {
      const key = `${i.pane}/${i.rule}`;
      const g = byKey.get(key) ?? { rule: i.rule, pane: i.pane, open: 0, acknowledged: 0, open_severity: {}, acknowledged_severity: {}, last_seen: 0 };
      byKey.set(key, g);
      g[i.status as "open" | "acknowledged"]++;
      const by = i.status === "open" ? g.open_severity : g.acknowledged_severity;
      by[i.severity] = (by[i.severity] ?? 0) + 1;
      g.last_seen = Math.max(g.last_seen, i.last_seen);
    }
    return [...byKey.values()];
  }
  snapshot(): LiveIncidents {
    const groups = this.groups();
    const counts = countsOfGroups(groups);
    return { epoch: "e", seq: 0, incidents: this.active().sort(byRecency).slice(0, 60), total: counts.open + counts.acknowledged, next_before: null, counts, groups, max_id: this.nextId - 1 };
  }
}

const comparable = (groups: readonly IncidentGroup[]) =>
  groups.map(({ last_seen: _, ...g }) => g).sort((a, b) => `${a.pane}/${a.rule}`.localeCompare(`${b.pane}/${b.rule}`));

/**
 * Runs `deltas` changes through the live fold in batches of 1–20, refetching (a fresh snapshot) whenever the fold
 * is unsure. After every batch the list holds at most the limit, and when sure its counts are a recount's.
 */
function soak(model: Model, deltas: number, mix: { open: number; hit: number; ack: number }) {
  for (let i = 0; i < 20; i++) model.open();
  let live = model.snapshot();
  let refetches = 0;
  let largest = 0;
  let done = 0;
  while (done < deltas) {
    const batch: Incident[] = [];
    const size = 1 + Math.floor(model.random() * 20);
    for (let k = 0; k < size && done < deltas; k++, done++) {
      const r = model.random();
      const i = r < mix.open ? model.open() : r < mix.open + mix.hit ? model.hit() : r < mix.open + mix.hit + mix.ack ? model.change("acknowledged") : model.change("resolved");
      if (i) batch.push(i);
    }
    live = applyIncidents(live, batch.map((incident) => ({ type: "incident" as const, incident })));
    largest = Math.max(largest, live.incidents.length + (live.older?.length ?? 0));
    if (live.unsure) {
      refetches++;
      live = model.snapshot();
      continue;
    }
    const truth = model.snapshot();
    expect(live.counts).toEqual(truth.counts);
    expect(live.total).toBe(truth.total);
    expect(comparable(live.groups)).toEqual(comparable(truth.groups));
  }
  return { live, refetches, largest, active: model.active().length };
}

describe("the live incident list stays bounded and its counts true", () => {
  it("holds at most HELD_LIMIT rows after thousands of new incidents and repeat hits, counting none twice and needing no refetch", () => {
    // the demo's shape: incidents open and stay open, old ones are hit again; one severity per rule
    const model = new Model(7, [{ rule: "brute_force", severities: ["high"] }, { rule: "card_testing", severities: ["critical"] }, { rule: "node_down", severities: ["critical"] }, { rule: "port_scan", severities: ["medium"] }]);
    const run = soak(model, 6_000, { open: 0.4, hit: 0.6, ack: 0 });
    expect(run.active).toBeGreaterThan(2_000);
    expect(run.largest).toBeLessThanOrEqual(HELD_LIMIT);
    expect(run.live.incidents).toHaveLength(HELD_LIMIT);
    // held rows are the most recently active of all
    expect(run.live.incidents.map((i) => i.id)).toEqual(model.active().sort(byRecency).slice(0, HELD_LIMIT).map((i) => i.id));
    expect(run.refetches).toBe(0);
    expect(run.live.counts.open).toBe(run.active);
  });

  it("keeps the counts a recount gives, or says it is unsure, through acknowledgements, resolutions and mixed severities", () => {
    const model = new Model(11, [{ rule: "brute_force", severities: ["high", "critical"] }, { rule: "node_down", severities: ["critical"] }, { rule: "spray", severities: ["low"] }]);
    const run = soak(model, 8_000, { open: 0.35, hit: 0.45, ack: 0.1 });
    expect(run.active).toBeGreaterThan(HELD_LIMIT * 2);
    expect(run.largest).toBeLessThanOrEqual(HELD_LIMIT);
    // other people acknowledging and resolving rows not held: a refetch settles what could not be
    // counted (the page debounces them); every sure fold above matched the recount
    expect(run.refetches).toBeGreaterThan(0);
  });

  it("does not count as new again a new incident it held and dropped", () => {
    const model = new Model(3, [{ rule: "brute_force", severities: ["high"] }]);
    let live = model.snapshot();
    const first = model.open();
    live = applyIncidents(live, [{ type: "incident", incident: first }]);
    // HELD_LIMIT newer incidents push it out of what is held
    live = applyIncidents(live, Array.from({ length: HELD_LIMIT }, () => ({ type: "incident" as const, incident: model.open() })));
    expect(live.incidents.some((i) => i.id === first.id)).toBe(false);
    expect(live.counts.open).toBe(HELD_LIMIT + 1);
    const again = model.hit();
    const hits = [again!];
    while (hits[hits.length - 1].id !== first.id) hits.push(model.hit()!);
    live = applyIncidents(live, hits.map((incident) => ({ type: "incident" as const, incident })));
    expect(live.counts.open).toBe(HELD_LIMIT + 1);
    expect(live.unsure).toBeUndefined();
    expect(live.incidents[0].id).toBe(first.id);
  });

  it("keeps the rows a person loaded past the limit, up to HELD_MAX, until newer ones push them out", () => {
    const model = new Model(5, [{ rule: "brute_force", severities: ["high"] }]);
    for (let i = 0; i < 2_000; i++) model.open();
    let live = model.snapshot();
    live = applyIncidents(live, Array.from({ length: 500 }, () => ({ type: "incident" as const, incident: model.open() })));
    expect(live.incidents).toHaveLength(HELD_LIMIT);
    const older = model.active().sort(byRecency).slice(HELD_LIMIT, HELD_LIMIT + 60);
    live = mergeIncidentPage(live, older);
    expect(live.incidents).toHaveLength(HELD_LIMIT + 60);
    live = applyIncidents(live, [{ type: "incident", incident: model.open() }]);
    expect(live.incidents).toHaveLength(HELD_LIMIT + 60);
    for (let page = 0; page < 30; page++) live = mergeIncidentPage(live, model.active().sort(byRecency).slice(live.incidents.length, live.incidents.length + 60));
    expect(live.incidents.length).toBe(HELD_MAX);
    expect(live.counts.open).toBe(model.active().length);
  });

  it("keeps the rows of a group opened in the list while newer incidents of other groups push past the limit, and lets them go once it is closed", () => {
    const bruteForce = { pane: "security" as const, rule: "brute_force" };
    const ofGroup = (l: LiveIncidents) => [...l.incidents, ...(l.older ?? [])].filter((i) => i.rule === "brute_force");
    const model = new Model(11, [{ rule: "brute_force", severities: ["high"] }]);
    for (let i = 0; i < 1_000; i++) model.open();
    let live = pinGroup(model.snapshot(), bruteForce, true);
    live = mergeIncidentPage(live, model.active().sort(byRecency).slice(60, 260));
    expect(ofGroup(live)).toHaveLength(260);
    // a storm of newer incidents of another rule, more than the held limit, then repeat hits on them
    for (let b = 0; b < 20; b++) live = applyIncidents(live, Array.from({ length: 50 }, () => ({ type: "incident" as const, incident: model.open("node_down") })));
    for (let b = 0; b < 10; b++) {
      const hits = Array.from({ length: 50 }, () => model.hit()).filter((i): i is Incident => !!i && i.rule === "node_down");
      live = applyIncidents(live, hits.map((incident) => ({ type: "incident" as const, incident })));
    }
    expect(ofGroup(live)).toHaveLength(260);
    expect(live.incidents.length + (live.older?.length ?? 0)).toBeLessThanOrEqual(live.held_limit!);
    // the rest of the limit holds the most recent of the others
    const others = live.incidents.filter((i) => i.rule === "node_down");
    expect(others).toEqual(model.active().filter((i) => i.rule === "node_down").sort(byRecency).slice(0, live.held_limit! - 260));
    expect(live.counts.open).toBe(model.active().length);
    expect(live.unsure).toBeUndefined();
    // closed: the group's rows are the least recently active, the first to go as newer ones come
    live = pinGroup(live, bruteForce, false);
    live = applyIncidents(live, [{ type: "incident", incident: model.open("node_down") }]);
    expect(ofGroup(live)).toHaveLength(259);
    live = applyIncidents(live, Array.from({ length: 259 }, () => ({ type: "incident" as const, incident: model.open("node_down") })));
    expect(ofGroup(live)).toHaveLength(0);
    expect(live.incidents.length).toBe(live.held_limit);
  });
});
