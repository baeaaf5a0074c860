import type { IncidentsSnapshot, Incident } from "../contracts/incidents";
import type { IncidentDelta } from "../contracts/live";
import { severityRank, type Severity } from "../contracts/common";

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
