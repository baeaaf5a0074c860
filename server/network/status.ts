// A node's status over its check results: pure and synchronous. The caller gives results (in any
// order within a batch), the parent's status, maintenance windows and the time; it gets the new
// state and the transitions, each stamped with the time its evidence gives: a node goes down at
// its first failed check and comes back at its first good one, not when the data arrived.
import { applyResult, DEFAULT_CHECK_POLICY, initialTrack, resetRuns, type AnomalyFacts, type CheckPolicy, type CheckTrack, type Health, type StatusResult } from "./check-health";
import { DEFAULT_FLAP, initialFlap, recordFlap, type FlapOptions, type FlapState } from "./flapping";
import { maintenanceAt, type ActiveMaintenance, type MaintenanceWindow } from "./maintenance";

export type { StatusResult, CheckPolicy, Health } from "./check-health";
export const NODE_STATUSES = ["pending", "up", "degraded", "down", "unreachable", "maintenance", "flapping"] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export interface NodePolicy extends CheckPolicy {
  /** per-check overrides (failures_before_down, latency threshold, flap thresholds…) by check id */
  checks?: Record<string, Partial<CheckPolicy> & { flap?: FlapOptions | null }>;
  /** flap thresholds (each check's own history is judged by them), or null to never report flapping */
  flap: FlapOptions | null;
}
export const DEFAULT_NODE_POLICY: NodePolicy = { ...DEFAULT_CHECK_POLICY, flap: DEFAULT_FLAP };

export interface ParentStatus {
  status: NodeStatus;
  /** what the parent's checks say under an overlay: a parent in maintenance or flapping that is down still explains its children */
  base?: Health;
  /** since when the parent has had this status (its evidence time) */
  since: number | null;
  /** since when its checks have said `base` (a parent down under an overlay dates its children's unreachable by it) */
  base_since?: number | null;
}

export interface StatusInput {
  results: readonly StatusResult[];
  /** the time of evaluation: maintenance that began or ended by now is applied */
  now: number;
  parent?: ParentStatus | null;
  maintenance?: readonly MaintenanceWindow[];
}

export interface NodeState {
  status: NodeStatus;
  /** evidence time of the current status; null while pending */
  since: number | null;
  reason: string | null;
  /** the status the checks alone give, under any maintenance, unreachable or flapping overlay */
  base: Health;
  base_since: number | null;
  checks: Record<string, CheckTrack & { flap?: FlapState }>;
  /** the flap history of the check that changes most (each check has its own, as Nagios has per service) */
  flap: FlapState;
  maintenance: ActiveMaintenance | null;
  /** the newest result time applied; older results arriving later are ignored */
  last_time: number | null;
}

export interface Transition {
  from: NodeStatus;
  to: NodeStatus;
  /** the evidence time: first failed check for down, first good check for up, window edges for maintenance */
  at: number;
  /** the time of the result (or evaluation) that confirmed it */
  confirmed_at: number;
  reason: string | null;
  base: Health;
  check_id?: string;
  anomaly?: AnomalyFacts;
}

export interface Evaluation {
  state: NodeState;
  transitions: Transition[];
  /** results older than ones already applied: not applied (the past is not rewritten) */
  ignored: StatusResult[];
}

export const initialNodeState = (): NodeState => ({
  status: "pending",
  since: null,
  reason: null,
  base: "pending",
  base_since: null,
  checks: {},
  flap: initialFlap(),
  maintenance: null,
  last_time: null,
});

const HEALTH_RANK: Record<Health, number> = { pending: 0, up: 1, degraded: 2, down: 3 };
const isDown = (p: ParentStatus) => p.status === "down" || p.status === "unreachable" || p.base === "down";

/** Applies a batch of results and the passing of time to a node's state (which is not mutated). */
export function evaluateNode(previous: NodeState, input: StatusInput, policy: NodePolicy = DEFAULT_NODE_POLICY): Evaluation {
  const state = structuredClone(previous);
  const transitions: Transition[] = [];
  const ignored: StatusResult[] = [];
  const windows = input.maintenance ?? [];
  const parent = input.parent ?? null;
  const sorted = [...input.results].sort((a, b) => a.time - b.time);
  for (const r of sorted) {
    if (state.last_time !== null && r.time < state.last_time) {
      ignored.push(r);
      continue;
    }
    moveMaintenance(state, windows, r.time, transitions, parent);
    state.last_time = r.time;
    if (state.maintenance) continue;
    const checkPolicy = { ...policy, ...policy.checks?.[r.check_id] };
    const track = (state.checks[r.check_id] ??= initialTrack());
    applyResult(track, r, checkPolicy);
    let flap: { started: boolean; stopped: boolean } | null = null;
    if (checkPolicy.flap) {
      const was = state.flap.flapping;
      recordFlap((track.flap ??= initialFlap()), r.ok, checkPolicy.flap);
      state.flap = worstFlap(state.checks);
      flap = { started: !was && state.flap.flapping, stopped: was && !state.flap.flapping };
    }
    updateBase(state, r, track);
    settle(state, transitions, parent, r.time, r.time, r.check_id, flap);
  }
  moveMaintenance(state, windows, Math.max(input.now, state.last_time ?? input.now), transitions, parent);
  settle(state, transitions, parent, input.now, null, undefined, null);
  return { state, transitions, ignored };
}

