import type Database from "better-sqlite3";
import type { VigilDb } from "../../db/client";
import { nodes } from "../../db/schema";
import type { Writer } from "../../db/statements";
import { listNodeRows, storedStatus, toNodeView } from "../../db/queries/network";
import { eq } from "drizzle-orm";
import { heartbeatInputSchema, type NodeStatus, type NormalizedHeartbeat } from "../../lib/contracts/network";
import type { NetworkDelta } from "../../lib/contracts/live";
import type { Severity } from "../../lib/contracts/common";
import { UserError } from "../auth/users";
import type { Clock } from "../clock";
import type { Hub } from "../live/hub";
import type { IncidentService } from "../incidents/service";
import type { Incident } from "../../lib/contracts/incidents";
import { DEFAULT_FAILURES_TO_DOWN, nextHealth, type NodeHealth } from "../detect/node-health";
import { FiguresStore, type RolledResult } from "../network/figures-store";
import { baselineFor, initialBaseline, nextGap, observeLatency, type BaselineState } from "../network/baseline";
import { anomalyReason, type AnomalyFacts } from "../network/check-health";
import { DEFAULT_STORM, NODE_STORM_RULE, Outages, recordAnomaly, resolveAnomaly, type OutageContext, type OutageNode, type StormOptions } from "../network/outages";
import { flapReason, overlayOf, type Health, type ParentStatus, type Transition } from "../network/status";
import { DEFAULT_FLAP, initialFlap, recordFlap, type FlapOptions, type FlapState } from "../network/flapping";
import { DEFAULT_TIME_WINDOW, timeWindowCheck, validateBatch, type IngestResult, type Rejection, type TimeWindow } from "./validate";

export const NODE_DOWN_RULE = "node_down";
/** Nodes a heartbeat may create (VIGIL_MAX_NODES); past it a heartbeat for a new key is refused. */
export const DEFAULT_MAX_NODES = 10_000;
/** Silent nodes the watchdog records per slice; it yields to the event loop between slices. */
export const WATCHDOG_SLICE = 100;

export interface NetworkIngestOptions {
  failuresToDown?: number;
  maxNodes?: number;
  window?: TimeWindow;
  /** the network service, which judges the heartbeats of the nodes it manages (config and API nodes) */
  delegate?: HeartbeatDelegate;
  /** roll-ups and status history, written in the ingest's transaction (default: its own on the same connection) */
  figures?: FiguresStore;
  /** nodes failing together that make one grouped incident (VIGIL_STORM_NODES, VIGIL_STORM_WINDOW_S) */
  storm?: Partial<StormOptions>;
  /** flap thresholds of nodes made by heartbeats (they have no checks to set them on); default 50/25 */
  flap?: FlapOptions;
}

/**
 * Where heartbeats for managed nodes go (server/network/service.ts), who hears of heartbeat nodes
 * changing status (its managed children follow), and who tells of managed nodes changing status
 * (their heartbeat children follow: the ingest listens from its construction on).
 */
export interface HeartbeatDelegate {
  owns(key: string): boolean;
  ingestHeartbeats(items: readonly NormalizedHeartbeat[], now: number): Map<string, { id: number; status: NodeStatus }>;
  parentsChanged(ids: readonly number[]): void;
  /** `listener` hears the ids of managed nodes whose status moved, after their change committed */
  onStatusMoved(listener: (ids: readonly number[]) => void): void;
  /** a managed node as the incident rules read it (a heartbeat node's ancestor), or undefined */
  outageView(id: number): OutageNode | undefined;
  /** a managed node as the status machine reads a parent (null while paused), or undefined when it is not one */
  parentStatus?(id: number): ParentStatus | null | undefined;
  /** where the service reads heartbeat nodes that are parents of its managed nodes (their own health under flapping included) */
  readHeartbeatParents?(read: (id: number) => ParentStatus | undefined): void;
  /** the ingest's incident rules, linked with the service's (a heartbeat node paused is an API node, still in the storm it failed in) */
  linkOutages?(outages: Outages): void;
}
export const WATCHDOG_SOURCE = "watchdog";

/** A node as the fleet defines it; `parent` names another node's key. */
export interface NodeDefinition {
  key: string;
  name: string;
  kind: string;
  parent?: string;
  critical?: boolean;
  degradedMs?: number;
  /** site, tier, owner, service… */
  tags?: Record<string, string>;
}

interface CachedNode extends NodeHealth {
  /** the status its heartbeats alone give (what `status` shows over it: unreachable, flapping) */
  base: Health;
  baseSince: number | null;
  /** evidence time of the shown status */
  since: number | null;
  /** its recent heartbeats, for flapping (learnt again after a restart) */
  flap: FlapState;
  /** time of the last check a sensor or probe reported (the watchdog's own do not count) */
  lastReportAt: number | null;
  id: number;
  key: string;
  name: string;
  critical: boolean;
  degradedMs: number | null;
  tags: Record<string, string>;
  parentId: number | null;
  /** time of the first failed heartbeat of the current failing run (dates its outage); after a restart, from what is stored (storedFailingSince) */
  failingSince?: number | null;
  /** its latency baseline (learnt again from the first samples after a restart) */
  latency?: LatencyTrack;
  /** evidence time of its newest heartbeat judged (unknown after a restart) */
  lastResultAt?: number | null;
  /** the reason its own newest heartbeat gave (what it says when its parent's return shows its own status again) */
  why?: string;
}

