import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { NetworkFigures } from "./figures";
import { SLA_SLICE, SlaReports } from "./sla-report";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

describe("SLA report of a tag", () => {
  it("reads nodes in slices, yielding between them, and sums the set's worst hour across slices", async () => {
    const { sqlite } = openDatabase(":memory:");
    const clock = { now: () => NOW };
    const figures = new NetworkFigures(sqlite, clock);
    const n = 2 * SLA_SLICE + 5;
    sqlite.transaction(() => {
      for (let i = 1; i <= n; i++) {
        sqlite.prepare(`INSERT INTO nodes (id, key, name, tags) VALUES (?, ?, ?, '{"site":"fra1"}')`).run(i, `n-${i}`, `N ${i}`);
        // every node fails once at -3 h; node 1 alone fails twice at -5 h (its own worst hour, not the set's)
        const results = [{ time: NOW - 3 * HOUR, ok: false }, { time: NOW - 3 * HOUR + 1000, ok: true }];
        if (i === 1) results.push({ time: NOW - 5 * HOUR, ok: false }, { time: NOW - 5 * HOUR + 1, ok: false });
        figures.store.addResults(results.map((r) => ({ nodeId: i, latency_ms: r.ok ? 10 : null, ...r })));
        figures.store.recordStatus(i, NOW - 6 * HOUR, "up", null);
      }
    })();
    let yields = 0;
    const { answer } = await new SlaReports(sqlite, clock, figures).report({ tag: "site=fra1", from: NOW - 6 * HOUR, to: NOW, format: "json" }, async () => {
      yields++;
    });
    expect(yields).toBe(2);
    expect(answer.lines).toHaveLength(n);
    expect(answer.lines[0].worst_hour).toMatchObject({ start: NOW - 5 * HOUR, failures: 2 });
    expect(answer.total.worst_hour).toMatchObject({ start: NOW - 3 * HOUR, failures: n, checks: 2 * n });
    expect(answer.total.uptime_percent).toBe(100);
  });
});