/**
 * A node's state without the tracks of checks it no longer runs (disabled, or gone from its
 * definition; `keep` names the ones it still runs), judged again at `now` from the rest: a check
 * that was flapping, failing or slow and is then disabled or removed no longer speaks for the
 * node, and the node shows at once what its other checks say (a change dated `now`: its cause is
 * the definition's change, not a result). The same state, untouched, when no track is dropped.
 */
export function withoutChecks(previous: NodeState, keep: (checkId: string) => boolean, input: { now: number; parent?: ParentStatus | null }): Evaluation {
  const dropped = Object.keys(previous.checks).filter((id) => !keep(id));
  if (dropped.length === 0) return { state: previous, transitions: [], ignored: [] };
  const state = structuredClone(previous);
  for (const id of dropped) delete state.checks[id];
  const was = state.flap.flapping;
  state.flap = worstFlap(state.checks);
  rebase(state, input.now);
  const transitions: Transition[] = [];
  settle(state, transitions, input.parent ?? null, input.now, input.now, undefined, { started: !was && state.flap.flapping, stopped: was && !state.flap.flapping });
  return { state, transitions, ignored: [] };
}

/** The node's health from the checks it has now, after some were dropped: the worst of them; a change of it is dated `now`. */
function rebase(state: NodeState, now: number): void {
  let worst: Health = "pending";
  for (const t of Object.values(state.checks)) if (HEALTH_RANK[t.health] > HEALTH_RANK[worst]) worst = t.health;
  if (worst === "down") state.base_since = Math.min(...Object.values(state.checks).filter((t) => t.health === "down").map((t) => t.since ?? now));
  else if (worst !== state.base) state.base_since = worst === "pending" ? null : now;
  state.base = worst;
}

/** The flap state that speaks for the node: a flapping check's (the highest percent first), else the one changing most. */
function worstFlap(checks: NodeState["checks"]): FlapState {
  let worst: FlapState | null = null;
  for (const t of Object.values(checks)) {
    const f = t.flap;
    if (f && (!worst || (f.flapping && !worst.flapping) || (f.flapping === worst.flapping && f.percent > worst.percent))) worst = f;
  }
  return worst ? { ...worst, history: worst.history.slice() } : initialFlap();
}

/** The node's health from its checks: the worst of them, dated by the evidence of the check that set it. */
function updateBase(state: NodeState, r: StatusResult, track: CheckTrack): void {
  let worst: Health = "pending";
  for (const t of Object.values(state.checks)) if (HEALTH_RANK[t.health] > HEALTH_RANK[worst]) worst = t.health;
  if (worst === state.base) return;
  const wasDown = state.base === "down";
  state.base = worst;
  if (worst === "down") {
    // the earliest first failure among the checks that are down
    state.base_since = Math.min(...Object.values(state.checks).filter((t) => t.health === "down").map((t) => t.since ?? r.time));
  } else if (wasDown) state.base_since = track.since ?? r.time;
  else state.base_since = r.time;
}

function overlay(state: NodeState, parent: ParentStatus | null): { status: NodeStatus; at: number | null; reason: string | null } {
  if (state.maintenance) return { status: "maintenance", at: state.maintenance.start, reason: state.maintenance.reason ? `maintenance: ${state.maintenance.reason}` : "maintenance" };
  const tracks = Object.values(state.checks);
  const failed = tracks.filter((t) => t.last_ok === false);
  const own: OwnHealth = {
    base: state.base,
    base_since: state.base_since,
    failing_since: failed.length === 0 ? null : Math.min(...failed.map((t) => t.first_fail_at ?? Infinity)),
    status: state.status,
    since: state.since,
    reason: state.reason,
    flap: state.flap,
    last_result_at: state.last_time,
  };
  return overlayOf(own, parent) ?? { status: state.base, at: state.base_since, reason: baseReason(state) };
}

/** A node's own health as its results give it, and what it shows now: what the overlays read. */
export interface OwnHealth {
  /** the status its checks alone give, and since when */
  base: Health;
  base_since: number | null;
  /** first failure of the failing run of a check whose last result failed; null when none failed last */
  failing_since: number | null;
  /** what it shows now */
  status: NodeStatus;
  since: number | null;
  reason: string | null;
  flap: FlapState;
  /** evidence time of its newest own result (null: unknown) */
  last_result_at: number | null;
}