/** A heartbeat node's latency against its own recent baseline, as a managed node's checks have it. */
interface LatencyTrack {
  baseline: BaselineState;
  /** the newest sample's time: older ones arriving later are stored but not judged */
  sampleAt: number;
  /** the smoothed spacing of its samples, which picks the baseline's options (baselineFor) */
  gapMs: number | null;
  /** the anomaly it is in, as it started */
  anomaly: AnomalyFacts | null;
}

/**
 * Ingest of heartbeats (pushed or probed): validate, store each check and the node's new health
 * in one transaction, announce, then open, grow or resolve node-down incidents. Unknown node keys
 * are registered on first sight so a new sensor needs no setup.
 */
export class NetworkIngest {
  private readonly byKey = new Map<string, CachedNode>();
  private sweeping = false;
  private readonly figures: FiguresStore;
  /** node_down, storms and parents for nodes made by heartbeats: the same rules as managed nodes */
  private readonly outages: Outages;
  /** key by id, for the rules' context */
  private readonly keyById = new Map<number, string>();
  /** heartbeat nodes' keys by their parent's id */
  private readonly children = new Map<number, Set<string>>();
  private readonly parentRow: Database.Statement<[number], { status: string; status_since: number | null }>;
  private readonly firstFailure: Database.Statement<[number, number], { t: number | null }>;

  constructor(
    private readonly db: VigilDb,
    private readonly sqlite: Database.Database,
    private readonly writer: Writer,
    private readonly hub: Hub,
    private readonly incidents: IncidentService,
    private readonly clock: Clock,
    private readonly options: NetworkIngestOptions = {},
  ) {
    this.figures = options.figures ?? new FiguresStore(sqlite);
    this.parentRow = sqlite.prepare<[number], { status: string; status_since: number | null }>("SELECT status, status_since FROM nodes WHERE id = ?");
    // a failing run's first failed heartbeat: the first failure after its newest good one, by their own times
    this.firstFailure = sqlite.prepare<[number, number], { t: number | null }>(
      "SELECT min(time) AS t FROM heartbeats WHERE node_id = ? AND ok = 0 AND time > coalesce((SELECT max(time) FROM heartbeats WHERE node_id = ? AND ok = 1), -1e16)",
    );
    // nodes that reported before a restart get a full silence period to report again
    for (const row of listNodeRows(db)) this.cache(row, row.lastCheckAt === null ? null : clock.now());
    this.outages = new Outages(incidents, { ...DEFAULT_STORM, ...options.storm }, "heartbeat");
    this.outages.restore(this.context(new Map()));
    // a managed parent (probed, or judged from its own heartbeats) moving judges its heartbeat children again
    options.delegate?.onStatusMoved((ids) => this.parentsMoved(ids));
    options.delegate?.readHeartbeatParents?.((id) => this.parentStatusOf(id));
    options.delegate?.linkOutages?.(this.outages);
  }

  /**
   * How the incident rules see heartbeat nodes, as of `next` (the batch in progress) over the
   * cache. Nodes the network service manages are its own: they are seen (as the service sees them)
   * only as ancestors, so a heartbeat node behind a managed router is evidence on its incident.
   */
  private context(next: ReadonlyMap<string, CachedNode>): OutageContext {
    const owned = (key: string) => this.options.delegate?.owns(key) ?? false;
    const view = (n: CachedNode): OutageNode => ({
      id: n.id,
      key: n.key,
      name: n.name,
      critical: n.critical,
      tags: n.tags,
      status: n.status,
      parentId: n.parentId,
      paused: false,
      state: null,
      failures: n.consecutiveFailures,
      failing_since: n.status === "down" || n.consecutiveFailures > 0 ? (n.failingSince ?? null) : null,
    });
    return {
      get: (id) => {
        // a node made by this batch is in `next` only, until it commits
        let key = this.keyById.get(id);
        if (key === undefined) for (const n of next.values()) if (n.id === id) key = n.key;
        // a managed node (or one made since this started, never cached): as the service sees it
        if (key === undefined || owned(key)) return this.options.delegate?.outageView(id);
        const n = next.get(key) ?? this.byKey.get(key);
        return n ? view(n) : undefined;
      },
      managed: function* (this: NetworkIngest) {
        for (const [key, n] of this.byKey) if (!owned(key)) yield view(next.get(key) ?? n);
        for (const [key, n] of next) if (!this.byKey.has(key) && !owned(key)) yield view(n);
      }.bind(this),
    };
  }

