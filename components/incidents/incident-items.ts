import type { Incident, IncidentGroup } from "@/lib/contracts/incidents";
import { compareIncidents, mergeByRecency, type LiveIncidents } from "@/lib/live/apply-incidents";
import { compareText } from "@/lib/text-order";

/** More active incidents than this and the list shows groups by rule instead of rows. */
export const FLOOD_THRESHOLD = 50;

/** One line of the virtual list: a group's header, an incident, or the loader at a group's end. */
export type IncidentItem =
  | { kind: "group"; key: string; group: IncidentGroup; expanded: boolean }
  | { kind: "incident"; key: string; incident: Incident }
  | { kind: "more"; key: string; group: IncidentGroup; shown: number; cursor: string | null };

export const groupId = (g: Pick<IncidentGroup, "pane" | "rule">) => `${g.pane}/${g.rule}`;

const worst = (g: IncidentGroup) => {
  const rank = ["critical", "high", "medium", "low", "info"];
  const found = rank.findIndex((s) => (g.open_severity[s] ?? 0) > 0);
  return found < 0 ? rank.length : found;
};

/** Groups that need a person first: any open, then the worst open severity, then the most open, then recency. */
export function compareGroups(a: IncidentGroup, b: IncidentGroup): number {
  return (b.open > 0 ? 1 : 0) - (a.open > 0 ? 1 : 0) || worst(a) - worst(b) || b.open - a.open || b.last_seen - a.last_seen || compareText(a.rule, b.rule);
}

/**
 * The lines of the list. Up to FLOOD_THRESHOLD active incidents, every one is held and shown,
 * open first, worst first. Past it, or in a surge of arrivals, one line per group, and an expanded group's held incidents
 * (most recent first, as the server pages them) followed by a loader while some are not held.
 */
export function incidentItems(
  data: LiveIncidents | undefined,
  expanded: ReadonlySet<string>,
  /** incidents are arriving in a surge: group even below the threshold */
  surge = false,
): { grouped: boolean; items: IncidentItem[] } {
  if (!data) return { grouped: false, items: [] };
  // both lists are kept most recent first: merged, they stay so (no sort per live update)
  const all = data.older?.length ? mergeByRecency(data.incidents, data.older) : data.incidents;
  const active = data.counts.open + data.counts.acknowledged;
  if (!surge && active <= FLOOD_THRESHOLD && all.length >= active) {
    return { grouped: false, items: all.slice().sort(compareIncidents).map((incident) => ({ kind: "incident", key: `i${incident.id}`, incident })) };
  }
  const byGroup = new Map<string, Incident[]>();
  for (const key of expanded) byGroup.set(key, []);
  for (const i of all) byGroup.get(groupId(i))?.push(i);
  const items: IncidentItem[] = [];
  for (const group of data.groups.slice().sort(compareGroups)) {
    const id = groupId(group);
    const rows = byGroup.get(id);
    items.push({ kind: "group", key: `g${id}`, group, expanded: !!rows });
    if (!rows) continue;
    for (const incident of rows) items.push({ kind: "incident", key: `i${incident.id}`, incident });
    if (rows.length < group.open + group.acknowledged) {
      const last = rows.at(-1);
      items.push({ kind: "more", key: `m${id}`, group, shown: rows.length, cursor: last ? `${last.last_seen}-${last.id}` : null });
    }
  }
  return { grouped: true, items };
}
