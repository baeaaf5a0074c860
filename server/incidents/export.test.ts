import { describe, expect, it } from "vitest";
import { personOf, testCore } from "../test-support/core";
import { IncidentService } from "./service";
import { csvCell, INCIDENT_EXPORT_PAGE } from "./export";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("incident export", () => {
  it("streams every incident of the filter past one page, with its timeline, as NDJSON", async () => {
    const { core, handle, clock } = testCore();
    const service = new IncidentService(handle.db, clock);
    const n = INCIDENT_EXPORT_PAGE * 2 + 7;
    for (let k = 0; k < n; k++) service.record({ rule: "brute_force", entity: `e${k}`, pane: "security", title: `t${k}`, severity: "high", time: T0 - k, increment: 1 });
    core.acknowledgeIncident(1, personOf("analyst", "ana@bank.test"), { note: "on it" });
    const lines = (await text(core.exportIncidents({ status: "all" }, "ndjson"))).trim().split("\n");
    expect(lines).toHaveLength(n);
    const ids = new Set(lines.map((l) => (JSON.parse(l) as { incident: { id: number } }).incident.id));
    expect(ids.size).toBe(n);
    const first = lines.map((l) => JSON.parse(l) as { incident: { id: number }; timeline: { action: string; note: string | null }[] }).find((x) => x.incident.id === 1)!;
    expect(first.timeline.map((t) => t.action)).toEqual(["opened", "acknowledged"]);
    expect((await text(core.exportIncidents({ status: "all" }, "ndjson", 10))).trim().split("\n")).toHaveLength(10);
  });

  it("writes CSV a spreadsheet cannot run: cells starting = + - @ (and control characters) are led by a quote", async () => {
    const { core, handle, clock } = testCore();
    const service = new IncidentService(handle.db, clock);
    service.record({ rule: "brute_force", entity: "=HYPERLINK(\"http://evil\")", pane: "security", title: '+cmd|"/c calc"!A1', severity: "high", time: T0, increment: 1 });
    const csv = await text(core.exportIncidents({ status: "all" }, "csv"));
    const [header, row] = csv.split("\r\n");
    expect(header.startsWith("id,title,rule,entity")).toBe(true);
    expect(row).toContain(`"'+cmd|""/c calc""!A1"`);
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell("-1")).toBe(`"'-1"`);
    expect(csvCell("\tx")).toBe(`"'\tx"`);
    expect(csvCell("plain")).toBe(`"plain"`);
  });
});