  /**
   * Creates or updates nodes from definitions (the demo fleet, a config file). A parent is a node
   * of the same set (in any order) or one that exists; a set with a parent that is neither, a node
   * its own parent, or parents in a loop is refused whole, naming each problem, and changes
   * nothing: as the nodes file and /api/v1/nodes refuse them.
   */
  register(defs: readonly NodeDefinition[]): void {
    const ordered = this.registrable(defs);
    const changed: NetworkDelta[] = [];
    this.sqlite.transaction(() => {
      for (const def of ordered) {
        const parentId = def.parent ? this.idOfKey(def.parent.toLowerCase()) : null;
        const values = { name: def.name, kind: def.kind, parentId, critical: def.critical ?? false, degradedMs: def.degradedMs ?? null, tags: def.tags ?? {} };
        const row = this.db
          .insert(nodes)
          .values({ key: def.key.toLowerCase(), status: "pending", ...values })
          .onConflictDoUpdate({ target: nodes.key, set: values })
          .returning()
          .get();
        this.cache(row);
        changed.push({ type: "node", node: toNodeView(row) });
      }
    })();
    this.hub.publish("network", changed);
  }

  /** The definitions with every parent before its children, or a UserError naming what is wrong with them. */
  private registrable(defs: readonly NodeDefinition[]): NodeDefinition[] {
    const byKey = new Map<string, NodeDefinition>();
    const problems: string[] = [];
    for (const def of defs) {
      const key = def.key.toLowerCase();
      if (byKey.has(key)) problems.push(`node ${key} is defined twice`);
      else byKey.set(key, def);
    }
    const parentOf = (key: string): string | null => {
      const def = byKey.get(key);
      if (def) return def.parent?.toLowerCase() ?? null;
      const id = this.idOfKey(key);
      const parentId = id === null ? null : (this.db.select({ parentId: nodes.parentId }).from(nodes).where(eq(nodes.id, id)).get()?.parentId ?? null);
      return parentId === null ? null : (this.keyById.get(parentId) ?? this.db.select({ key: nodes.key }).from(nodes).where(eq(nodes.id, parentId)).get()?.key ?? null);
    };
    const looped = new Set<string>();
    for (const [key, def] of byKey) {
      const parent = def.parent?.toLowerCase();
      if (!parent || looped.has(key)) continue;
      if (parent === key) problems.push(`node ${key}: parent: a node cannot be its own parent`);
      else if (!byKey.has(parent) && this.idOfKey(parent) === null) problems.push(`node ${key}: parent: no node ${parent}`);
      else {
        // up from the parent, through the set and the stored tree: meeting the node again is a loop
        const path = [key];
        for (let at: string | null = parent, hops = 0; at !== null && hops < 10_000; at = parentOf(at), hops++) {
          path.push(at);
          if (at === key) {
            for (const k of path) looped.add(k);
            problems.push(`node ${key}: parent: parents form a loop: ${path.join(" → ")}`);
            break;
          }
        }
      }
    }
    if (problems.length) throw new UserError("invalid", `nodes not registered: ${problems.join("; ")}`);
    // parents first, so each one's id is known when its children are written
    const out: NodeDefinition[] = [];
    const placed = new Set<string>();
    const place = (key: string) => {
      if (placed.has(key)) return;
      placed.add(key);
      const def = byKey.get(key)!;
      const parent = def.parent?.toLowerCase();
      if (parent && byKey.has(parent)) place(parent);
      out.push(def);
    };
    for (const key of byKey.keys()) place(key);
    return out;
  }

