import { describe, expect, it } from "vitest";
import { FLOOD_THRESHOLD, incidentItems } from "./incident-items";
import { countsOfGroups, type Incident, type IncidentGroup } from "@/lib/contracts/incidents";
import type { LiveIncidents } from "@/lib/live/apply-incidents";

const incident = (id: number, over: Partial<Incident> = {}): Incident => ({
  id, rule: "brute_force", entity: `e${id}`, pane: "security", title: `t${id}`, severity: "high", status: "open", first_seen: 0, last_seen: id, count: 1, version: 1,
  acknowledged_by: null, acknowledged_at: null, resolved_by: null, resolved_at: null, explanation: null, mitre: null, details: null, assignee: null, snoozed_until: null, resolution: null, previous_id: null, ...over,
});
const group = (rule: string, pane: IncidentGroup["pane"], open: number, severity = "high", acknowledged = 0): IncidentGroup => ({
  rule, pane, open, acknowledged, open_severity: open ? { [severity]: open } : {}, acknowledged_severity: acknowledged ? { [severity]: acknowledged } : {}, last_seen: 1,
});
function live(incidents: Incident[], groups: IncidentGroup[]): LiveIncidents {
  const counts = countsOfGroups(groups);
  return { epoch: "e", seq: 0, incidents: incidents.sort((a, b) => b.last_seen - a.last_seen), groups, counts, total: counts.open + counts.acknowledged, next_before: null, max_id: 1000 };
}

describe("the incident list's lines", () => {
  it("are every incident, open first and worst first, while few are active", () => {
    const data = live([incident(1, { severity: "critical" }), incident(2, { status: "acknowledged" }), incident(3)], [group("brute_force", "security", 2, "high", 1)]);
    const { grouped, items } = incidentItems(data, new Set());
    expect(grouped).toBe(false);
    expect(items.map((i) => (i.kind === "incident" ? i.incident.id : i.kind))).toEqual([1, 3, 2]);
  });

  it("collapse into groups in a surge of arrivals, even while few are active", () => {
    const data = live([incident(1), incident(2)], [group("brute_force", "security", 2)]);
    expect(incidentItems(data, new Set(), true)).toMatchObject({ grouped: true, items: [{ kind: "group" }] });
  });

  it("collapse a flood into one line per group, worst open first, and none of its rows", () => {
    const rows = Array.from({ length: 200 }, (_, i) => incident(i + 1));
    const data = live(rows, [group("brute_force", "security", 499), group("node_down", "network", 12, "critical"), group("port_scan", "security", 0, "high", 3)]);
    expect(data.counts.open).toBeGreaterThan(FLOOD_THRESHOLD);
    const { grouped, items } = incidentItems(data, new Set());
    expect(grouped).toBe(true);
    expect(items.map((i) => i.kind === "group" && `${i.group.rule} ${i.group.open + i.group.acknowledged}`)).toEqual(["node_down 12", "brute_force 499", "port_scan 3"]);
  });

  it("show an expanded group's held rows, most recent first, then a loader from the oldest while some are not held", () => {
    const rows = Array.from({ length: 200 }, (_, i) => incident(i + 1, { last_seen: 1000 + i }));
    const data = live(rows, [group("brute_force", "security", 499), group("node_down", "network", 12, "critical")]);
    const { items } = incidentItems(data, new Set(["security/brute_force"]));
    const mine = items.filter((i) => i.kind === "incident");
    expect(mine).toHaveLength(200);
    expect(mine[0].kind === "incident" && mine[0].incident.id).toBe(200);
    expect(items.at(-1)).toMatchObject({ kind: "more", shown: 200, cursor: "1000-1" });
  });

  it("show no loader once every incident of an expanded group is held", () => {
    const rows = Array.from({ length: 60 }, (_, i) => incident(i + 1));
    const data = live(rows, [group("brute_force", "security", 60)]);
    const { items } = incidentItems(data, new Set(["security/brute_force"]));
    expect(items.filter((i) => i.kind === "more")).toHaveLength(0);
    expect(items).toHaveLength(61);
  });
});
