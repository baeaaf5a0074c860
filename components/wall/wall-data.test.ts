import { describe, expect, it } from "vitest";
import { duration, eventsPerMinute, incidentCounts, nodeCounts, sites, troubledNodes, worstIncidents, type WallIncident, type WallNode } from "./wall-data";

const node = (id: number, status: string, extra: Partial<WallNode> = {}): WallNode => ({ id, name: `n${String(id).padStart(2, "0")}`, status, ...extra });
const incident = (id: number, severity: string, status = "open", last_seen = id): WallIncident => ({ id, title: `i${id}`, severity, status, pane: "network", last_seen });

describe("wall data", () => {
  it("counts nodes from the list, or takes the server's true counts when the snapshot has them", () => {
    const nodes = [node(1, "up"), node(2, "down"), node(3, "degraded"), node(4, "up")];
    expect(nodeCounts({ nodes })).toEqual({ down: 1, unreachable: 0, degraded: 1, pending: 0, up: 2 });
    // a summary that sent only the worst tiles still says how many there are
    expect(nodeCounts({ nodes: nodes.slice(0, 2), counts: { down: 40, degraded: 3, up: 957 } })).toEqual({ down: 40, unreachable: 0, degraded: 3, pending: 0, up: 957 });
    expect(nodeCounts(undefined)).toEqual({ down: 0, unreachable: 0, degraded: 0, pending: 0, up: 0 });
  });

  it("lists down before degraded, critical first, bounded, with the true remainder", () => {
    const nodes = [node(1, "degraded"), node(2, "down"), node(3, "down", { critical: true }), node(4, "up"), node(5, "degraded", { critical: true })];
    const { shown, more } = troubledNodes({ nodes }, 3);
    expect(shown.map((n) => n.id)).toEqual([3, 2, 5]);
    expect(more).toBe(1);
    expect(troubledNodes({ nodes: nodes.slice(0, 2), counts: { down: 500, degraded: 20 } }, 2).more).toBe(518);
  });

  it("lists flapping between down and degraded, and says on each down node how many it made unreachable", () => {
    const nodes = [
      node(1, "degraded"),
      node(2, "flapping"),
      node(3, "down"),
      node(4, "unreachable", { parent_id: 3 }),
      node(5, "unreachable", { parent_id: 4 }),
      node(6, "unreachable", { parent_id: 7 }),
      node(7, "unreachable", { parent_id: 6 }),
    ];
    const { shown } = troubledNodes({ nodes }, 10);
    expect(shown.map((n) => `${n.id}:${n.behind}`)).toEqual(["3:2", "2:0", "1:0"]);
    expect(troubledNodes({ nodes, counts: { down: 1, flapping: 4, degraded: 1 } }, 2).more).toBe(4);
  });

  it("groups nodes by site, worst site first, bounded; nothing when no node has a site", () => {
    const nodes = [
      node(1, "up", { tags: { site: "fra1" } }),
      node(2, "down", { tags: { site: "ams2" } }),
      node(3, "unreachable", { tags: { site: "ams2" } }),
      node(4, "degraded", { tags: { site: "lon3" } }),
      node(5, "up"),
    ];
    const { shown, more } = sites({ nodes }, 2);
    expect(shown.map((s) => `${s.site}:${s.counts.down}/${s.counts.unreachable}/${s.counts.degraded}/${s.total}`)).toEqual(["ams2:1/1/0/2", "lon3:0/0/1/1"]);
    expect(more).toBe(1);
    expect(sites({ nodes: [node(1, "down")] }, 5).shown).toEqual([]);
  });

  it("counts open incidents by severity from the list, or from the server's counts", () => {
    const incidents = [incident(1, "critical"), incident(2, "high"), incident(3, "high", "acknowledged"), incident(4, "weird")];
    expect(incidentCounts({ incidents })).toEqual({ open: 3, acknowledged: 1, severity: { critical: 1, high: 1, medium: 0, low: 0, info: 0 } });
    const counts = { open: 2133, acknowledged: 7, open_severity: { critical: 2000, high: 133 } };
    expect(incidentCounts({ incidents, counts })).toEqual({ open: 2133, acknowledged: 7, severity: { critical: 2000, high: 133, medium: 0, low: 0, info: 0 } });
  });

  it("shows the most severe open incidents, newest first within a severity, bounded", () => {
    const incidents = [incident(1, "low"), incident(2, "critical"), incident(3, "critical"), incident(4, "high", "acknowledged"), incident(5, "medium")];
    const { shown, more } = worstIncidents({ incidents }, 3);
    expect(shown.map((i) => i.id)).toEqual([3, 2, 5]);
    expect(more).toBe(1);
  });

  it("sums events per whole minute over severities, leaving out the minute still filling", () => {
    const now = 10 * 60_000 + 30_000; // half way through minute 10
    const rate = [
      { minute: 9 * 60_000, count: 5 },
      { minute: 9 * 60_000, count: 2 },
      { minute: 8 * 60_000, count: 1 },
      { minute: 10 * 60_000, count: 99 },
      { minute: 2 * 60_000, count: 50 }, // outside the window
    ];
    expect(eventsPerMinute({ rate }, now, 3)).toEqual({ last: 7, series: [0, 1, 7] });
    expect(eventsPerMinute(undefined, now, 2)).toEqual({ last: 0, series: [0, 0] });
  });

  it("says how long in words readable from across a room", () => {
    expect(duration(4_200)).toBe("4 s");
    expect(duration(200_000)).toBe("3 min 20 s");
    expect(duration(2 * 3600_000 + 5 * 60_000)).toBe("2 h 5 min");
    expect(duration(3 * 86400_000 + 4 * 3600_000)).toBe("3 d 4 h");
    expect(duration(-5)).toBe("0 s");
  });
});