  ingest(items: readonly unknown[], source: string, malformed: readonly Rejection[] = []): IngestResult {
    const window = this.options.window ?? DEFAULT_TIME_WINDOW;
    const checked = validateBatch(items, heartbeatInputSchema, malformed, timeWindowCheck(() => this.clock.now(), window));
    const { rejected } = checked;
    // heartbeats of nodes the network service manages are judged there, by the same status machine as its probes
    const delegate = this.options.delegate;
    const delegated = delegate ? checked.valid.filter((v) => delegate.owns(v.value.node)) : [];
    const valid = delegated.length ? checked.valid.filter((v) => !delegate!.owns(v.value.node)) : checked.valid;
    if (valid.length === 0 && delegated.length === 0) return rejected.result(0);
    const now = this.clock.now();
    // in time order (a stable sort: items without a time, or with the same one, keep the batch's
    // order): an agent that sends its buffer newest first still has its outage dated by the first
    // failure and ended by the first good heartbeat
    const ordered = valid.length > 1 ? [...valid].sort((a, b) => (a.value.time ?? now) - (b.value.time ?? now)) : valid;
    const w = this.writer;
    const deltas: NetworkDelta[] = [];
    const next = new Map<string, CachedNode>();
    const maxNodes = this.options.maxNodes ?? DEFAULT_MAX_NODES;
    const failuresToDown = this.options.failuresToDown ?? DEFAULT_FAILURES_TO_DOWN;
    let created = 0;
    let accepted = 0;

    // checks, node health and the incidents they open or resolve commit together
    const changed = this.sqlite.transaction(() => {
      // in time order, so a node that fails, recovers and fails again ends with an open incident
      const outcomes: (
        | { kind: "moved"; key: string; transition: Transition }
        | { kind: "failed_again"; key: string; at: number; runFrom?: number }
        | { kind: "anomaly"; node: CachedNode; at: number; facts: AnomalyFacts }
        | { kind: "anomaly_over"; node: CachedNode; at: number }
      )[] = [];
      const rolled: RolledResult[] = [];
      for (const { index, value: hb } of ordered) {
        let node = next.get(hb.node) ?? this.byKey.get(hb.node);
        if (!node) {
          if (this.byKey.size + created >= maxNodes) {
            rejected.add(index, `node: ${JSON.stringify(hb.node)} is not a known node and the node limit (VIGIL_MAX_NODES=${maxNodes}) is reached; register it or raise the limit`);
            continue;
          }
          created += 1;
          const row = this.db.insert(nodes).values({ key: hb.node, name: hb.node, kind: "server", status: "pending" }).returning().get();
          node = this.toCached(row);
          deltas.push({ type: "node", node: toNodeView(row) });
        }
        const time = hb.time ?? now;
        const latency = hb.latency_ms ?? null;
        const health = nextHealth({ status: node.base, consecutiveFailures: node.consecutiveFailures }, { ok: hb.ok, latencyMs: latency }, { failuresToDown, degradedMs: node.degradedMs });
        // latency far from the node's own baseline (no threshold needed): degraded, with its own incident
        const track = hb.ok && latency !== null ? judgeLatency(node.latency, time, latency) : node.latency;
        if (health.status === "up" && track?.anomaly) health.status = "degraded";
        w.insertHeartbeat.run(node.id, time, hb.ok ? 1 : 0, latency, hb.message ?? null);
        // a failure dated before the first of the current run, arriving after it (an agent's buffer):
        // the run starts at the earliest failure after its newest good heartbeat, as stored (this one included)
        const early = !hb.ok && node.failingSince != null && time < node.failingSince;
        const failingSince = hb.ok ? null : early ? Math.min(node.failingSince!, this.firstFailure.get(node.id, node.id)?.t ?? node.failingSince!) : (node.failingSince ?? time);
        // …and a node down since that run is down since its new first failure
        const movedBack = early && failingSince! < node.failingSince! && node.base === "down";
        // failing: a candidate for a storm's forming (an id only; rolled back, it is pruned when looked at)
        if (!hb.ok) this.outages.failingNow(node.id);
        const base = health.status as Health;
        // an outage is dated by the first failure of the run that took the node down, not the third
        const baseSince = base === node.base ? (movedBack && base === "down" ? Math.min(node.baseSince ?? failingSince!, failingSince!) : node.baseSince) : base === "down" ? Math.min(failingSince ?? time, time) : time;
        // a copy: the batch may roll back, and the cached history must then be as it was
        const flap = { ...node.flap, history: node.flap.history.slice() };
        const flapped = recordFlap(flap, hb.ok, this.options.flap ?? DEFAULT_FLAP);
        // the reason its own heartbeats give
        const why = hb.message ?? (hb.ok ? (track?.anomaly && !(node.degradedMs !== null && latency !== null && latency > node.degradedMs) ? anomalyReason(track.anomaly) : "slower than its threshold") : "a check failed");
        // unreachable while its parent is down, flapping while it changes too often: as managed nodes (status.ts)
        const shown = overlayOf({ base, base_since: baseSince, failing_since: failingSince, status: node.status, since: node.since, reason: node.status === "unreachable" ? "its parent is down" : null, flap, last_result_at: time }, this.parentOf(node, next));
        const status = shown?.status ?? base;
        const at = status === node.status ? (movedBack && status === "down" && !shown ? Math.min(node.since ?? baseSince!, baseSince!) : (node.since ?? time)) : status === "flapping" || flapped.stopped ? time : (shown?.at ?? baseSince ?? time);
        // why, as the status history records it: what the node's page and tile say beside the status
        const said = status === "up" ? null : (shown?.reason ?? why);
        w.updateNodeHealth.run({ status, failures: health.consecutiveFailures, latency, time, since: at, reason: said, id: node.id });
        rolled.push({ nodeId: node.id, time, ok: hb.ok, latency_ms: latency });
        // judged in arrival order, so a late heartbeat's change is recorded no earlier than the last one
        if (status !== node.status) this.figures.recordStatus(node.id, at, status, said, false);
        // down since earlier than it said: its outage in the status history starts there (nothing else
        // was recorded since, the node being down all along)
        else if (status === "down" && node.since !== null && at < node.since) {
          this.figures.recordStatus(node.id, at, status, said);
          this.db.update(nodes).set({ statusSince: at }).where(eq(nodes.id, node.id)).run();
        }
        // its latency_anomaly, as a managed node's (outages.ts, from its transitions): none opened or
        // ended while it flaps (flapping holds it; the track keeps the anomaly and the sample that
        // started it); once flapping ends into degraded by an anomaly that still lasts, opened as of
        // the heartbeat that ended flapping; one that ended under flapping opens nothing
        if (status === "flapping") {
          // held
        } else if (node.status === "flapping") {
          if (status === "degraded" && track?.anomaly) outcomes.push({ kind: "anomaly", node, at, facts: track.anomaly });
        } else if (track && track !== node.latency) {
          if (track.anomaly && !node.latency?.anomaly) outcomes.push({ kind: "anomaly", node, at: time, facts: track.anomaly });
          else if (!track.anomaly && node.latency?.anomaly) outcomes.push({ kind: "anomaly_over", node, at: time });
        }
        const reason = shown?.reason ?? hb.message ?? (hb.ok ? null : "a heartbeat reported a failure");
        if (status !== node.status) outcomes.push({ kind: "moved", key: hb.node, transition: { from: node.status, to: status, at, confirmed_at: time, reason: status === "down" || shown ? reason : null, base } });
        else if (status === "down" && !hb.ok) outcomes.push({ kind: "failed_again", key: hb.node, at: time, ...(movedBack ? { runFrom: failingSince! } : {}) });
        // receipt time, not the check's own: a sensor with a skewed clock is still reporting
        const lastReportAt = source === WATCHDOG_SOURCE ? node.lastReportAt : now;
        next.set(hb.node, { ...node, ...health, status, base, baseSince, since: at, flap, lastReportAt, failingSince, latency: supersede(track, node.status, status), lastResultAt: Math.max(time, node.lastResultAt ?? time), why });
        deltas.push({
          type: "heartbeat",
          node_id: node.id,
          status,
          check: { time, ok: hb.ok, latency_ms: latency, ...(hb.message ? { message: hb.message } : {}) },
          // a change of status says since when (a down node: its first failure of the run) and why
          ...(status !== node.status ? { since: at, ...(said ? { reason: said } : {}) } : {}),
        });
        accepted += 1;
      }
      this.figures.addResults(rolled);
      // children of nodes whose status moved are judged again, parents before children
      this.cascade(next, now, deltas, outcomes);
      const incidents: Incident[] = [];
      // the nodes as this batch leaves them: a storm's members are the ones failing together
      const ctx = this.context(next);
      const out = new Map<number, Incident>();
      for (const o of outcomes) {
        if (o.kind === "anomaly") {
          const opened = recordAnomaly(this.incidents, o.node, o.at, o.facts, null);
          if (opened) incidents.push(opened);
          continue;
        }
        if (o.kind === "anomaly_over") {
          // ended as of the first sample back within the baseline (after the hold-down), not when it arrived
          const resolved = resolveAnomaly(this.incidents, o.node.key, o.at);
          if (resolved) incidents.push(resolved);
          continue;
        }
        const node = ctx.get((next.get(o.key) ?? this.byKey.get(o.key))!.id);
        if (!node) continue;
        // down: its own node_down dated by the first failure, or a member of a storm, or held while
        // its parent fails; up again: resolved as of the first good heartbeat
        if (o.kind === "failed_again") this.outages.failedAgain(node, o.at, out, o.runFrom);
        // down: its own node_down (or a storm's member, or held while its parent fails); unreachable:
        // evidence on its parent's incident; flapping: a note; up again: resolved as of the first good heartbeat
        else this.outages.apply(node, [o.transition], ctx, out);
      }
      this.outages.settle(ctx, now, out);
      incidents.push(...out.values());
      return incidents;
    })();

    this.adopt(next, deltas, changed);
    if (delegate && delegated.length) {
      for (const [key, s] of delegate.ingestHeartbeats(delegated.map((v) => v.value), now)) {
        const cached = this.byKey.get(key);
        const lastReportAt = source === WATCHDOG_SOURCE ? (cached?.lastReportAt ?? null) : now;
        this.byKey.set(key, { ...(cached ?? { key, name: key, critical: false, degradedMs: null, consecutiveFailures: 0, tags: {}, parentId: null, base: "pending", baseSince: null, since: null, flap: initialFlap() }), id: s.id, status: s.status, lastReportAt });
        this.keyById.set(s.id, key);
      }
      accepted += delegated.length;
    }
    return rejected.result(accepted);
  }

