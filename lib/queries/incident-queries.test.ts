import { describe, expect, it } from "vitest";
import { ACTIVE_FIRST_PAGE, INCIDENT_PAGE, withOpenGroups } from "./incident-queries";
import { countsOfGroups, type Incident, type IncidentsSnapshot } from "../contracts/incidents";
import { FLOOD_THRESHOLD } from "@/components/incidents/incident-items";

describe("the first load's page of active incidents", () => {
  it("holds every incident of a list short enough to be shown row by row (the list groups only past FLOOD_THRESHOLD)", () => {
    expect(ACTIVE_FIRST_PAGE).toBeGreaterThan(FLOOD_THRESHOLD);
  });
  it("is smaller than a group's page, so the first load stays small", () => {
    expect(ACTIVE_FIRST_PAGE).toBeLessThan(INCIDENT_PAGE);
  });
});

describe("a refetch of the active set (count repair, resync)", () => {
  const incident = (id: number, rule: string, last_seen: number): Incident => ({
    id, rule, entity: `e${id}`, pane: "security", title: "t", severity: "high", status: "open", first_seen: last_seen, last_seen, count: 1, version: 1,
    acknowledged_by: null, acknowledged_at: null, resolved_by: null, resolved_at: null, explanation: null, mitre: null, details: null, assignee: null, snoozed_until: null, resolution: null, previous_id: null,
  });
  const snapshot = (incidents: Incident[]): IncidentsSnapshot => ({
    epoch: "e", seq: 9, incidents, total: 500, next_before: null, max_id: 500,
    counts: countsOfGroups(groups), groups,
  });
  const groups = [
    { rule: "brute_force", pane: "security" as const, open: 400, acknowledged: 0, open_severity: { high: 400 }, acknowledged_severity: {}, last_seen: 400 },
    { rule: "ids_campaign", pane: "security" as const, open: 100, acknowledged: 0, open_severity: { high: 100 }, acknowledged_severity: {}, last_seen: 500 },
  ];
  const bruteForce = { pane: "security" as const, rule: "brute_force" };
  const newest = Array.from({ length: ACTIVE_FIRST_PAGE }, (_, i) => incident(500 - i, "ids_campaign", 500 - i));
  const page: IncidentsSnapshot = { ...snapshot(Array.from({ length: INCIDENT_PAGE }, (_, i) => incident(400 - i, "brute_force", 400 - i))), total: 400 };

  it("keeps a group open in the list open, holding its first page, with the fresh counts", () => {
    const data = withOpenGroups(snapshot(newest), [bruteForce], [bruteForce], [page]);
    expect(data.pinned).toEqual([bruteForce]);
    expect(data.incidents.filter((i) => i.rule === "brute_force")).toHaveLength(INCIDENT_PAGE);
    expect(data.counts).toEqual(countsOfGroups(groups));
  });
  it("leaves out the page of a group closed while the request was out, and is the plain snapshot when none is open", () => {
    const closed = withOpenGroups(snapshot(newest), [], [bruteForce], [page]);
    expect(closed.incidents).toEqual(newest);
    expect(closed.pinned).toBeUndefined();
  });
});
