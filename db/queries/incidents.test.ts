import { describe, expect, it } from "vitest";
import { testCore, personOf } from "../../server/test-support/core";
import { incidentQuerySchema, type Incident } from "../../lib/contracts/incidents";

const T0 = Date.UTC(2026, 10, 21, 11, 0, 0);
/** ten failed logins from one address within a second, each source its own account (no distributed attack): one brute-force incident */
const burst = (src: string, at = T0) => Array.from({ length: 10 }, (_, i) => ({ kind: "auth_failure", src_ip: src, user: `u-${src}`, time: at + i }));
const beat = (node: string, ok: boolean, second: number) => ({ node, ok, time: T0 + second * 1000, latency_ms: ok ? 5 : undefined });

/** `n` brute-force incidents, one per source, the i-th last seen at T0 + i seconds */
function flood(n: number) {
  const t = testCore();
  t.core.ingestEvents(Array.from({ length: n }, (_, i) => burst(`198.51.${Math.floor(i / 250)}.${i % 250}`, T0 + i * 1000)).flat(), "test");
  return t;
}

describe("GET /api/v1/incidents answers", () => {
  it("the true total and counts of the active set, not the length of the page", () => {
    const { core } = flood(300);
    const answer = core.incidentsSnapshot(incidentQuerySchema.parse({ limit: "50" }));
    expect(answer.incidents).toHaveLength(50);
    expect(answer.total).toBe(300);
    expect(answer.counts).toEqual({ open: 300, acknowledged: 0, severity: { high: 300 }, open_severity: { high: 300 }, pane: { network: 0, security: 300 } });
    expect(answer.groups).toEqual([
      { rule: "brute_force", pane: "security", open: 300, acknowledged: 0, open_severity: { high: 300 }, acknowledged_severity: {}, last_seen: T0 + 299 * 1000 + 9 },
    ]);
  });

  it("counts by status, severity and pane, and groups by rule and pane", () => {
    const { core } = flood(3);
    core.registerNodes([{ key: "core-1", name: "Core 1", kind: "router", critical: true }]);
    core.ingestHeartbeats([1, 2, 3].map((s) => beat("core-1", false, s)), "test");
    core.ingestHeartbeats([1, 2, 3].map((s) => beat("edge-1", false, s)), "test");
    const [first] = core.incidentsSnapshot({ status: "open", pane: "security", limit: 1 }).incidents;
    expect(core.acknowledgeIncident(first.id, personOf("analyst")).ok).toBe(true);
    const all = core.incidentsSnapshot({ status: "active", limit: 200 });
    expect(all.counts).toEqual({
      open: 4,
      acknowledged: 1,
      severity: { high: 4, critical: 1 },
      open_severity: { high: 3, critical: 1 },
      pane: { network: 2, security: 3 },
    });
    expect(all.groups.map((g) => [g.rule, g.pane, g.open, g.acknowledged, g.open_severity, g.acknowledged_severity])).toEqual([
      ["node_down", "network", 2, 0, { critical: 1, high: 1 }, {}],
      ["brute_force", "security", 2, 1, { high: 2 }, { high: 1 }],
    ]);
    // a pane's answer counts that pane only; the total follows the status filter
    const network = core.incidentsSnapshot({ status: "acknowledged", pane: "security", limit: 200 });
    expect(network.total).toBe(1);
    expect(network.counts.pane).toEqual({ network: 0, security: 3 });
    expect(core.incidentsSnapshot({ status: "active", rule: "node_down", limit: 200 }).total).toBe(2);
  });

  it("pages with a cursor through every incident exactly once, ties on last_seen included", () => {
    const t = testCore();
    // 25 sources whose bursts end at the same instant: last_seen ties, decided by id
    t.core.ingestEvents(Array.from({ length: 25 }, (_, i) => burst(`203.0.113.${i}`, T0)).flat(), "test");
    t.core.ingestEvents(Array.from({ length: 10 }, (_, i) => burst(`192.0.2.${i}`, T0 + 5000 + i)).flat(), "test");
    const seen: Incident[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page: ReturnType<typeof t.core.incidentsSnapshot> = t.core.incidentsSnapshot(incidentQuerySchema.parse({ limit: "7", ...(before ? { before } : {}) }));
      expect(page.total).toBe(35);
      seen.push(...page.incidents);
      before = page.next_before;
      pages++;
    } while (before && pages < 20);
    expect(seen.map((i) => i.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1], seen[i]];
      expect(a.last_seen > b.last_seen || (a.last_seen === b.last_seen && a.id > b.id)).toBe(true);
    }
  });

  it("takes max_id from the table, so a client can tell new incidents from counted ones", () => {
    const { core } = flood(4);
    expect(core.incidentsSnapshot({ status: "active", limit: 1 }).max_id).toBe(4);
  });
});

describe("the incident query is parsed strictly", () => {
  it.each([
    [{ before: "1763726400000-12" }, true],
    [{ before: "1763726400000" }, false],
    [{ before: "-1-2" }, false],
    [{ before: "1e3-2" }, false],
    [{ before: " 1-2" }, false],
    [{ rule: "node_down" }, true],
    [{ rule: "Node Down" }, false],
    [{ rule: "node_down", status: "resolved" }, false],
    [{ limit: "0x10" }, false],
    [{ group: "rule" }, false],
  ])("%o valid: %s", (query, valid) => {
    expect(incidentQuerySchema.safeParse(query).success).toBe(valid);
  });
});