  /**
   * Managed nodes (the network service's) whose status moved: their heartbeat children are judged
   * again at once, without a heartbeat of their own, as under a heartbeat parent: unreachable while
   * it is down (their own page folded into its incident), their own status when it is back (or
   * unreachable until their own next heartbeat, when their failures began while it was down).
   */
  parentsMoved(ids: readonly number[]): void {
    const roots = ids.filter((id) => (this.children.get(id)?.size ?? 0) > 0);
    if (roots.length === 0) return;
    const now = this.clock.now();
    const deltas: NetworkDelta[] = [];
    const next = new Map<string, CachedNode>();
    const changed = this.sqlite.transaction(() => {
      const outcomes: { kind: "moved"; key: string; transition: Transition }[] = [];
      this.cascade(next, now, deltas, outcomes, roots);
      const ctx = this.context(next);
      const out = new Map<number, Incident>();
      for (const o of outcomes) {
        const node = ctx.get(next.get(o.key)!.id);
        if (node) this.outages.apply(node, [o.transition], ctx, out);
      }
      this.outages.settle(ctx, now, out);
      return [...out.values()];
    })();
    this.adopt(next, deltas, changed);
  }

  /**
   * After a batch committed: the cache takes what it left, the change is announced, and the managed
   * children of heartbeat nodes whose status moved follow.
   */
  private adopt(next: ReadonlyMap<string, CachedNode>, deltas: NetworkDelta[], changed: readonly Incident[]): void {
    const moved: number[] = [];
    for (const [key, node] of next) {
      if (childrenFollow(this.byKey.get(key), node)) moved.push(node.id);
      this.byKey.set(key, node);
      this.keyById.set(node.id, key);
    }
    if (deltas.length) this.hub.publish("network", deltas);
    if (changed.length) this.hub.publish("incidents", changed.map((incident) => ({ type: "incident" as const, incident })));
    if (this.options.delegate && moved.length) this.options.delegate.parentsChanged(moved);
  }

