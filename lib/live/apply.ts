import { RATE_WINDOW_MINUTES, type SecuritySnapshot, type RateBucket } from "../contracts/events";
import type { IncidentsSnapshot, Incident } from "../contracts/incidents";
import type { NetworkSnapshot } from "../contracts/network";
import { RECENT_CHECKS } from "../contracts/network";
import type { IncidentDelta, NetworkDelta, SecurityDelta } from "../contracts/live";
import { severityRank, type Severity } from "../contracts/common";

/** Events kept in the browser's live list. */
export const LIVE_EVENT_CAP = 500;
const MINUTE = 60_000;

/** Folds network deltas (heartbeats, node registrations) into the snapshot. */
export function applyNetwork(snapshot: NetworkSnapshot, items: readonly NetworkDelta[]): NetworkSnapshot {
  const nodes = snapshot.nodes.slice();
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  for (const item of items) {
    if (item.type === "node") {
      const at = index.get(item.node.id);
      if (at === undefined) {
        index.set(item.node.id, nodes.length);
        nodes.push(item.node);
      } else nodes[at] = { ...item.node, checks: nodes[at].checks };
      continue;
    }
    const at = index.get(item.node_id);
    if (at === undefined) continue;
    const node = nodes[at];
    const checks = node.checks.length >= RECENT_CHECKS ? node.checks.slice(1 - RECENT_CHECKS) : node.checks.slice();
    checks.push(item.check);
    nodes[at] = {
      ...node,
      status: item.status,
      checks,
      last_latency_ms: item.check.latency_ms,
      last_check_at: Math.max(node.last_check_at ?? 0, item.check.time),
    };
  }
  return { ...snapshot, nodes };
}

/** Prepends new events (newest first, capped) and counts them into the per-minute rate. */
export function applySecurity(snapshot: SecuritySnapshot, items: readonly SecurityDelta[]): SecuritySnapshot {
  if (items.length === 0) return snapshot;
  const fresh = items.map((i) => i.event).reverse();
  const events = fresh.concat(snapshot.events).slice(0, LIVE_EVENT_CAP);
  const counts = new Map(snapshot.rate.map((b) => [`${b.minute}|${b.severity}`, b.count]));
  let newest = snapshot.rate.reduce((m, b) => Math.max(m, b.minute), 0);
  for (const e of fresh) {
    const minute = Math.floor(e.time / MINUTE) * MINUTE;
    newest = Math.max(newest, minute);
    const key = `${minute}|${e.severity}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const horizon = newest - (RATE_WINDOW_MINUTES - 1) * MINUTE;
  const rate: RateBucket[] = [];
  for (const [key, count] of counts) {
    const [minute, severity] = key.split("|");
    if (Number(minute) >= horizon) rate.push({ minute: Number(minute), severity: severity as Severity, count });
  }
  rate.sort((a, b) => a.minute - b.minute);
  return { ...snapshot, events, rate };
}

/** Order of the incident list: open before acknowledged, then most severe, then most recent. */
export function compareIncidents(a: Incident, b: Incident): number {
  const status = (a.status === "open" ? 0 : 1) - (b.status === "open" ? 0 : 1);
  if (status) return status;
  const severity = (severityRank[a.severity as Severity] ?? 9) - (severityRank[b.severity as Severity] ?? 9);
  return severity || b.last_seen - a.last_seen;
}

/** Upserts changed incidents into the active list; resolved ones leave it. */
export function applyIncidents(snapshot: IncidentsSnapshot, items: readonly IncidentDelta[]): IncidentsSnapshot {
  const byId = new Map(snapshot.incidents.map((i) => [i.id, i]));
  for (const { incident } of items) {
    const known = byId.get(incident.id);
    // a delta can overtake a fresher HTTP answer of our own; keep the newer version
    if (known && known.version > incident.version) continue;
    if (incident.status === "resolved") byId.delete(incident.id);
    else byId.set(incident.id, incident);
  }
  return { ...snapshot, incidents: [...byId.values()].sort(compareIncidents) };
}
