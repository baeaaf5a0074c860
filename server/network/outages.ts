// Status transitions become incidents, so that one failure is one page:
// - down opens `node_down` dated by the first failed check; up (or degraded) resolves it as of
//   the first good check;
// - unreachable opens nothing: the node is evidence on its nearest failed ancestor's incident;
//   a node that went down just before its parent is folded into the parent's incident, and one
//   that goes down while an ancestor is failing but not yet down waits for the ancestor;
// - maintenance and flapping open nothing (a note on an open incident says so);
// - a storm — `count` or more nodes whose first failures are within `windowMs` of each other, with
//   no failed ancestor (whatever order their results arrive in) — is one `node_storm` incident
//   listing them and their common tags, instead of one page per node; a node failing within its
//   window (either side: results need not arrive in time order) is a member, its own node_down
//   folded in (resolved as of the failure that made it one); a member still out whose parent goes
//   down is evidence on the parent's incident from then, and the storm no longer waits for it; a
//   member's return is written to the storm's details (a restart keeps it);
// - degraded by a latency anomaly (no hand-set threshold) opens `latency_anomaly`; it ends when
//   the node leaves degraded (back within its baseline, or superseded by its outage, flapping or
//   maintenance), or, for a node resumed after a pause, at its first good result.
// The service's rules (config and API nodes) and the ingest's (nodes made by heartbeats) are
// linked: a heartbeat node paused becomes an API node and stays the member of its storm.
// Runs inside the caller's transaction; returns the incidents it changed.
import type { Incident } from "../../lib/contracts/incidents";
import type { Severity } from "../../lib/contracts/common";
import type { NodeStatus } from "../../lib/contracts/network";
import type { IncidentService } from "../incidents/service";
import type { AnomalyFacts } from "./check-health";
import type { NodeState, Transition } from "./status";
import { findStorm, commonTags, type StormCandidate } from "./storm";

export const NODE_DOWN_RULE = "node_down";
export const NODE_STORM_RULE = "node_storm";
export const LATENCY_ANOMALY_RULE = "latency_anomaly";
/** timeline notes one incident gets about its members and unreachable children; past it only its details grow */
const NOTE_CAP = 20;
/** unreachable children listed in an incident's details; the count stays true */
const LISTED_CAP = 500;

export interface StormOptions {
  /** nodes failing together that make a storm (default 5) */
  count: number;
  /** how close their first failures must be, ms (default 60 s) */
  windowMs: number;
}
export const DEFAULT_STORM: StormOptions = { count: 5, windowMs: 60_000 };

/** A node as the rules read it: managed nodes from memory, heartbeat nodes from their row. */
export interface OutageNode {
  id: number;
  key: string;
  name: string;
  critical: boolean;
  tags: Record<string, string>;
  status: NodeStatus;
  parentId: number | null;
  paused: boolean;
  /** the status machine's state; null for a heartbeat node (judged by the ingest) */
  state: NodeState | null;
  /** a heartbeat node's failed checks in a row */
  failures: number;
  /** a heartbeat node's first failed heartbeat of its current failing run, when known */
  failing_since?: number | null;
}

export interface OutageContext {
  get(id: number): OutageNode | undefined;
  /** the nodes whose status the service computes */
  managed(): Iterable<OutageNode>;
}

interface StormMember {
  key: string;
  name: string;
  since: number;
  tags: Record<string, string>;
  /** its first good check after it failed in the storm; null while it is out */
  recovered_at: number | null;
  /** out, but unreachable behind a parent that went down since: its outage is evidence on that parent's incident (`evidence_on`) from `unreachable_since` */
  evidence_on: number | null;
  unreachable_since: number | null;
}

/** A member deleted while the storm was open: no longer waited for, kept in `details.removed` (what it was when removed, and when). */
interface RemovedMember {
  id: number;
  key: string;
  name: string;
  since: number;
  recovered_at: number | null;
  evidence_on: number | null;
  unreachable_since: number | null;
  removed_at: number;
}

