import type { DetailCheck, NodeDetail } from "../contracts/network";
import { DETAIL_CHECKS } from "../contracts/values/network";
import type { LatencyAnswer, LatencyPoint } from "../contracts/figures";
import type { Incident, IncidentsSnapshot } from "../contracts/incidents";
import type { IncidentDelta, DeltaCheck, NetworkDelta } from "../contracts/live";
import { byRecency } from "./apply-incidents";

/** The node page's detail as the browser holds it: positioned in the network stream, and told when the node was deleted. */
export type LiveNodeDetail = NodeDetail & { epoch: string; seq: number; removed?: true };
/** A latency chart positioned in the network stream (GET /api/v1/nodes/:id/latency carries the position). */
export type LiveLatency = LatencyAnswer & { epoch: string; seq: number };

const sameCheck = (a: DetailCheck, b: DeltaCheck) => a.time === b.time && a.ok === b.ok && a.latency_ms === b.latency_ms && (a.check ?? null) === (b.check ?? null);

const detailCheck = (c: DeltaCheck): DetailCheck => ({
  time: c.time,
  ok: c.ok,
  latency_ms: c.latency_ms,
  // GET /api/v1/nodes/:id gives the message, or else the error, as `message`
  message: c.message ?? c.error ?? null,
  error: c.error ?? null,
  check: c.check ?? null,
});

/**
 * Folds network deltas into one node's page: its checks (in time order, a late one in its place,
 * at most as many as loaded or DETAIL_CHECKS), its status and since-when, its definition (a `node`
 * delta), and its deletion. A check the snapshot already holds (read between the stream position
 * and the rows) is not added twice. Deltas of other nodes change nothing and keep the object.
 */
export function applyNodeDetail(id: number, data: LiveNodeDetail, items: readonly NetworkDelta[]): LiveNodeDetail {
  let out = data;
  const cap = Math.max(DETAIL_CHECKS, data.checks.length);
  for (const item of items) {
    if (item.type === "node_removed") {
      if (item.node_id === id) out = { ...out, removed: true };
      continue;
    }
    if (item.type === "node") {
      if (item.node.id !== id) continue;
      const { checks: _checks, ...node } = item.node;
      out = { ...out, node };
      continue;
    }
    if (item.node_id !== id) continue;
    const c = item.check;
    const checks = out.checks;
    let at = checks.length;
    while (at > 0 && checks[at - 1].time > c.time) at -= 1;
    let k = at - 1;
    let seen = false;
    for (; k >= 0 && checks[k].time === c.time; k--) if (sameCheck(checks[k], c)) seen = true;
    const next = seen ? checks : [...checks.slice(0, at), detailCheck(c), ...checks.slice(at)];
    const trimmed = next.length > cap ? next.slice(next.length - cap) : next;
    const prev = out.node;
    const newest = c.time >= (prev.last_check_at ?? -Infinity);
    out = {
      ...out,
      checks: trimmed,
      node: {
        ...prev,
        status: item.status,
        // a change of status dates from this check until the node's own delta (with its evidence time)
        // says otherwise, and says why (a heartbeat node's reason; up clears it)
        ...(prev.status !== item.status ? { since: item.since ?? c.time, reason: item.status === "up" ? null : (item.reason ?? null) } : {}),
        ...(newest ? { last_check_at: c.time, last_latency_ms: c.latency_ms } : {}),
      },
    };
  }
  return out;
}

/**
 * Folds a node's checks into its latency chart: a check counts into the point of its step (count,
 * failures, max; the first success of an empty point sets its p50/p95/p99), and a check past the
 * last point opens new points while the oldest leave, so the chart keeps its range. Percentiles of
 * a point that already had data are the server's until the next load (a sketch is not merged here).
 */
export function applyNodeLatency(id: number, data: LiveLatency, items: readonly NetworkDelta[]): LiveLatency {
  let points: LatencyPoint[] | null = null;
  let to = data.to;
  let from = data.from;
  const step = data.step_ms;
  for (const item of items) {
    if (item.type !== "heartbeat" || item.node_id !== id) continue;
    const c = item.check;
    const list = (points ??= data.points.slice());
    if (c.time < from) continue;
    let k = Math.floor((c.time - from) / step);
    while (k >= list.length) {
      const t = from + list.length * step;
      list.push({ t, count: 0, failures: 0, p50: null, p95: null, p99: null, max: null });
      to = Math.max(to, t + step);
    }
    const p = list[k];
    const latency = c.ok ? c.latency_ms : null;
    list[k] = {
      ...p,
      count: p.count + 1,
      failures: p.failures + (c.ok ? 0 : 1),
      ...(latency !== null && p.p50 === null ? { p50: latency, p95: latency, p99: latency } : {}),
      ...(latency !== null ? { max: Math.max(p.max ?? latency, latency) } : {}),
    };
    // keep the range: the points that fell off the start leave
    const extra = list.length - data.points.length;
    if (extra > 0) {
      list.splice(0, extra);
      from = list[0].t;
      k -= extra;
    }
  }
  if (!points) return data;
  return { ...data, from, to, points };
}

/** Whether an incident is about the node (its node_down, latency anomaly…): its entity is the node's key. */
export const namesNode = (key: string, i: { pane: string; entity: string }) => i.pane === "network" && i.entity === key;

/**
 * Folds incident deltas into the node page's list (the network incidents that name the node,
 * newest first, at most `limit`): a listed incident is replaced, a new one about the node joins
 * at its place and counts in the total.
 */
export function applyNodeIncidents(key: string, limit: number, data: IncidentsSnapshot, items: readonly IncidentDelta[]): IncidentsSnapshot {
  let list: Incident[] | null = null;
  let total = data.total;
  for (const { incident } of items) {
    const current: Incident[] = list ?? data.incidents;
    const at = current.findIndex((i) => i.id === incident.id);
    if (at >= 0) {
      const copy = current.slice();
      copy[at] = incident;
      list = copy;
    } else if (namesNode(key, incident)) {
      list = [...current, incident];
      total += 1;
    }
  }
  if (!list) return data;
  return { ...data, incidents: list.sort(byRecency).slice(0, limit), total };
}
