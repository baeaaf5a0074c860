import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LatencySketch } from "./latency-sketch";
import type { RollupRecord } from "./rollup";
import { csvCell, csvLine, slaCsv, slaReport, worstHour, type SlaNodeInput } from "./sla";
import { uptime, type StatusInterval } from "./uptime";

const MIN = 60_000;
const at = (hhmm: string) => Date.parse(`2026-11-21T${hhmm}:00Z`);
const RANGE = { from: at("00:00"), to: at("00:00") + 86_400_000 };
const iv = (status: StatusInterval["status"], from: string, to: string | null, reason?: string): StatusInterval => ({ status, from: at(from), to: to === null ? null : at(to), reason });
function hour(hhmm: string, checks: number, failures: number, latencies: number[] = []): RollupRecord {
  const sketch = new LatencySketch();
  for (const v of latencies) sketch.add(v);
  return { bucket: at(hhmm), count: checks, failures, sketch };
}
const flat = (n: number, v: number) => Array.from({ length: n }, () => v);

const edge: SlaNodeInput = {
  node: "edge-router-1",
  name: "Edge router, Frankfurt",
  tags: { site: "fra1", tier: "edge" },
  uptime: uptime(RANGE, [iv("up", "00:00", "02:00"), iv("maintenance", "02:00", "04:00", "core swap"), iv("up", "04:00", "10:00"), iv("down", "10:00", "10:10", "tcp: refused"), iv("up", "10:10", null)]),
  incidents: 1,
  hours: [hour("10:00", 120, 20, flat(100, 30)), hour("14:00", 120, 0, flat(120, 900)), hour("00:00", 120, 0, flat(120, 25))],
};
const api: SlaNodeInput = {
  node: "api-gateway-1",
  tags: { site: "fra1", tier: "app" },
  // no data before 06:00, unreachable behind its parent 10:00-10:10
  uptime: uptime(RANGE, [iv("up", "06:00", "10:00"), iv("unreachable", "10:00", "10:10", "its parent is down"), iv("up", "10:10", null)]),
  incidents: 1,
  hours: [hour("10:00", 120, 20, flat(100, 80)), hour("11:00", 120, 5, flat(115, 40))],
};

describe("SLA report", () => {
  it("gives a node's uptime, downtime, maintenance, outages, incidents and worst hour", () => {
    const report = slaReport({ ...RANGE, nodes: [edge] });
    expect(report.lines[0]).toEqual({
      node: "edge-router-1",
      name: "Edge router, Frankfurt",
      tags: { site: "fra1", tier: "edge" },
      uptime_ratio: 1310 / 1320,
      downtime_minutes: 10,
      maintenance_minutes: 120,
      unknown_minutes: 0,
      outages: 1,
      incidents: 1,
      worst_hour: { start: at("10:00"), checks: 120, failures: 20, p95: expect.closeTo(30, 0) },
    });
    expect(report.total).toMatchObject({ node: "edge-router-1", uptime_ratio: 1310 / 1320, incidents: 1 });
  });

  it("ranks the worst hour by p95 first when asked", () => {
    expect(worstHour(edge.hours, RANGE, "p95")).toMatchObject({ start: at("14:00"), failures: 0 });
    expect(worstHour(edge.hours, { from: at("11:00"), to: at("12:00") })).toBeNull();
  });

  it("totals a tag: uptime weighted by known time, failures summed per hour, one storm incident counted once", () => {
    const report = slaReport({ ...RANGE, nodes: [edge, api], label: "tag site=fra1", incidents: 1 });
    // edge: 1310 up / 10 down; api: 1070 up / 10 down (unreachable counts down), 360 unknown
    expect(report.total).toEqual({
      node: "tag site=fra1",
      name: null,
      tags: { site: "fra1" },
      uptime_ratio: (1310 + 1070) / (1310 + 1070 + 20),
      downtime_minutes: 20,
      maintenance_minutes: 120,
      unknown_minutes: 360,
      outages: 2,
      incidents: 1,
      worst_hour: { start: at("10:00"), checks: 240, failures: 40, p95: expect.closeTo(80, 0) },
    });
    expect(slaReport({ ...RANGE, nodes: [edge, api] }).total).toMatchObject({ node: "all", incidents: 2 });
  });

  it("refuses an empty range", () => {
    expect(() => slaReport({ from: 5, to: 5, nodes: [] })).toThrow(RangeError);
  });
});

describe("SLA CSV", () => {
  it("writes a header, a line per node and the total, CRLF-terminated", () => {
    const csv = slaCsv(slaReport({ ...RANGE, nodes: [edge, api], label: "tag site=fra1", incidents: 1 }));
    const lines = csv.split("\r\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe("scope,node,name,tags,from,to,uptime_percent,downtime_minutes,maintenance_minutes,unknown_minutes,outages,incidents,worst_hour_start,worst_hour_checks,worst_hour_failures,worst_hour_p95_ms");
    expect(lines[1]).toMatch(/^node,edge-router-1,"Edge router, Frankfurt",site=fra1; tier=edge,2026-11-21T00:00:00.000Z,2026-11-22T00:00:00.000Z,99.2424,10,120,0,1,1,2026-11-21T10:00:00.000Z,120,20,[\d.]+$/);
    expect(lines[3]).toMatch(/^total,tag site=fra1,,site=fra1,.*,99.1667,20,120,360,2,1,2026-11-21T10:00:00.000Z,240,40,/);
    expect(lines[4]).toBe("");
  });

  it("keeps attacker-chosen names and tags as text, never as spreadsheet formulas", () => {
    const evil: SlaNodeInput = { ...edge, node: '=HYPERLINK("http://evil.example","click")', name: "@SUM(A1:A9)", tags: { "-2+3": "x", owner: "+1 555" } };
    const line = slaCsv(slaReport({ ...RANGE, nodes: [evil], label: "\tcmd" })).split("\r\n")[1];
    expect(line.startsWith(`node,"'=HYPERLINK(""http://evil.example"",""click"")",'@SUM(A1:A9),'-2+3=x; owner=+1 555,`)).toBe(true);
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell(-1)).toBe("-1");
    expect(csvCell("a\r\nb")).toBe('"a\r\nb"');
    expect(csvCell("\rcmd")).toBe("\"'\rcmd\"");
    expect(csvCell(null)).toBe("");
  });

  it("round-trips any text through an RFC 4180 reader, with no cell starting as a formula", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary", maxLength: 20 }), { minLength: 1, maxLength: 6 }), (cells) => {
        const parsed = parseCsvRecord(csvLine(cells));
        expect(parsed).toEqual(cells.map((c) => (/^[=+\-@\t\r\n\0]/.test(c) ? `'${c}` : c)));
        for (const c of parsed) expect(c).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 500 },
    );
  });
});

/** A strict RFC 4180 reader of one record ending in CRLF. */
function parseCsvRecord(text: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = "";
    if (text[i] === '"') {
      for (i++; ; i++) {
        if (i >= text.length) throw new Error("unterminated quote");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i++;
          } else break;
        } else cell += text[i];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r") {
        if (text[i] === '"' || text[i] === "\n") throw new Error("bare quote or LF in an unquoted field");
        cell += text[i++];
      }
    }
    cells.push(cell);
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (text.slice(i) !== "\r\n") throw new Error(`record does not end in CRLF at ${i}`);
    return cells;
  }
}
