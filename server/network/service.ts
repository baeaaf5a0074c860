// The network domain's service: runs the checks of the nodes defined in the config file or over
// the API (CheckScheduler), stores every result, moves each node's status with the status
// machine (parents before children), announces the change, and turns transitions into
// incidents (outages.ts). Pushed heartbeats for these nodes come here too, as results of a
// "heartbeat" check; nodes made by heartbeats alone stay with the ingest (server/ingest/network.ts).
import type Database from "better-sqlite3";
import type { VigilDb } from "../../db/client";
import { toNodeView } from "../../db/queries/network";
import type { Incident } from "../../lib/contracts/incidents";
import type { DeltaCheck, NetworkDelta } from "../../lib/contracts/live";
import type { NodeStatus } from "../../lib/contracts/network";
import type { Clock } from "../clock";
import type { IncidentService } from "../incidents/service";
import type { Hub } from "../live/hub";
import type { CheckEnv } from "./checks/check";
import type { PingOptions } from "./checks/icmp";
import { createCheck, PushMonitor, type PushInput } from "./checks";
import { HEARTBEAT_CHECK, type LiveCheck, type LiveNode } from "./model";
import { DEFAULT_STORM, LATENCY_ANOMALY_RULE, NODE_DOWN_RULE, NODE_STORM_RULE, Outages, waiting, type OutageNode, type StormOptions } from "./outages";
import { LiveNodes } from "./live-nodes";
import { CheckScheduler, type CheckRun, type SchedulerStats, type Timers } from "./scheduler";
import { evaluateNode, initialNodeState, withoutChecks, type Evaluation, type ParentStatus, type StatusResult } from "./status";
import { NetworkStore } from "./store";
import { FiguresStore } from "./figures-store";

export interface NetworkServiceOptions {
  /** the scheduler's clock and timers (tests move them by hand); default: the system's */
  timers?: Timers;
  /** probes in flight at once (VIGIL_PROBE_CONCURRENCY, default 64) */
  concurrency?: number;
  storm?: Partial<StormOptions>;
  checkEnv?: CheckEnv;
  ping?: PingOptions;
  /** how often nodes with maintenance windows are looked at without a result (default 30 s) */
  maintenanceTickMs?: number;
  log?: (level: "info" | "warn" | "error", message: string, detail?: Record<string, unknown>) => void;
  /** roll-ups and status history, written in the transaction that stores the results (default: its own on the same connection) */
  figures?: FiguresStore;
}

/** A result on its way to the status machine and the heartbeats table. */
interface Arrival {
  result: StatusResult;
  checkId: number | null;
  message: string | null;
  /** a push check's push arrived at this time (not a missed push) */
  pushedAt?: number;
}

/** A pushed heartbeat for a node the service manages (POST /api/v1/heartbeats). */
export interface ManagedHeartbeat {
  node: string;
  ok: boolean;
  latency_ms?: number;
  time?: number;
  message?: string;
}

export class NetworkService {
  private readonly nodes: LiveNodes;
  private readonly bySched = new Map<string, { node: LiveNode; check: LiveCheck }>();
  private readonly scheduler: CheckScheduler;
  readonly outages: Outages;
  readonly store: NetworkStore;
  readonly figures: FiguresStore;
  readonly timers: Timers;
  private tick: unknown = null;
  private running = false;
  /** checks that said they cannot run here (logged once each) */
  private readonly unrunnable = new Set<string>();
  /** managed nodes whose status moved in changes not yet announced */
  private readonly moved = new Set<number>();
  /** who hears of them (the ingest: heartbeat nodes whose parent is a managed node follow it) */
  private readonly movedListeners: ((ids: readonly number[]) => void)[] = [];
  /**
   * While a heartbeat batch is judged (ingestHeartbeats): the incident rules for its nodes'
   * transitions, in the order they happened, run once every node of the batch has been evaluated,
   * so that they read the nodes as the batch leaves them (a storm's members are the ones failing
   * together). Null otherwise: the rules run as each node is judged.
   */
  private deferred: (() => void)[] | null = null;