  /**
   * A node that has reported before and then goes silent is failing too: each sweep past
   * `silenceMs` records a failed check for it through the normal ingest path, so three sweeps
   * take it down (and open its incident) and its next real heartbeat brings it back. It works
   * in slices of `sliceSize` nodes and never overlaps itself.
   */
  async sweepSilent(silenceMs: number, sliceSize = WATCHDOG_SLICE): Promise<{ accepted: number }> {
    if (this.sweeping) return { accepted: 0 };
    this.sweeping = true;
    try {
      const now = this.clock.now();
      const silent: CachedNode[] = [];
      for (const n of this.byKey.values()) if (this.sweepable(n) && now - this.silentFrom(n) > silenceMs) silent.push(n);
      let accepted = 0;
      // in slices, yielding between them: 100,000 silent nodes must not hold the event loop
      for (let i = 0; i < silent.length; i += sliceSize) {
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        const at = this.clock.now();
        const items = silent
          .slice(i, i + sliceSize)
          .map((n) => this.byKey.get(n.key)!)
          .filter((n) => n && this.sweepable(n) && at - this.silentFrom(n) > silenceMs)
          .map((n) => ({ node: n.key, ok: false, time: at, message: `no heartbeat for ${Math.round((at - n.lastReportAt!) / 1000)} s` }));
        if (items.length) accepted += this.ingest(items, WATCHDOG_SOURCE).accepted;
      }
      return { accepted };
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * Since when a node counts as silent: its last report, or, for a node held unreachable, its
   * parent's return when that is later (its heartbeats could not get through while the parent was
   * down; it gets the whole silence after the return to report before it pages on its own account).
   * Infinity for a node that has never reported.
   */
  private silentFrom(n: CachedNode): number {
    if (n.lastReportAt === null) return Infinity;
    if (n.status !== "unreachable") return n.lastReportAt;
    const parent = this.parentOf(n, new Map());
    return Math.max(n.lastReportAt, parent?.since ?? -Infinity);
  }

  /**
   * Whether the watchdog records a silent node's missing heartbeats: not once it is down (it stays
   * down), nor while its parent is down (unreachable; once the parent is back, its silence counts)
   * or it is paused (pending, for a managed node).
   */
  private sweepable(n: CachedNode): boolean {
    if (n.status === "unreachable") {
      const parent = this.parentOf(n, new Map());
      return parent !== null && parent.status !== "down" && parent.status !== "unreachable";
    }
    return n.status !== "down" && n.status !== "pending";
  }

  /**
   * Forgets a node that was deleted (its key may come back with a new heartbeat, as a new node).
   * Its heartbeat children have no parent now (their rows say so): judged again on their own at
   * once, not held unreachable by a node that no longer exists.
   */
  forget(key: string, id?: number): void {
    const node = this.byKey.get(key);
    this.byKey.delete(key);
    if (node) {
      this.keyById.delete(node.id);
      if (node.parentId !== null) this.children.get(node.parentId)?.delete(key);
      this.outages.forget(node.id);
    }
    // a managed node that never sent a heartbeat is not cached here, yet may be a heartbeat node's parent
    const gone = node?.id ?? id;
    if (gone === undefined) return;
    // its row is gone: parentOf finds no parent for them
    this.parentsMoved([gone]);
    for (const child of this.children.get(gone) ?? []) {
      const cached = this.byKey.get(child);
      if (cached) this.byKey.set(child, { ...cached, parentId: null });
    }
    this.children.delete(gone);
  }

  nodeCount(): number {
    return this.byKey.size;
  }

  private toCached(row: typeof nodes.$inferSelect, lastReportAt: number | null = null): CachedNode {
    const failingSince = this.storedFailingSince(row);
    return {
      id: row.id,
      key: row.key,
      name: row.name,
      critical: row.critical,
      degradedMs: row.degradedMs,
      tags: row.tags ?? {},
      parentId: row.parentId,
      status: row.status,
      base: baseOf(row.status, row.consecutiveFailures, this.options.failuresToDown ?? DEFAULT_FAILURES_TO_DOWN),
      // shown unreachable or flapping over failures of its own: those date its own health (its status
      // time is the overlay's), so a node failing before its parent went down is down since its own
      // first failure once the parent is back, after a restart as before it
      baseSince: (row.status === "unreachable" || row.status === "flapping") && row.consecutiveFailures > 0 ? (failingSince ?? row.statusSince) : row.statusSince,
      since: row.statusSince,
      flap: initialFlap(),
      consecutiveFailures: row.consecutiveFailures,
      lastReportAt,
      failingSince,
    };
  }

  /**
   * A node's first failed heartbeat of its failing run as it was stored (after a restart; null when it
   * is not failing): its status time when it is down (its outage is dated by it), else its first
   * failed heartbeat after its newest good one (failing, not down yet; or unreachable, or flapping,
   * whose status time is not its own first failure). Without it a node down before a restart would
   * read as failing since 0, outside every storm's window, and its next failure would date its run.
   */
  private storedFailingSince(row: typeof nodes.$inferSelect): number | null {
    if (row.status === "down" && row.statusSince !== null) return row.statusSince;
    if (row.consecutiveFailures === 0 && row.status !== "down") return null;
    return this.firstFailure.get(row.id, row.id)?.t ?? row.statusSince ?? null;
  }

  private cache(row: typeof nodes.$inferSelect, lastReportAt: number | null = this.byKey.get(row.key)?.lastReportAt ?? null): void {
    const before = this.byKey.get(row.key);
    if (before?.parentId != null) this.children.get(before.parentId)?.delete(row.key);
    // a node registered again keeps what its heartbeats taught (flap history, latency baseline)
    this.byKey.set(row.key, { ...this.toCached(row, lastReportAt), ...(before ? { flap: before.flap, latency: before.latency, failingSince: before.failingSince, base: before.base, baseSince: before.baseSince, lastResultAt: before.lastResultAt, why: before.why } : {}) });
    this.keyById.set(row.id, row.key);
    if (row.parentId !== null) (this.children.get(row.parentId) ?? this.children.set(row.parentId, new Set()).get(row.parentId)!).add(row.key);
  }

  /** Its parent as the status rules read it: a heartbeat node from the cache (or this batch), a managed one from its row. */
  private parentOf(node: CachedNode, next: ReadonlyMap<string, CachedNode>): ParentStatus | null {
    if (node.parentId === null) return null;
    const key = this.keyById.get(node.parentId);
    const owned = key !== undefined && (this.options.delegate?.owns(key) ?? false);
    const p = key === undefined || owned ? undefined : (next.get(key) ?? this.byKey.get(key));
    if (p) return { status: p.status, base: p.base, since: p.since, base_since: p.baseSince };
    // a managed parent as the service judges it (its checks' own health under flapping included)
    const managed = owned ? this.options.delegate?.parentStatus?.(node.parentId) : undefined;
    if (managed !== undefined) return managed;
    const row = this.parentRow.get(node.parentId);
    return row ? { status: storedStatus(row.status), since: row.status_since } : null;
  }

  /**
   * Whether a storm of heartbeat nodes waits only on people: its members not back are all paused
   * (pausing one makes it an API node) or resumed with no result yet. From memory, no query.
   */
  escalationHeld(incident: Pick<Incident, "id" | "rule">): boolean {
    return incident.rule === NODE_STORM_RULE && this.outages.stormWaiting(incident.id, this.context(new Map()));
  }

  /** A heartbeat node as the status machine reads a parent (for the service, whose managed nodes may be its children), or undefined when it is not one of these. */
  parentStatusOf(id: number): ParentStatus | undefined {
    const key = this.keyById.get(id);
    if (key === undefined || this.options.delegate?.owns(key)) return undefined;
    const n = this.byKey.get(key);
    return n ? { status: n.status, base: n.base, since: n.since, base_since: n.baseSince } : undefined;
  }

  /** A node's id by its key: from the cache, else from its row (a config or API node made since this started). */
  private idOfKey(key: string): number | null {
    const cached = this.byKey.get(key)?.id;
    if (cached !== undefined) return cached;
    return this.db.select({ id: nodes.id }).from(nodes).where(eq(nodes.key, key)).get()?.id ?? null;
  }

  /**
   * Heartbeat children of the nodes this batch moved (or of `roots`, managed nodes that moved):
   * judged again without a result (unreachable when their parent went down, their own status when
   * it came back), parents before children.
   */
  private cascade(next: Map<string, CachedNode>, now: number, deltas: NetworkDelta[], outcomes: { push(o: { kind: "moved"; key: string; transition: Transition }): unknown }, roots?: readonly number[]): void {
    const queue = roots ? [...roots] : [...next.values()].filter((n) => childrenFollow(this.byKey.get(n.key), n)).map((n) => n.id);
    // children judged here (each once). Not the roots: a node this batch moved may be the child of
    // another it moved (a child and its parent failing in one batch, the child down first), and is
    // judged again under its parent as the batch leaves it (unreachable, not down)
    const seen = new Set<number>();
    while (queue.length) {
      const parentId = queue.shift()!;
      for (const key of this.children.get(parentId) ?? []) {
        const child = next.get(key) ?? this.byKey.get(key);
        if (!child || seen.has(child.id) || this.options.delegate?.owns(key)) continue;
        const shown = overlayOf({ base: child.base, base_since: child.baseSince, failing_since: child.consecutiveFailures > 0 ? (child.failingSince ?? child.baseSince ?? now) : null, status: child.status, since: child.since, reason: child.status === "unreachable" ? "its parent is down" : null, flap: child.flap, last_result_at: child.lastResultAt ?? null }, this.parentOf(child, next));
        const status = shown?.status ?? child.base;
        if (status === child.status) continue;
        const at = shown?.at ?? child.baseSince ?? now;
        // shown again on its own account: what its own heartbeats last said
        const own = status === "up" || status === "pending" ? null : (child.why ?? (status === "down" ? "a check failed" : null));
        const reason = shown?.reason ?? own;
        const row = this.db.update(nodes).set({ status, statusSince: at, statusReason: status === "up" ? null : reason }).where(eq(nodes.id, child.id)).returning().get();
        this.figures.recordStatus(child.id, at, status, status === "up" ? null : reason, false);
        next.set(key, { ...child, status, since: at, latency: supersede(child.latency, child.status, status) });
        if (row) deltas.push({ type: "node", node: toNodeView(row) });
        outcomes.push({ kind: "moved", key, transition: { from: child.status, to: status, at, confirmed_at: now, reason, base: child.base } });
        seen.add(child.id);
        queue.push(child.id);
      }
    }
  }
}

/**
 * A heartbeat node's latency track after one passing sample at `time`: a new object when the
 * sample is judged (the same one when it is older than the newest judged, arriving late).
 * Options follow the spacing of the node's samples: 5-minute points are judged as the baseline was
 * tuned on them, heartbeats every 30 s as probes are.
 */
function judgeLatency(track: LatencyTrack | undefined, time: number, latency: number): LatencyTrack | undefined {
  if (track && time <= track.sampleAt) return track;
  const gapMs = track ? nextGap(track.gapMs, time - track.sampleAt) : null;
  // a copy: the batch may roll back, and the cached track must then be as it was
  const baseline = track ? { ...track.baseline, samples: track.baseline.samples.slice() } : initialBaseline();
  const verdict = observeLatency(baseline, latency, baselineFor(gapMs));
  let anomaly = track?.anomaly ?? null;
  if (verdict.anomalous && verdict.median !== null && (verdict.started || !anomaly)) {
    anomaly = { value_ms: verdict.value, median_ms: verdict.median, mad_ms: verdict.mad!, score: verdict.score!, window: verdict.samples };
  } else if (!verdict.anomalous) anomaly = null;
  return { baseline, sampleAt: time, gapMs, anomaly };
}


/**
 * A heartbeat node's latency track once its status moved from `from` to `to`: going down or
 * unreachable ends its anomaly (resolved as superseded, outages.ts), so the track forgets it, and a
 * node back still far from its baseline opens a new one at that sample. Flapping does not: an open
 * anomaly is resolved as superseded (outages.ts), but the track keeps the anomaly it is in, held
 * until flapping ends (opened then if it still lasts), as a managed node's check keeps its own.
 */
function supersede(track: LatencyTrack | undefined, from: NodeStatus, to: NodeStatus): LatencyTrack | undefined {
  return track?.anomaly && from !== to && (to === "down" || to === "unreachable") ? { ...track, anomaly: null } : track;
}

/**
 * Whether a node's children are judged again after it moved from `before` to `after`: its status
 * changed, or its heartbeats went down under flapping (its failing children are unreachable at
 * once, as under any parent going down; coming back under flapping, they wait for their own next
 * heartbeat, as after any parent's return).
 */
function childrenFollow(before: Pick<CachedNode, "status" | "base"> | undefined, after: Pick<CachedNode, "status" | "base">): boolean {
  return before?.status !== after.status || (after.base === "down" && before.base !== "down");
}

/** A heartbeat node's own health from its row, after a restart (its shown status may be an overlay). */
function baseOf(status: NodeStatus, failures: number, failuresToDown: number): Health {
  if (status === "up" || status === "degraded" || status === "down" || status === "pending") return status;
  return failures === 0 ? "up" : failures >= failuresToDown ? "down" : "degraded";
}