/**
 * What a node shows over its own health because of its parent or its flapping, or null for its
 * own health. Unreachable: it fails while its parent is down (no incident of its own); flapping:
 * its results change too often. Shared by managed nodes and nodes made by heartbeats alone
 * (server/ingest/network.ts), so both tell the same truth.
 */
export function overlayOf(own: OwnHealth, parent: ParentStatus | null): { status: NodeStatus; at: number | null; reason: string | null } | null {
  const lastFailed = own.failing_since !== null;
  if (parent && isDown(parent) && (own.base === "down" || lastFailed)) {
    const since = own.base === "down" ? own.base_since : own.failing_since;
    // down by its checks under flapping or maintenance: since they went down, not since the overlay began
    const parentSince = parent.status === "down" || parent.status === "unreachable" ? parent.since : (parent.base_since ?? parent.since);
    return { status: "unreachable", at: Math.max(since ?? 0, parentSince ?? 0), reason: `its parent is ${parent.status === "down" || parent.status === "unreachable" ? parent.status : `down (${parent.status})`}` };
  }
  // after its parent came back, a node still counting its way up stays unreachable rather than
  // paging as down for one interval; if it fails again it is down on its own account
  if (own.status === "unreachable" && own.base === "down" && !lastFailed) return { status: "unreachable", at: own.since, reason: own.reason };
  // its parent came back, and its own failures began while the parent was down (they are the
  // parent's): it stays unreachable until its own first result after the parent's return, so a
  // router coming back does not page once for each node behind it. A node that was failing before
  // its parent went down is down on its own account at once.
  const failedFrom = own.failing_since ?? (own.base === "down" ? own.base_since : null);
  if (parent && own.status === "unreachable" && failedFrom !== null && own.since !== null && failedFrom >= own.since && parent.since !== null && (own.last_result_at === null || own.last_result_at < parent.since))
    return { status: "unreachable", at: own.since, reason: "its parent is back: waiting for its own next check" };
  if (own.flap.flapping) return { status: "flapping", at: null, reason: flapReason(own.flap) };
  return null;
}

/** Why a node is flapping: its percent state change over the results it looked at. */
export function flapReason(flap: FlapState): string {
  return `${flap.percent.toFixed(1)}% state change over the last ${flap.history.length} checks`;
}

function baseReason(state: NodeState): string | null {
  const tracks = Object.entries(state.checks).filter(([, t]) => t.health === state.base && t.reason);
  return tracks.length === 0 ? null : tracks.map(([id, t]) => `${id}: ${t.reason}`).join("; ");
}

/** Moves the output status to what the state now says, recording a transition when it changes. */
function settle(state: NodeState, out: Transition[], parent: ParentStatus | null, time: number, resultTime: number | null, checkId: string | undefined, flap: { started: boolean; stopped: boolean } | null): void {
  const next = overlay(state, parent);
  if (next.status === state.status) {
    state.reason = next.reason;
    return;
  }
  // flapping starts and stops at the result that tipped it; other changes at their evidence
  const at = next.status === "flapping" || flap?.stopped ? (resultTime ?? time) : (next.at ?? resultTime ?? time);
  const t: Transition = { from: state.status, to: next.status, at, confirmed_at: resultTime ?? time, reason: next.reason, base: state.base };
  const track = checkId === undefined ? undefined : state.checks[checkId];
  if (checkId !== undefined) t.check_id = checkId;
  if (next.status === "degraded" && track?.anomaly && track.health === "degraded") t.anomaly = track.anomaly;
  out.push(t);
  state.status = next.status;
  state.since = at;
  state.reason = next.reason;
}

/** Enters or leaves maintenance as of `t`, at the windows' own edges. */
function moveMaintenance(state: NodeState, windows: readonly MaintenanceWindow[], t: number, out: Transition[], parent: ParentStatus | null): void {
  if (state.maintenance && t >= state.maintenance.end) {
    const end = state.maintenance.end;
    state.maintenance = null;
    // what a check was doing before the window says nothing about after it
    for (const track of Object.values(state.checks)) resetRuns(track);
    const next = overlay(state, parent);
    out.push({ from: "maintenance", to: next.status, at: end, confirmed_at: t, reason: next.reason, base: state.base });
    state.status = next.status;
    state.since = end;
    state.reason = next.reason;
  }
  const active = windows.length === 0 ? null : maintenanceAt(windows, t);
  if (active && !state.maintenance) {
    state.maintenance = active;
    for (const track of Object.values(state.checks)) resetRuns(track);
    settle(state, out, parent, t, null, undefined, null);
  } else if (active) state.maintenance = active;
}