  constructor(
    private readonly db: VigilDb,
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
    private readonly hub: Hub,
    private readonly incidents: IncidentService,
    private readonly options: NetworkServiceOptions = {},
  ) {
    this.timers = options.timers ?? { now: () => clock.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.scheduler = new CheckScheduler({ onResult: (run) => this.onResult(run), timers: this.timers, concurrency: options.concurrency });
    this.outages = new Outages(incidents, { ...DEFAULT_STORM, ...options.storm });
    this.store = new NetworkStore(db, sqlite);
    this.figures = options.figures ?? new FiguresStore(sqlite);
    this.nodes = new LiveNodes(this.store);
  }

  // --- lifecycle ---

  /** Starts the checks (and the maintenance tick). Nodes installed before run from here on. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.outages.restore(this.nodes.context());
    this.scheduler.start();
    this.armTick();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.tick !== null) this.timers.clearTimeout(this.tick);
    this.tick = null;
    await this.scheduler.stop();
  }

  stats(): SchedulerStats & { nodes: number } {
    return { ...this.scheduler.stats(), nodes: this.nodes.size };
  }

  // --- what it manages ---

  get(id: number): LiveNode | undefined {
    return this.nodes.get(id);
  }

  getByKey(key: string): LiveNode | undefined {
    return this.nodes.key(key);
  }

  all(): IterableIterator<LiveNode> {
    return this.nodes.values();
  }

  /** `listener` hears the ids of managed nodes whose status moved, once each change has committed and been announced. */
  onStatusMoved(listener: (ids: readonly number[]) => void): void {
    this.movedListeners.push(listener);
  }

  /** A managed node as the incident rules read it (for the ingest, whose heartbeat nodes may have it as an ancestor). */
  outageView(id: number): OutageNode | undefined {
    const node = this.nodes.get(id);
    return node ? this.nodes.view(node) : undefined;
  }

  /** A managed node as the status machine reads a parent (null while paused; undefined: not managed here), for the ingest's heartbeat children. */
  parentStatus(id: number): ParentStatus | null | undefined {
    const node = this.nodes.get(id);
    if (!node) return undefined;
    return node.paused ? null : { status: node.state.status, base: node.state.base, since: node.state.since, base_since: node.state.base_since };
  }

  /**
   * The ingest's incident rules (nodes made by heartbeats): linked with this one's, so that a node
   * that was one of theirs (paused, it is an API node) is still the member of the storm it failed
   * in, whose timeline hears of its pause, its resume and its return; and a parent of either kind
   * in a storm of its own kind carries its children's outages.
   */
  linkOutages(peer: Outages): void {
    this.outages.link(peer);
  }

  /** Where heartbeat nodes that are parents of managed nodes are read (the ingest's cache: their own health under flapping included). */
  readHeartbeatParents(read: (id: number) => ParentStatus | undefined): void {
    this.nodes.readExternal(read);
  }

  /**
   * Whether an open incident of these nodes waits only on people who paused them, so that its
   * escalation stands still: a node's own incident (`node_down`, `latency_anomaly`) while the node
   * is paused, or resumed with no result yet; a storm while every member not back is (a storm with
   * a member failing on its own account goes on). A resumed node that fails again, or a member of
   * it, ends the wait (its incident says so: outages.ts). Answers from memory, no query.
   */
  escalationHeld(incident: Pick<Incident, "id" | "rule" | "entity">): boolean {
    if (incident.rule === NODE_DOWN_RULE || incident.rule === LATENCY_ANOMALY_RULE) {
      const node = this.nodes.key(incident.entity);
      return node !== undefined && waiting(this.nodes.view(node));
    }
    if (incident.rule === NODE_STORM_RULE) return this.outages.stormWaiting(incident.id, this.nodes.context());
    return false;
  }

  /** Whether heartbeats for this key are judged here (a node defined in the file or over the API). */
  owns(key: string): boolean {
    return this.nodes.key(key) !== undefined;
  }

  /**
   * Takes a node (new or redefined) into the service and schedules its enabled checks. The state
   * tracks of checks it no longer runs (disabled, or gone from its definition) are dropped and the
   * node is judged again at once from the rest: a check that was failing or flapping must not keep
   * it down or flapping once it is disabled or removed. Its heartbeat check is not a defined one
   * and stays.
   */
  install(node: LiveNode): void {
    const previous = this.nodes.get(node.id);
    if (previous) this.unschedule(previous);
    this.nodes.set(node);
    for (const c of node.checks) this.bySched.set(c.schedId, { node, check: c });
    if (node.paused) return;
    this.schedule(node);
    const running = new Set(node.checks.filter((c) => c.enabled).map((c) => c.name));
    this.dropChecks(node, (name) => name === HEARTBEAT_CHECK || running.has(name));
  }

  /** Forgets the tracks of a node's checks that `keep` does not name, and stores, announces and pages what the node shows without them. */
  private dropChecks(node: LiveNode, keep: (name: string) => boolean): void {
    const now = this.timers.now();
    const ev = withoutChecks(node.state, keep, { now, parent: this.nodes.parentStatus(node) });
    if (ev.state === node.state) return;
    const deltas: NetworkDelta[] = [];
    const incidents = new Map<number, Incident>();
    this.sqlite.transaction(() => {
      const changed = this.take(node, ev, [], now, incidents, true);
      deltas.push(this.nodeDelta(node.id));
      if (changed) this.cascade(node.id, deltas, incidents);
      this.outages.settle(this.nodes.context(), now, incidents);
    })();
    this.announce(deltas, incidents);
  }

  /**
   * Stops a node's checks and forgets it (deleted, or no longer defined by the file; `why` says so);
   * its children lose their parent. A member of an open storm (its own kind's or, for a node made
   * by heartbeats, the ingest's) leaves it first, the storm saying so and no longer waiting for it.
   */
  uninstall(id: number, why?: string): void {
    const node = this.nodes.get(id);
    if (node) this.unschedule(node);
    const incidents = new Map<number, Incident>();
    this.sqlite.transaction(() => this.outages.removed(id, this.timers.now(), why, incidents))();
    if (node) this.outages.forget(id);
    this.announce([], incidents);
    // a deleted heartbeat node (not one of ours) may still be the parent of managed nodes
    const orphans = this.nodes.delete(id);
    for (const child of orphans) if (!child.paused) this.commit(child, []);
  }

  /**
   * Pauses or resumes a node: no checks run while paused, its status is pending ("paused") and
   * its heartbeats are stored without being judged; it starts afresh when resumed.
   */
  setPaused(node: LiveNode, paused: boolean): void {
    const deltas: NetworkDelta[] = [];
    const incidents = new Map<number, Incident>();
    // asked of the node as it was (its storm, if any, forgets it below)
    const outage = paused && !node.paused ? this.outages.incidentOf(this.nodes.view(node)) : null;
    node.paused = paused;
    node.state = initialNodeState();
    if (paused) {
      this.unschedule(node);
      this.outages.paused(node.id);
    } else {
      this.schedule(node);
      this.outages.resumed(this.nodes.view(node));
    }
    this.moved.add(node.id);
    this.sqlite.transaction(() => {
      if (outage) this.outages.pausedOn(outage.id, node.name, this.timers.now(), incidents);
      this.store.saveStatus(node.id, { status: "pending", since: null, reason: paused ? "paused" : null, state: node.state, consecutiveFailures: 0 });
      this.figures.recordStatus(node.id, this.timers.now(), "pending", paused ? "paused" : null, false);
      deltas.push(this.nodeDelta(node.id));
      this.cascade(node.id, deltas, incidents);
      this.outages.settle(this.nodes.context(), this.timers.now(), incidents);
    })();
    this.announce(deltas, incidents);
  }

  /** Runs a node's enabled checks, their results coming back to it (unschedule forgets both: a resumed node is scheduled again here). */
  private schedule(node: LiveNode): void {
    for (const c of node.checks) {
      this.bySched.set(c.schedId, { node, check: c });
      if (!c.enabled) continue;
      try {
        if (c.spec.type === "push") {
          if (!c.tokenHash) continue;
          // the scheduler holds the token's hash as the token: the push route hashes what it is given
          this.scheduler.add({ id: c.schedId, push: new PushMonitor(c.schedId, { token: c.tokenHash, interval_ms: c.spec.interval_ms, grace_ms: c.spec.grace_ms }, this.timers.now(), c.lastPushAt) });
        } else {
          this.scheduler.add({ id: c.schedId, interval_ms: c.spec.interval_ms, timeout_ms: c.spec.timeout_ms, check: createCheck(c.spec, this.options.checkEnv, this.options.ping)! });
        }
      } catch (error) {
        this.options.log?.("error", `check ${c.schedId} cannot run: ${(error as Error).message}`);
      }
    }
  }

  /** Removes a node's checks from the scheduler (a run in flight is dropped). */
  private unschedule(node: LiveNode): void {
    for (const c of node.checks) {
      this.bySched.delete(c.schedId);
      this.scheduler.remove(c.schedId);
    }
  }

  /** A node that no longer exists: its open node incidents are resolved now, saying why. */
  resolveOutages(key: string, note: string): void {
    const incidents = new Map<number, Incident>();
    this.sqlite.transaction(() => {
      for (const rule of [NODE_DOWN_RULE, LATENCY_ANOMALY_RULE]) {
        const i = this.incidents.resolveByKey(rule, key, note);
        if (i) incidents.set(i.id, i);
      }
      this.outages.settle(this.nodes.context(), this.timers.now(), incidents);
    })();
    this.announce([], incidents);
  }

  // --- results ---

  private onResult(run: CheckRun): void {
    const ref = this.bySched.get(run.check_id);
    if (!ref) return;
    const { result } = run;
    // the prober may not send ICMP (or has no ping): that says nothing about the target
    if (result.details?.icmp_unavailable === true) return this.cannotRun(ref.node, ref.check, result.error ?? "ICMP not available");
    const message = result.warning ?? (typeof result.details.message === "string" ? result.details.message : null);
    // a push's time is kept with its result, so a restart or a redefinition keeps the check's deadline
    if (run.pushed) ref.check.lastPushAt = Math.max(ref.check.lastPushAt ?? run.started_at, run.started_at);
    this.commit(ref.node, [
      {
        result: { check_id: ref.check.name, time: run.started_at, ok: result.ok, latency_ms: result.latency_ms, error: result.error },
        checkId: ref.check.id,
        message,
        pushedAt: run.pushed ? run.started_at : undefined,
      },
    ]);
  }

  /**
   * A check Vigil itself cannot run here (ICMP not permitted to this process, no ping program):
   * not a failed check of the target, so it is neither stored as one nor judged, and pages
   * nobody. Logged once per check; a node with no other evidence stays pending and says why.
   */
  private cannotRun(node: LiveNode, check: LiveCheck, error: string): void {
    if (!this.unrunnable.has(check.schedId)) {
      this.unrunnable.add(check.schedId);
      this.options.log?.("warn", `check ${check.schedId} cannot run here: ${error}`);
    }
    if (node.paused || node.state.status !== "pending" || node.state.reason === error) return;
    node.state = { ...node.state, reason: error };
    this.store.saveStatus(node.id, { status: "pending", since: node.state.since, reason: error, state: node.state, consecutiveFailures: 0 });
    this.announce([this.nodeDelta(node.id)], new Map());
  }

  /**
   * A push arrived on /api/v1/push/:token. The token is hashed here and looked up by its hash;
   * answers the node and check it belongs to, or null for an unknown token (or a paused node).
   */
  recordPush(tokenHash: string, input?: PushInput): { node: string; check: string } | null {
    const hit = this.scheduler.recordPush(tokenHash, this.timers.now(), input);
    if (!hit) return null;
    const ref = this.bySched.get(hit.check_id);
    return ref ? { node: ref.node.key, check: ref.check.name } : null;
  }

  /**
   * Heartbeats for managed nodes: stored as results of their "heartbeat" check and judged by the
   * same status machine as the probes. Answers each node's status after its heartbeats.
   *
   * One batch is one judgement, as for nodes made by heartbeats (server/ingest/network.ts): its
   * nodes are stored and evaluated in one transaction, and only then are their transitions turned
   * into incidents, in order, reading every node as the batch leaves it, the storms settled once;
   * then it is announced once. Five nodes a batch takes down together open one storm, and none of
   * them a node_down of its own first (which would be paged, then folded in).
   */
  ingestHeartbeats(items: readonly ManagedHeartbeat[], now: number): Map<string, { id: number; status: NodeStatus }> {
    const byNode = new Map<LiveNode, Arrival[]>();
    for (const hb of items) {
      const node = this.nodes.key(hb.node);
      if (!node) continue;
      const ok = hb.ok;
      const arrival: Arrival = {
        result: { check_id: HEARTBEAT_CHECK, time: hb.time ?? now, ok, latency_ms: hb.latency_ms ?? null, error: ok ? undefined : (hb.message ?? "the heartbeat reported a failure") },
        checkId: null,
        message: hb.message ?? null,
      };
      (byNode.get(node) ?? byNode.set(node, []).get(node)!).push(arrival);
    }
    const out = new Map<string, { id: number; status: NodeStatus }>();
    if (byNode.size === 0) return out;
    const deltas: NetworkDelta[] = [];
    const incidents = new Map<number, Incident>();
    const at = this.timers.now();
    this.sqlite.transaction(() => {
      const rules: (() => void)[] = [];
      this.deferred = rules;
      try {
        for (const [node, arrivals] of byNode) {
          this.judgeArrivals(node, arrivals, at, deltas, incidents);
          out.set(node.key, { id: node.id, status: this.nodes.statusOf(node) });
        }
      } finally {
        this.deferred = null;
      }
      for (const rule of rules) rule();
      this.outages.settle(this.nodes.context(), at, incidents);
    })();
    this.announce(deltas, incidents);
    return out;
  }

  /** Nodes the ingest judges (heartbeat nodes) changed status: their managed children follow. */
  parentsChanged(ids: readonly number[]): void {
    for (const id of ids) {
      if (this.nodes.childrenOf(id).length === 0) continue;
      const deltas: NetworkDelta[] = [];
      const incidents = new Map<number, Incident>();
      this.sqlite.transaction(() => {
        this.cascade(id, deltas, incidents);
        this.outages.settle(this.nodes.context(), this.timers.now(), incidents);
      })();
      this.announce(deltas, incidents);
    }
  }

  /** Evaluates a node after `arrivals` (none: the passing of time, a pause), its children after it; stores, announces, pages. */
  commit(node: LiveNode, arrivals: readonly Arrival[]): void {
    const deltas: NetworkDelta[] = [];
    const incidents = new Map<number, Incident>();
    const now = this.timers.now();
    this.sqlite.transaction(() => {
      this.judgeArrivals(node, arrivals, now, deltas, incidents);
      this.outages.settle(this.nodes.context(), now, incidents);
    })();
    this.announce(deltas, incidents);
  }

  /** Stores a node's arrivals and evaluates it after them, its children after it (inside the caller's transaction; it settles and announces). */
  private judgeArrivals(node: LiveNode, arrivals: readonly Arrival[], now: number, deltas: NetworkDelta[], incidents: Map<number, Incident>): void {
    for (const a of arrivals) {
      this.store.insertResult(node.id, a.checkId, a.result.time, a.result.ok, a.result.latency_ms, a.message, a.result.error ?? null);
      if (a.pushedAt !== undefined && a.checkId !== null) this.store.setLastPush(a.checkId, a.pushedAt);
    }
    // the roll-ups move with the raw rows: a crash keeps both or neither
    this.figures.addResults(arrivals.map((a) => ({ nodeId: node.id, time: a.result.time, ok: a.result.ok, latency_ms: a.result.latency_ms })));
    // a paused node's heartbeats are kept but judge nothing
    const wasDown = node.state.status === "down";
    const changed = !node.paused && this.evaluate(node, arrivals.map((a) => a.result), now, incidents);
    // a node already down that fails again: its incident grows (a new one counted its failing run)
    if (wasDown && !node.paused && arrivals.some((a) => !a.result.ok)) {
      const last = Math.max(...arrivals.map((a) => a.result.time));
      this.rule(() => this.outages.failedAgain(this.nodes.view(node), last, incidents));
    }
    for (const a of arrivals) deltas.push({ type: "heartbeat", node_id: node.id, status: this.nodes.statusOf(node), check: liveCheck(a) });
    if (changed) deltas.push(this.nodeDelta(node.id));
    if (changed) this.cascade(node.id, deltas, incidents);
  }

  /** Runs an incident rule now, or, while a heartbeat batch is judged, once all its nodes are (in the order asked). */
  private rule(run: () => void): void {
    if (this.deferred) this.deferred.push(run);
    else run();
  }

  private announce(deltas: NetworkDelta[], incidents: Map<number, Incident>): void {
    if (deltas.length) this.hub.publish("network", deltas);
    if (incidents.size) this.hub.publish("incidents", [...incidents.values()].map((incident) => ({ type: "incident" as const, incident })));
    this.tellMoved();
  }

  /** Tells the listeners which managed nodes moved (after the change committed: they read the rows). */
  private tellMoved(): void {
    if (this.moved.size === 0) return;
    const ids = [...this.moved];
    this.moved.clear();
    for (const listener of this.movedListeners) listener(ids);
  }

  /** Runs the status machine for one node and stores what it says; answers whether its children must be judged again (take). */
  private evaluate(node: LiveNode, results: StatusResult[], now: number, incidents: Map<number, Incident>): boolean {
    const ev = evaluateNode(node.state, { results, now, parent: this.nodes.parentStatus(node), maintenance: node.maintenance.map((m) => m.window) }, node.policy);
    return this.take(node, ev, results, now, incidents);
  }

  /**
   * Takes an evaluation as the node's state: stores it (always with `save`), records its
   * transitions, pages; answers whether its children must be judged again: its status changed, or
   * its checks went down under an overlay that shows no change (a flapping parent going down makes
   * its failing children unreachable at once, as any parent going down does; its checks coming back
   * do not: those children wait for their own next result, as after any parent's return).
   */
  private take(node: LiveNode, ev: Evaluation, results: StatusResult[], now: number, incidents: Map<number, Incident>, save = false): boolean {
    const before = node.state.status;
    const baseBefore = node.state.base;
    node.state = ev.state;
    const changed = ev.state.status !== before;
    const childrenFollow = changed || (ev.state.base === "down" && baseBefore !== "down");
    if (childrenFollow) this.moved.add(node.id);
    if (save || results.length > 0 || changed || ev.transitions.length > 0) {
      const newest = results.length ? results.reduce((a, b) => (b.time >= a.time ? b : a)) : null;
      this.store.saveStatus(
        node.id,
        { status: ev.state.status, since: ev.state.since, reason: ev.state.reason, state: ev.state, consecutiveFailures: Math.max(0, ...Object.values(ev.state.checks).map((t) => t.fails)) },
        newest ? { latency: newest.latency_ms, time: newest.time } : undefined,
      );
    }
    // the status history, at the evidence times (uptime and outages are read from it)
    for (const t of ev.transitions) this.figures.recordStatus(node.id, t.at, t.to, t.reason);
    if (changed && ev.transitions.length === 0) this.figures.recordStatus(node.id, ev.state.since ?? now, ev.state.status, ev.state.reason);
    // failing (down, or a check whose last result failed): a candidate for a storm's forming
    if (!node.paused && (ev.state.status === "down" || Object.values(ev.state.checks).some((c) => c.last_ok === false))) this.outages.failingNow(node.id);
    // in a heartbeat batch, once all its nodes are judged (as the batch leaves them): see ingestHeartbeats
    if (ev.transitions.length) this.rule(() => this.outages.apply(this.nodes.view(node), ev.transitions, this.nodes.context(), incidents));
    if (results.length) this.rule(() => {
      if (this.outages.waitsForGoodResult(node.id)) this.outages.resultsJudged(this.nodes.view(node), ev.ignored.length ? results.filter((r) => !ev.ignored.includes(r)) : results, incidents);
    });
    return childrenFollow;
  }

  /** Re-evaluates the managed descendants of `id` whose parent's status changed (or whose checks went down under flapping), parents before children. */
  private cascade(id: number, deltas: NetworkDelta[], incidents: Map<number, Incident>): void {
    const queue = this.nodes.childrenOf(id);
    const seen = new Set<number>([id]);
    const now = this.timers.now();
    while (queue.length) {
      const childId = queue.shift()!;
      if (seen.has(childId)) continue;
      seen.add(childId);
      const child = this.nodes.get(childId);
      if (!child || child.paused) continue;
      if (this.evaluate(child, [], now, incidents)) {
        deltas.push(this.nodeDelta(child.id));
        queue.push(...this.nodes.childrenOf(child.id));
      }
    }
  }

  private nodeDelta(id: number): NetworkDelta {
    return { type: "node", node: toNodeView(this.store.byId(id)!) };
  }

  // --- maintenance windows start and end without a result ---

  private armTick(): void {
    if (!this.running) return;
    this.tick = this.timers.setTimeout(() => {
      this.tick = null;
      for (const node of this.nodes.values()) {
        if (node.paused || node.maintenance.length === 0) continue;
        try {
          this.commitIfChanged(node);
        } catch (error) {
          this.options.log?.("error", `maintenance check of ${node.key} failed: ${(error as Error).message}`);
        }
      }
      this.armTick();
    }, this.options.maintenanceTickMs ?? 30_000);
  }

  private commitIfChanged(node: LiveNode): void {
    const probe = evaluateNode(node.state, { results: [], now: this.timers.now(), parent: this.nodes.parentStatus(node), maintenance: node.maintenance.map((m) => m.window) }, node.policy);
    if (probe.transitions.length) this.commit(node, []);
  }
}

/** A result as the network stream carries it: what the node page shows, and nothing when there is nothing to say. */
function liveCheck(a: Arrival): DeltaCheck {
  const c: DeltaCheck = { time: a.result.time, ok: a.result.ok, latency_ms: a.result.latency_ms };
  if (a.checkId !== null && a.result.check_id) c.check = a.result.check_id;
  if (a.message) c.message = a.message;
  if (!a.result.ok && a.result.error) c.error = a.result.error;
  return c;
}