interface StormState {
  incidentId: number;
  entity: string;
  lastAt: number;
  members: Map<number, StormMember>;
  removed: RemovedMember[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Statuses under which a node's latency is not judged: an open latency_anomaly ends as superseded when it gets there. */
const SUPERSEDING: ReadonlySet<NodeStatus> = new Set(["down", "unreachable", "flapping", "maintenance"]);

/** A storm's members as its details list them (a member handed to a parent's incident says which, and since when). */
function memberList(storm: StormState): Record<string, unknown>[] {
  return [...storm.members.entries()].map(([id, m]) => ({
    id,
    key: m.key,
    name: m.name,
    since: m.since,
    recovered_at: m.recovered_at,
    ...(m.evidence_on !== null ? { evidence_on: m.evidence_on, unreachable_since: m.unreachable_since } : {}),
  }));
}

/** The storm's removed members as its details list them. */
function removedList(storm: StormState): Record<string, unknown>[] {
  return storm.removed.map((m) => ({
    id: m.id,
    key: m.key,
    name: m.name,
    since: m.since,
    recovered_at: m.recovered_at,
    ...(m.evidence_on !== null ? { evidence_on: m.evidence_on, unreachable_since: m.unreachable_since } : {}),
    removed_at: m.removed_at,
  }));
}

/** The first failure among a storm's members (its last member's when it has none left). */
function firstAt(storm: StormState): number {
  let first = storm.lastAt;
  for (const m of storm.members.values()) if (m.since < first) first = m.since;
  return first;
}

/**
 * Opens (or grows) a node's `latency_anomaly` incident at `at`, the sample that started it, saying
 * the value, the baseline and the window; null when a silence holds it. Shared by managed nodes
 * (through their status transitions) and nodes made by heartbeats alone (server/ingest/network.ts).
 */
export function recordAnomaly(incidents: IncidentService, node: { key: string; name: string }, at: number, a: AnomalyFacts, check: string | null): Incident | null {
  const side = a.value_ms >= a.median_ms ? "above" : "below";
  const explanation = `latency ${a.value_ms.toFixed(1)} ms far ${side} its baseline: median ${a.median_ms.toFixed(1)} ms, MAD ${a.mad_ms.toFixed(1)} ms over the last ${a.window} checks (robust z ${a.score.toFixed(1)})`;
  const i = incidents.record({ rule: LATENCY_ANOMALY_RULE, entity: node.key, pane: "network", title: `${node.name}: latency far from its baseline`, severity: "medium", time: at, increment: 1 });
  // a silence holds the detection: no incident to grow or describe
  if (!i) return null;
  return incidents.describe(i.id, { explanation, details: { ...a, check } }) ?? i;
}

/** Resolves a node's `latency_anomaly` incident as of `at`, the first sample back within its baseline (or what `note` says). */
export function resolveAnomaly(incidents: IncidentService, key: string, at: number, note = `latency back within its baseline at ${iso(at)}`): Incident | null {
  return incidents.resolveByKey(LATENCY_ANOMALY_RULE, key, note, at);
}

/** Failing: down, or a check whose last result failed (a run that may be about to take it down). */
export function failingSince(n: OutageNode): number | null {
  if (n.paused) return null;
  if (!n.state && n.failing_since != null) return n.failing_since;
  if (n.status === "down") return n.state?.base_since ?? n.state?.since ?? 0;
  if (!n.state) return n.failures > 0 ? 0 : null;
  if (n.status === "maintenance" || n.status === "unreachable") return null;
  let first: number | null = null;
  for (const t of Object.values(n.state.checks)) if (t.last_ok === false && t.first_fail_at !== null) first = first === null ? t.first_fail_at : Math.min(first, t.first_fail_at);
  return first;
}

/** Paused, or resumed with no result yet: what it shows says nothing of its own about its outage. */
export function waiting(n: OutageNode): boolean {
  return n.paused || n.status === "pending";
}

/**
 * Whose storms an Outages tracks: the network service's nodes (config and API) or the nodes made
 * by heartbeats alone (the ingest's); each picks up only its own after a restart, by the prefix of
 * the storm incident's entity.
 */
export type OutageScope = "managed" | "heartbeat";
const STORM_PREFIX: Record<OutageScope, string> = { managed: "storm@", heartbeat: "heartbeat-storm@" };

export class Outages {
  private readonly held = new Map<number, Transition>();
  /** storms still active: a second one can open while the first is still failing (another site) */
  private readonly storms: StormState[] = [];
  private readonly notes = new Map<number, number>();
  /**
   * Nodes whose `latency_anomaly` is open while their state holds no anomaly any more: resumed
   * after a pause (which drops the baseline it was judged on). Their first good result resolves it
   * (resultsJudged), as a resumed node's first good check resolves its node_down.
   */
  private readonly staleAnomaly = new Set<number>();
  /**
   * The other scope's rules (the ingest's for the service's, and back): a node made by heartbeats
   * that is paused becomes an API node, judged by the service from then on, yet is still a member
   * of the heartbeat storm it failed in; and a node's parent may be of the other scope.
   */
  private peer: Outages | null = null;
  /**
   * Nodes that may have their own node_down open (opened here, or found open at a restart): what a
   * storm's window, as it widens, looks through for nodes to fold in (pruned as it looks). Nodes
   * failing but not down yet need no looking for: their own going down joins them.
   */
  private readonly paged = new Set<number>();
  /** storms of the peer this changed (a member of them moved here): settled with this one's */
  private readonly peerTouched = new Set<StormState>();
  /**
   * Nodes that may be failing (down, or a check whose last result failed), as the callers say when
   * they judge a failure (failingNow), and those failing at a restart: what a storm's forming looks
   * through for nodes failing together, not the whole fleet (pruned as it looks).
   */
  private readonly failing = new Set<number>();
  /** storms whose members' entries changed (one back, out again, handed to a parent's incident): written to details.members once per change, at settle */
  private readonly unsaved = new Set<StormState>();

  constructor(
    private readonly incidents: IncidentService,
    private readonly options: StormOptions = DEFAULT_STORM,
    private readonly scope: OutageScope = "managed",
  ) {}

  /** Links the two scopes' rules both ways: each finds the storms of the other's nodes (stormOf). */
  link(peer: Outages): void {
    this.peer = peer;
    peer.peer = this;
  }

  /**
   * A node the caller judged may be failing now (a failed result, or its state moved with one
   * failing): a candidate for a storm's forming while it fails. Cheap: no lookup.
   */
  failingNow(id: number): void {
    this.failing.add(id);
  }

  /** Picks up an open storm after a restart, from its incident's details; and the nodes failing then. */
  restore(ctx: OutageContext): void {
    for (const n of ctx.managed()) if (failingSince(n) !== null || n.status === "unreachable") this.failing.add(n.id);
    for (const incident of this.activeStorms()) {
      const members = (incident.details?.members as { id?: number; key: string; name: string; since: number; recovered_at?: number | null; evidence_on?: number; unreachable_since?: number }[] | undefined) ?? [];
      const state: StormState = { incidentId: incident.id, entity: incident.entity, lastAt: incident.last_seen, members: new Map(), removed: [] };
      // members deleted while it was open: a restart keeps whether one still held it when it went (resolved as of then)
      for (const r of (incident.details?.removed as Partial<RemovedMember>[] | undefined) ?? []) {
        if (typeof r.id !== "number" || typeof r.key !== "string" || typeof r.removed_at !== "number") continue;
        state.removed.push({ id: r.id, key: r.key, name: r.name ?? r.key, since: r.since ?? r.removed_at, recovered_at: r.recovered_at ?? null, evidence_on: r.evidence_on ?? null, unreachable_since: r.unreachable_since ?? null, removed_at: r.removed_at });
      }
      for (const m of members) {
        const node = m.id === undefined ? undefined : ctx.get(m.id);
        if (node) state.members.set(node.id, { key: m.key, name: m.name, since: m.since, tags: node.tags, recovered_at: m.recovered_at ?? null, evidence_on: m.evidence_on ?? null, unreachable_since: m.unreachable_since ?? null });
      }
      if (!this.storms.some((s) => s.incidentId === state.incidentId)) this.storms.push(state);
    }
    // a node resumed before the restart, its anomaly still open and no good result since; nodes paging on their own
    const entities = (rule: string) => new Set(this.incidents.work.matching({ status: "active", pane: "network", rule }, 10_000).map((id) => this.incidents.work.get(id)?.entity));
    const anomalies = entities(LATENCY_ANOMALY_RULE);
    const downs = entities(NODE_DOWN_RULE);
    if (anomalies.size === 0 && downs.size === 0) return;
    for (const n of ctx.managed()) {
      if (n.state && anomalies.has(n.key) && !Object.values(n.state.checks).some((c) => c.anomaly)) this.staleAnomaly.add(n.id);
      if (downs.has(n.key)) this.paged.add(n.id);
    }
  }

  private activeStorms(): Incident[] {
    const found = this.incidents.work.matching({ status: "active", pane: "network", rule: NODE_STORM_RULE }, 1_000);
    return found.map((id) => this.incidents.work.get(id)!).filter((i) => i && i.entity.startsWith(STORM_PREFIX[this.scope]));
  }

  /** Applies one node's transitions, in order. */
  apply(node: OutageNode, transitions: readonly Transition[], ctx: OutageContext, out: Map<number, Incident>): void {
    for (const t of transitions) {
      if (t.to === "down") this.down(node, t, ctx, out);
      else if (t.to === "unreachable") this.unreachable(node, t, ctx, out);
      else if (t.to === "up" || t.to === "degraded") this.recovered(node, t, ctx, out);
      else if (t.to === "maintenance" || t.to === "flapping") {
        this.held.delete(node.id);
        const what = t.to === "maintenance" ? `in maintenance from ${iso(t.at)}: ${t.reason ?? ""}`.trim() : `flapping (${t.reason}); notifications held until it settles`;
        this.noteOn(this.incidents.activeByKey(NODE_DOWN_RULE, node.key), `${node.name} is ${what}`, out);
      }
      if (t.to === "degraded" && t.anomaly) this.anomaly(node, t, out);
      // a resumed node's degraded is not its old anomaly's: that waits for its first good result.
      // Down, unreachable, flapping or maintenance supersede an open anomaly from whatever status
      // (none opens while a node flaps, for nodes made by heartbeats too: it is held until flapping ends)
      else if (t.to !== "degraded" && (t.from === "degraded" || SUPERSEDING.has(t.to)) && !this.staleAnomaly.has(node.id)) {
        const i = resolveAnomaly(this.incidents, node.key, t.at, this.anomalyEnd(node, t, ctx));
        if (i) out.set(i.id, i);
      }
    }
  }

  /**
   * What ended a node's latency anomaly as it left degraded by `t`: its latency back within its
   * baseline (up), or a status that supersedes it (down, unreachable, flapping, maintenance): its
   * latency is not judged meanwhile, and its outage, if any, is another incident's (named).
   */
  private anomalyEnd(node: OutageNode, t: Transition, ctx: OutageContext): string | undefined {
    const on = (i: Incident | null) => (i ? `, its outage on incident ${i.id}` : "");
    const again = "its latency is judged again once it answers";
    if (t.to === "down") return `superseded: ${node.name} is down since ${iso(t.at)} (first failed check)${on(this.incidentOf(node))}; ${again}`;
    if (t.to === "unreachable") return `superseded: ${node.name} is unreachable since ${iso(t.at)} (${t.reason ?? "its parent is down"})${on(this.ancestorIncident(node, ctx))}; ${again}`;
    if (t.to === "flapping") return `superseded: ${node.name} is flapping since ${iso(t.at)} (${t.reason}); its latency is judged again once it settles`;
    if (t.to === "maintenance") return `superseded: ${node.name} is in maintenance from ${iso(t.at)}; its latency is judged again after the window`;
    return undefined;
  }

  /**
   * A failed result of a node that is down: its incident grows (count, last seen). `runFrom`, a
   * failure dated before the first of its run that arrived late (the run's first failure now), moves
   * the incident's first_seen (and details.first_failed_at) back to it, and its timeline says so:
   * results need not arrive in time order.
   */
  failedAgain(node: OutageNode, time: number, out: Map<number, Incident>, runFrom?: number): void {
    const open = node.status === "down" ? this.incidents.activeByKey(NODE_DOWN_RULE, node.key) : null;
    if (!open) {
      if (node.status === "down" && runFrom !== undefined) this.memberRunFrom(node, runFrom, out);
      return;
    }
    const earlier = runFrom !== undefined && runFrom < open.first_seen ? runFrom : undefined;
    const i = this.incidents.record({ rule: NODE_DOWN_RULE, entity: node.key, pane: "network", title: `${node.name} is down`, severity: node.critical ? "critical" : "high", time, firstSeen: earlier, increment: 1 });
    // a silence holds the detection: no incident to grow or describe
    if (!i) return;
    out.set(i.id, i);
    if (earlier === undefined) return;
    const described = this.incidents.describe(i.id, { details: { ...(i.details ?? {}), first_failed_at: earlier } });
    if (described) out.set(described.id, described);
    this.note(i.id, `a failed check dated ${iso(earlier)} arrived late: ${node.name} is down since then (first failed check of its run), not ${iso(open.first_seen)}`, out, true);
  }

  /**
   * A storm member's failure dated before its entry's `since` that arrived late (the first failed
   * check of its run now, `runFrom`): its entry in details.members moves back to it, and so does the
   * storm's first_seen when it is now the earliest, the storm's timeline saying so. The storm's
   * window (firstAt) widens with it for nodes failing from now on; nodes already paging on their
   * own are not looked for again here.
   */
  private memberRunFrom(node: OutageNode, runFrom: number, out: Map<number, Incident>): void {
    const storm = this.stormOf(node.id);
    const member = storm?.members.get(node.id);
    if (!storm || !member || member.recovered_at !== null || runFrom >= member.since) return;
    const was = member.since;
    member.since = runFrom;
    const incident = this.incidents.work.get(storm.incidentId);
    const earliest = incident !== undefined && incident !== null && runFrom < incident.first_seen;
    if (earliest) {
      const i = this.incidents.record({ rule: NODE_STORM_RULE, entity: storm.entity, pane: "network", title: incident.title, severity: incident.severity as Severity, time: runFrom, firstSeen: runFrom, increment: 0 });
      if (i) out.set(i.id, i);
    }
    // title, count, explanation (its first failure) and members as they are now
    if (this.storms.includes(storm)) this.describeStorm(storm, out);
    else this.peer?.describeStorm(storm, out);
    this.note(storm.incidentId, `a failed check of ${node.name} dated ${iso(runFrom)} arrived late: ${node.name} is down since then (first failed check of its run), not ${iso(was)}${earliest ? "; this storm is dated from it" : ""}`, out, true);
  }

  /**
   * After any change: a node held back because an ancestor was failing gets its own incident once
   * no ancestor fails (or is dropped if it is no longer down); a storm whose members are all
   * back resolves.
   */
  settle(ctx: OutageContext, now: number, out: Map<number, Incident>): void {
    for (const [id, t] of this.held) {
      const node = ctx.get(id);
      if (!node || node.status !== "down") this.held.delete(id);
      else if (!this.ancestorFailing(node, ctx)) {
        this.held.delete(id);
        this.place(node, t, ctx, out, `its parent recovered without going down; ${node.name} stayed down`);
      }
    }
    // members' entries as they are now, before a storm resolves (its details keep who came back when)
    for (const storm of this.unsaved) this.describeMembers(storm, out);
    this.unsaved.clear();
    for (const storm of [...this.storms]) this.settleStorm(storm, ctx, now, out);
    if (this.peerTouched.size === 0) return;
    const touched = [...this.peerTouched];
    this.peerTouched.clear();
    for (const storm of touched) this.peer?.settleIfActive(storm, ctx, now, out);
  }

  /** Settles one of this one's storms (a member of it changed on the peer's side). */
  private settleIfActive(storm: StormState, ctx: OutageContext, now: number, out: Map<number, Incident>): void {
    if (this.storms.includes(storm)) this.settleStorm(storm, ctx, now, out);
  }

  /** A storm this changed: settled with this one's own when it is the peer's. */
  private touch(storm: StormState): void {
    if (!this.storms.includes(storm)) this.peerTouched.add(storm);
  }

  /**
   * A storm whose members are all passing again (or gone), or out but unreachable behind a parent
   * whose incident carries them, resolves, as of the last one back or handed over. A member paused
   * while it failed is not back: it holds the storm open until it is resumed and passes (as a node's
   * own incident stays open), and so does one resumed with no result yet; so does one unreachable
   * with no other incident carrying it (its parent back, and its own next result not in yet).
   */
  private settleStorm(storm: StormState, ctx: OutageContext, now: number, out: Map<number, Incident>): void {
    let last = 0;
    const handed: string[] = [];
    for (const [id, m] of storm.members) {
      const node = ctx.get(id);
      if (node?.status === "unreachable" && m.recovered_at === null) {
        // handed over while its parent is still failing (from memory: this runs after every result)
        if (m.evidence_on === null || !this.ancestorFailing(node, ctx)) return;
        handed.push(`${m.name}: incident ${m.evidence_on}`);
        last = Math.max(last, m.unreachable_since ?? now);
        continue;
      }
      // back, then unreachable behind a parent gone down since: its trouble is not this storm's
      if (node?.status === "unreachable") {
        last = Math.max(last, m.recovered_at ?? 0);
        continue;
      }
      if (node && (failingSince(node) !== null || (m.recovered_at === null && waiting(node)))) return;
      last = Math.max(last, m.recovered_at ?? 0);
    }
    // members deleted meanwhile: one still out held the storm open until it was removed
    const removed: string[] = [];
    for (const r of storm.removed) {
      if (r.recovered_at !== null) last = Math.max(last, r.recovered_at);
      else if (r.evidence_on !== null) last = Math.max(last, r.unreachable_since ?? r.removed_at);
      else {
        last = Math.max(last, r.removed_at);
        removed.push(`${r.name}: removed at ${iso(r.removed_at)}`);
      }
    }
    this.storms.splice(this.storms.indexOf(storm), 1);
    const at = last || now;
    const list = (names: string[]) => (names.length > 10 ? `${names.slice(0, 10).join(", ")} and ${names.length - 10} more` : names.join(", "));
    const gone = [...handed, ...removed];
    const how = handed.length && removed.length ? "is passing again, is evidence on its parent's incident or was removed" : handed.length ? "is passing again or is evidence on its parent's incident" : "is passing again or was removed";
    const note = gone.length ? `every member ${how} (${list(gone)}); the last left it at ${iso(at)}` : `every member is passing again; the last came back at ${iso(at)}`;
    const r = this.incidents.act(storm.incidentId, { action: "resolve" }, "vigil", { note, resolvedAt: at });
    if (r.ok) out.set(r.incident.id, r.incident);
  }

  /** The active storm a node is a member of: one of this one's, or of the peer's (a heartbeat node paused and resumed is the service's now). */
  private stormOf(id: number): StormState | undefined {
    return this.ownStormOf(id) ?? this.peer?.ownStormOf(id);
  }

  private ownStormOf(id: number): StormState | undefined {
    return this.storms.find((s) => s.members.has(id));
  }

  /** The incident that speaks for a node's outage, if any (its own, or that of the storm it is in and not back from, nor handed to a parent's incident). */
  incidentOf(node: OutageNode): Incident | null {
    const own = this.incidents.activeByKey(NODE_DOWN_RULE, node.key);
    if (own) return own;
    const storm = this.stormOf(node.id);
    const member = storm?.members.get(node.id);
    return storm && member && member.recovered_at === null && member.evidence_on === null ? this.incidents.work.get(storm.incidentId) : null;
  }

  /**
   * Whether the storm of incident `incidentId` waits only on people: every member not back is
   * paused, or resumed with no result yet (at least one such), none failing on its own account.
   * False for a storm this does not track.
   */
  stormWaiting(incidentId: number, ctx: OutageContext): boolean {
    const storm = this.storms.find((s) => s.incidentId === incidentId);
    if (!storm) return false;
    let waits = false;
    for (const [id, m] of storm.members) {
      if (m.recovered_at !== null) continue;
      const node = ctx.get(id);
      if (!node) continue;
      // out, but on its parent's incident: not this storm's to wait for
      if (m.evidence_on !== null && node.status === "unreachable") continue;
      if (!waiting(node)) return false;
      waits = true;
    }
    return waits;
  }

  /**
   * A node paused while its outage is open (`incidentId`, its own or its storm's): its checks stop,
   * so nothing resolves the incident until it is resumed and passes. Said on the incident, so
   * whoever holds it knows.
   */
  pausedOn(incidentId: number, name: string, at: number, out: Map<number, Incident>): void {
    this.note(incidentId, `${name} was paused at ${iso(at)}: no checks run while it is paused, so this stays open until it is resolved by hand or ${name}, resumed, passes again`, out, true);
  }

  /** Whether a node's first good result has an anomaly to resolve (resultsJudged). */
  waitsForGoodResult(id: number): boolean {
    return this.staleAnomaly.has(id);
  }

  /**
   * A node resumed (its state starts afresh, its latency baseline with it): an anomaly still open
   * is no longer judged by anything, and resolves with the node's first good result (resultsJudged).
   */
  resumed(node: OutageNode): void {
    if (this.incidents.activeByKey(LATENCY_ANOMALY_RULE, node.key)) this.staleAnomaly.add(node.id);
  }

  /**
   * Results a node's status machine applied: a node resumed with its anomaly open resolves it as
   * of its first good one (a failure leaves it open, as it leaves its node_down open).
   */
  resultsJudged(node: OutageNode, results: readonly { time: number; ok: boolean }[], out: Map<number, Incident>): void {
    if (!this.staleAnomaly.has(node.id)) return;
    let first: number | null = null;
    for (const r of results) if (r.ok && (first === null || r.time < first)) first = r.time;
    if (first === null) return;
    this.staleAnomaly.delete(node.id);
    const i = resolveAnomaly(this.incidents, node.key, first, `${node.name} was resumed and passes: first good check at ${iso(first)} (its latency is judged against a new baseline from here)`);
    if (i) out.set(i.id, i);
  }

  /**
   * A node removed (deleted over the API, or from the config file) while it is a member of an open
   * storm (of either scope): it leaves the storm, which says so (`why`, the time, who is left) and
   * lists it in `details.removed`; one still out no longer holds the storm open, which resolves (at
   * settle) as of its removal when it was the last one out.
   */
  removed(id: number, at: number, why: string | undefined, out: Map<number, Incident>): void {
    const storm = this.stormOf(id);
    const m = storm?.members.get(id);
    if (!storm || !m) return;
    storm.members.delete(id);
    storm.removed.push({ id, key: m.key, name: m.name, since: m.since, recovered_at: m.recovered_at, evidence_on: m.evidence_on, unreachable_since: m.unreachable_since, removed_at: at });
    const out_ = m.recovered_at === null && m.evidence_on === null;
    this.note(storm.incidentId, `${why ?? `${m.name} was removed`} at ${iso(at)}: no longer a member of this storm (${storm.members.size} ${storm.members.size === 1 ? "node" : "nodes"} left)${out_ ? `, so it no longer waits for ${m.name}` : ""}`, out, true);
    this.describeStorm(storm, out);
    this.touch(storm);
  }

  /** A node removed: it no longer holds a storm open, and waits for nothing. */
  forget(id: number): void {
    this.held.delete(id);
    this.staleAnomaly.delete(id);
    this.paged.delete(id);
    this.failing.delete(id);
    for (const storm of this.storms) storm.members.delete(id);
  }

  /** A node paused: it waits for no ancestor any more; a storm it failed in stays open for it (settleStorm). */
  paused(id: number): void {
    this.held.delete(id);
  }

  private down(node: OutageNode, t: Transition, ctx: OutageContext, out: Map<number, Incident>): void {
    const mine = this.stormOf(node.id);
    if (mine) {
      const member = mine.members.get(node.id)!;
      const carried = member.evidence_on !== null;
      if (t.from === "pending" && member.recovered_at === null && !carried) this.resumedFailing(mine.incidentId, node, t, out);
      // back, or on its parent's incident, until now: the storm holds for it again, and says so
      else if (member.recovered_at !== null || carried) this.note(mine.incidentId, `${node.name} is down on its own account again since ${iso(t.at)}: this storm waits for it again`, out);
      const changed = member.recovered_at !== null || carried;
      member.recovered_at = null;
      member.evidence_on = null;
      member.unreachable_since = null;
      if (changed) this.unsaved.add(mine);
      this.touch(mine);
      return;
    }
    // its own incident, still open from before it was paused: it was resumed, and fails still
    const own = t.from === "pending" ? this.incidents.activeByKey(NODE_DOWN_RULE, node.key) : null;
    if (own) this.resumedFailing(own.id, node, t, out);
    if (this.ancestorFailing(node, ctx)) {
      this.held.set(node.id, t);
      return;
    }
    this.place(node, t, ctx, out, null);
  }

  /**
   * A node down on its own account (no failing ancestor): the newest storm whose window its failure
   * is in takes it (its own incident, if any, folded in); else it forms one with the nodes failing
   * within the window of each other, if they are enough (findStorm: by their first failures, not by
   * which arrived last); else its own node_down (`why` says why it pages only now).
   */
  private place(node: OutageNode, t: Transition, ctx: OutageContext, out: Map<number, Incident>, why: string | null): void {
    const open = this.openStormAt(t.at);
    if (open) return this.grow(open, [this.candidate(node, t.at)], ctx, out);
    const storm = findStorm([this.candidate(node, t.at), ...this.failingAlone(ctx, node.id)], t.at, this.options);
    if (storm) return this.openStorm(storm, ctx, out);
    this.openDown(node, t, why, out);
  }

  private openDown(node: OutageNode, t: Transition, why: string | null, out: Map<number, Incident>): void {
    const before = this.incidents.activeByKey(NODE_DOWN_RULE, node.key);
    // counted as the failed checks of the run that took it down, as the ingest counts them
    const run = t.check_id !== undefined ? (node.state?.checks[t.check_id]?.fails ?? 1) : node.state ? 1 : node.failures;
    const i = this.incidents.record({ rule: NODE_DOWN_RULE, entity: node.key, pane: "network", title: `${node.name} is down`, severity: node.critical ? "critical" : "high", time: Math.max(t.at, t.confirmed_at), firstSeen: t.at, increment: Math.max(1, run) });
    // a silence holds the detection: no incident to grow or describe
    if (!i) return;
    const first = before === null;
    this.paged.add(node.id);
    const described = first ? this.incidents.describe(i.id, { explanation: t.reason, details: { first_failed_at: t.at, confirmed_at: t.confirmed_at, check: t.check_id ?? null, unreachable: [], unreachable_count: 0 } }) : i;
    out.set(i.id, described ?? i);
    if (first) this.note(i.id, `down since ${iso(t.at)} (first failed check), confirmed at ${iso(t.confirmed_at)}${why ? `; ${why}` : ""}: ${t.reason ?? "checks failing"}`, out, true);
  }

  private unreachable(node: OutageNode, t: Transition, ctx: OutageContext, out: Map<number, Incident>): void {
    this.held.delete(node.id);
    const parentIncident = this.ancestorIncident(node, ctx);
    const own = this.incidents.activeByKey(NODE_DOWN_RULE, node.key);
    if (own && parentIncident) {
      // as of the evidence that made it its parent's: unreachable since t.at (not when that was seen)
      const r = this.incidents.act(own.id, { action: "resolve", reason: "duplicate" }, "vigil", { note: `its parent is down: ${node.name} is evidence on incident ${parentIncident.id} from ${iso(t.at)}`, resolvedAt: t.at });
      if (r.ok) out.set(r.incident.id, r.incident);
    }
    if (!parentIncident) return;
    // a storm member still out: its outage is its parent's from here, and the storm says so
    const storm = this.stormOf(node.id);
    const member = storm?.members.get(node.id);
    if (storm && member && member.recovered_at === null && member.evidence_on === null && parentIncident.id !== storm.incidentId) {
      member.evidence_on = parentIncident.id;
      member.unreachable_since = t.at;
      // past NOTE_CAP, details.members says it (evidence_on), as it says who joined
      this.note(storm.incidentId, `${node.name} is unreachable since ${iso(t.at)} (${t.reason ?? "its parent is down"}): evidence on incident ${parentIncident.id} from then, so this storm no longer waits for it`, out);
      this.unsaved.add(storm);
      this.touch(storm);
    }
    const details = { ...(parentIncident.details ?? {}) };
    const listed = Array.isArray(details.unreachable) ? (details.unreachable as string[]) : [];
    if (!listed.includes(node.key)) {
      details.unreachable = listed.length < LISTED_CAP ? [...listed, node.key] : listed;
      details.unreachable_count = (typeof details.unreachable_count === "number" ? details.unreachable_count : listed.length) + 1;
      const i = this.incidents.describe(parentIncident.id, { details });
      if (i) out.set(i.id, i);
    }
    this.note(parentIncident.id, `${node.name} unreachable since ${iso(t.at)}: ${t.reason ?? "its parent is down"}`, out);
  }

  private recovered(node: OutageNode, t: Transition, ctx: OutageContext, out: Map<number, Incident>): void {
    // a node resumed (from pending) whose first check fails is degraded, not back: its open
    // incident stays open and says it fails still (its escalation, held while the node was
    // paused, goes on from here); it grows when the node is down again
    if (t.from === "pending" && failingSince(node) !== null) {
      const open = this.incidentOf(node);
      if (open) this.resumedFailing(open.id, node, t, out);
      return;
    }
    this.held.delete(node.id);
    this.resolve(NODE_DOWN_RULE, node.key, `${node.name} is passing again: first good check at ${iso(t.at)}, confirmed at ${iso(t.confirmed_at)}`, t.at, out);
    const storm = this.stormOf(node.id);
    const member = storm?.members.get(node.id);
    if (storm && member && member.recovered_at === null) {
      member.recovered_at = t.at;
      member.evidence_on = null;
      member.unreachable_since = null;
      this.note(storm.incidentId, `${node.name} is passing again since ${iso(t.at)}`, out);
      // written to its details (at settle): after a restart the storm knows who is back, and since when
      this.unsaved.add(storm);
      this.touch(storm);
    }
    void ctx;
  }

  /** A node resumed with its outage still open (`incidentId`) fails its first check: said on the incident (always: its escalation goes on from here). */
  private resumedFailing(incidentId: number, node: OutageNode, t: Transition, out: Map<number, Incident>): void {
    this.note(incidentId, `${node.name}, resumed, failed again at ${iso(t.at)}: ${t.to === "down" ? "down" : "failing"} still${t.reason ? ` (${t.reason})` : ""}`, out, true);
  }

  private anomaly(node: OutageNode, t: Transition, out: Map<number, Incident>): void {
    const i = recordAnomaly(this.incidents, node, t.at, t.anomaly!, t.check_id ?? null);
    if (i) out.set(i.id, i);
  }

  private resolve(rule: string, key: string, note: string, at: number, out: Map<number, Incident>): void {
    const i = this.incidents.resolveByKey(rule, key, note, at);
    if (i) out.set(i.id, i);
  }

  private openStorm(found: { members: StormCandidate[]; since: number }, ctx: OutageContext, out: Map<number, Incident>): void {
    const entity = `${STORM_PREFIX[this.scope]}${iso(found.since)}`;
    const i = this.incidents.record({ rule: NODE_STORM_RULE, entity, pane: "network", title: `${found.members.length} nodes down`, severity: found.members.some((m) => ctx.get(m.id)?.critical) ? "critical" : "high", time: found.since, increment: 0 });
    // a silence holds the detection: no incident to grow or describe
    if (!i) return;
    // a detection under the key of a storm already tracked grew it: that storm takes the members
    let storm = this.storms.find((s) => s.incidentId === i.id);
    if (!storm) this.storms.push((storm = { incidentId: i.id, entity, lastAt: found.since, members: new Map(), removed: [] }));
    this.grow(storm, found.members, ctx, out);
  }

  /** The newest active storm whose window holds a failure at `at`. */
  private openStormAt(at: number): StormState | undefined {
    return this.storms.filter((s) => this.inWindow(s, at)).at(-1);
  }

  /**
   * Whether a failure at `at` is within a storm's window: no more than `windowMs` before its first
   * member's first failure or after its last's. Both sides: results do not arrive in time order.
   */
  private inWindow(storm: StormState, at: number): boolean {
    return at >= firstAt(storm) - this.options.windowMs && at <= storm.lastAt + this.options.windowMs;
  }

  /**
   * Takes `members` into `storm`, and with them every node paging on its own (no failed ancestor,
   * in no storm) within its window as they widen it, so that a storm has the same members whatever
   * order their results arrived in. Each of them that paged on its own (before the storm was seen,
   * or before it was within reach of it, or resumed with its incident still open) is folded in: its
   * node_down is resolved as a duplicate of the storm. One page for the storm.
   */
  private grow(storm: StormState, members: readonly StormCandidate[], ctx: OutageContext, out: Map<number, Incident>): void {
    const adding = new Map<number, StormCandidate>();
    for (const m of members) if (!storm.members.has(m.id)) adding.set(m.id, m);
    if (adding.size === 0) return;
    const was = { lo: firstAt(storm), hi: storm.lastAt, empty: storm.members.size === 0 };
    let lo = was.lo;
    let hi = was.hi;
    for (const m of adding.values()) [lo, hi] = [Math.min(lo, m.since), Math.max(hi, m.since)];
    // the window moved: nodes that paged on their own within what it now reaches are members too
    // (a still window took them already; nodes failing but not down yet join as they go down)
    if (was.empty || lo < was.lo || hi > was.hi) {
      const w = this.options.windowMs;
      const pool = this.pagedAlone(ctx).filter((c) => !adding.has(c.id) && !storm.members.has(c.id));
      for (let grew = true; grew; ) {
        grew = false;
        for (const c of pool) {
          if (adding.has(c.id) || c.since < lo - w || c.since > hi + w) continue;
          adding.set(c.id, c);
          [lo, hi] = [Math.min(lo, c.since), Math.max(hi, c.since)];
          grew = true;
        }
      }
    }
    this.join(storm, [...adding.values()], out);
    for (const m of adding.values()) {
      const own = this.incidents.activeByKey(NODE_DOWN_RULE, m.key);
      if (!own) continue;
      // as of the failure that made it a member (its first in the storm's window), not when that was seen
      const r = this.incidents.act(own.id, { action: "resolve", reason: "duplicate" }, "vigil", {
        note: `part of a storm from ${iso(m.since)} (its first failed check in the storm's window): see incident ${storm.incidentId} (${storm.members.size} nodes down)`,
        resolvedAt: m.since,
      });
      if (r.ok) out.set(r.incident.id, r.incident);
    }
  }

  private join(storm: StormState, members: readonly StormCandidate[], out: Map<number, Incident>): void {
    const added: StormCandidate[] = [];
    for (const m of members) {
      if (storm.members.has(m.id)) continue;
      storm.members.set(m.id, { key: m.key, name: m.name, since: m.since, tags: m.tags, recovered_at: null, evidence_on: null, unreachable_since: null });
      storm.lastAt = Math.max(storm.lastAt, m.since);
      added.push(m);
    }
    if (added.length === 0) return;
    const list = [...storm.members.values()];
    this.describeStorm(storm, out);
    // the opening is always written; later joins, one note each when probes find them one by one,
    // only up to NOTE_CAP: past it the title, count and details.members say who is in it
    const opened = added.length === list.length;
    this.note(storm.incidentId, opened ? `${list.length} nodes down together: ${added.map((m) => m.name).join(", ")}` : `${added.map((m) => m.name).join(", ")} joined (${list.length} nodes)`, out, opened);
  }

  /**
   * Writes what the storm is now: its title and count (its members), its explanation, and its
   * details' members, common tags and removed members; the rest of its details kept (the nodes
   * unreachable behind its members: a join or a removal changes its members, nothing else).
   */
  private describeStorm(storm: StormState, out: Map<number, Incident>): void {
    const list = [...storm.members.values()];
    const tags = commonTags(list.map((m) => m.tags));
    const tagText = Object.keys(tags).length ? `they share ${Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(", ")}` : "they share no tag";
    const first = Math.min(...list.map((m) => m.since), ...storm.removed.map((m) => m.since));
    const gone = storm.removed.length ? `; ${storm.removed.length} removed since (details.removed)` : "";
    const current = this.incidents.work.get(storm.incidentId)?.details ?? {};
    const i = this.incidents.describe(storm.incidentId, {
      title: `${list.length} nodes down`,
      explanation: `${list.length} nodes failed within ${Math.round(this.options.windowMs / 1000)} s of each other with no failed parent in common (first at ${iso(first)}); ${tagText}${gone}`,
      details: {
        ...current,
        members: memberList(storm),
        common_tags: tags,
        unreachable: Array.isArray(current.unreachable) ? current.unreachable : [],
        unreachable_count: typeof current.unreachable_count === "number" ? current.unreachable_count : 0,
        ...(storm.removed.length ? { removed: removedList(storm) } : {}),
      },
      count: list.length,
      lastSeen: storm.lastAt,
    });
    if (i) out.set(i.id, i);
  }

  /** Writes the storm's members as they are now into its details (the rest of its details kept). */
  private describeMembers(storm: StormState, out: Map<number, Incident>): void {
    const current = this.incidents.work.get(storm.incidentId);
    const i = this.incidents.describe(storm.incidentId, { details: { ...(current?.details ?? {}), members: memberList(storm) } });
    if (i) out.set(i.id, i);
  }

  private candidate(node: OutageNode, since: number): StormCandidate {
    return { id: node.id, key: node.key, name: node.name, tags: node.tags, since };
  }

  /** Nodes paging on their own (failing, no failing ancestor, in no storm); the set is pruned of those no longer failing. */
  private pagedAlone(ctx: OutageContext): StormCandidate[] {
    const out: StormCandidate[] = [];
    for (const id of this.paged) {
      const n = ctx.get(id);
      const since = n ? failingSince(n) : null;
      if (!n || since === null) {
        this.paged.delete(id);
        continue;
      }
      if (this.stormOf(id) || this.ancestorFailing(n, ctx)) continue;
      out.push(this.candidate(n, since));
    }
    return out;
  }

  /**
   * Nodes failing now with no failing ancestor and in no storm, but `except`: from those the callers
   * said may be failing, pruned of those no longer failing (one unreachable is kept: failing behind
   * its parent, it is a candidate again once the parent is back, with no result of its own).
   */
  private failingAlone(ctx: OutageContext, except: number | null): StormCandidate[] {
    const out: StormCandidate[] = [];
    for (const id of this.failing) {
      if (id === except) continue;
      const n = ctx.get(id);
      const since = n ? failingSince(n) : null;
      if (!n || (since === null && n.status !== "unreachable")) {
        this.failing.delete(id);
        continue;
      }
      // a member of another storm is that storm's, not a new one's
      if (since === null || this.stormOf(id) || this.ancestorFailing(n, ctx)) continue;
      out.push(this.candidate(n, since));
    }
    return out;
  }

  private ancestorFailing(node: OutageNode, ctx: OutageContext): boolean {
    let id = node.parentId;
    for (let hops = 0; id !== null && hops < 64; hops++) {
      const p = ctx.get(id);
      if (!p) return false;
      if (p.status === "down" || p.status === "unreachable" || failingSince(p) !== null) return true;
      id = p.parentId;
    }
    return false;
  }

  /** The nearest ancestor's incident (its own node_down, or the storm it is in). */
  private ancestorIncident(node: OutageNode, ctx: OutageContext): Incident | null {
    let id = node.parentId;
    for (let hops = 0; id !== null && hops < 64; hops++) {
      const p = ctx.get(id);
      if (!p) return null;
      const found = this.incidentOf(p);
      if (found) return found;
      id = p.parentId;
    }
    return null;
  }

  private noteOn(incident: Incident | null, text: string, out: Map<number, Incident>): void {
    if (incident) this.note(incident.id, text, out);
  }

  /** A timeline note by Vigil; past NOTE_CAP per incident only `always` notes are written. */
  private note(id: number, text: string, out: Map<number, Incident>, always = false): void {
    const n = this.notes.get(id) ?? 0;
    if (n >= NOTE_CAP && !always) return;
    this.notes.set(id, n + 1);
    if (this.notes.size > 10_000) this.notes.clear();
    const r = this.incidents.act(id, { action: "note" }, "vigil", { note: text.slice(0, 2000) });
    if (r.ok) out.set(r.incident.id, r.incident);
  }
}
