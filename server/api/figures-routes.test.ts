import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCore, personOf } from "../test-support/core";
import { HOST, ORIGIN, signedIn } from "../test-support/people";
import { setCore } from "../registry";
import { SLA_CSV_COLUMNS } from "../network/sla";
import type { RouteHandler } from "./route";

// The network figures over HTTP: a node's latency chart, uptime, outages and the SLA report, read
// from the roll-ups and the status history that the heartbeats wrote; bad parameters are 400
// naming the parameter.
const root = path.resolve(import.meta.dirname, "..", "..");
const MIN = 60_000;
const { core, clock } = testCore({ network: { configFile: null, watchConfig: false } });
const NOW = clock.now();
let cookie = "";
let id = "";

beforeAll(async () => {
  setCore(core);
  cookie = (await signedIn(core, "viewer@bank.test", "viewer")).cookie;
  // a node made over the API, whose name a spreadsheet would run as a formula
  const made = core.createNode({ id: "pay-gw", name: '=HYPERLINK("http://evil.example","x")', tags: { site: "fra1", tier: "edge" } } as never, personOf("noc"));
  if (!made.ok) throw new Error(made.message);
  id = String(made.value.node.id);
  core.createNode({ id: "pay-db", tags: { site: "fra1" } } as never, personOf("noc"));
  // an hour of heartbeats every 30 s: failing from -30 min to -20 min (first good check at -20 min)
  const beats = [];
  for (let t = NOW - 60 * MIN; t <= NOW - 30_000; t += 30_000) {
    const failing = t >= NOW - 30 * MIN && t < NOW - 20 * MIN;
    beats.push({ node: "pay-gw", ok: !failing, latency_ms: failing ? undefined : 20 + ((t / 30_000) % 10), time: t, message: failing ? "HTTP 503" : undefined });
    beats.push({ node: "pay-db", ok: true, latency_ms: 5, time: t });
    // a node known only by its heartbeats (judged by the ingest, not the status machine)
    beats.push({ node: "edge-hb", ok: !failing, latency_ms: failing ? undefined : 7, time: t, message: failing ? "link down" : undefined });
  }
  const r = core.ingestHeartbeats(beats, "test");
  if (r.accepted !== beats.length) throw new Error(JSON.stringify(r));
});
afterAll(() => setCore(undefined));

async function get(route: string, url: string, params: Record<string, string> = {}) {
  const handler = (await import(path.join(root, "app/api/v1", route, "route.ts"))).GET as RouteHandler;
  const res = await handler(new Request(`http://${HOST}${url}`, { headers: { host: HOST, cookie, origin: ORIGIN, "x-vigil-remote-addr": "192.0.2.10" } }), { params: Promise.resolve(params) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}
const latency = (q: string) => get("nodes/[id]/latency", `/api/v1/nodes/${id}/latency?${q}`, { id });

describe("GET /api/v1/nodes/:id/latency", () => {
  it("answers the last hour per minute from the minute roll-ups: percentiles, checks and failures", async () => {
    const r = await latency("range=1h");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ node: { key: "pay-gw" }, resolution: "minute", step_ms: MIN, to: NOW });
    const points = r.body.points as { t: number; count: number; failures: number; p50: number | null; p95: number | null }[];
    expect(points.length).toBeGreaterThanOrEqual(60);
    expect(points.length).toBeLessThanOrEqual(61);
    expect(points.reduce((s, p) => s + p.count, 0)).toBe(120);
    expect(points.reduce((s, p) => s + p.failures, 0)).toBe(20);
    const failing = points.find((p) => p.t === NOW - 25 * MIN)!;
    expect(failing).toMatchObject({ count: 2, failures: 2, p50: null, p95: null });
    const good = points.find((p) => p.t === NOW - 50 * MIN)!;
    expect(good.count).toBe(2);
    expect(good.p50).toBeGreaterThanOrEqual(20);
    expect(good.p95).toBeGreaterThanOrEqual(good.p50!);
  });

  it("takes hours for up to 30 days and days beyond, with a bounded number of points", async () => {
    const month = await latency("range=30d");
    expect(month.body).toMatchObject({ resolution: "hour", step_ms: 60 * MIN });
    expect(month.body.points.length).toBeLessThanOrEqual(721);
    expect(month.body.points.reduce((s: number, p: { count: number }) => s + p.count, 0)).toBe(120);
    const day = await latency("range=24h");
    expect(day.body).toMatchObject({ resolution: "minute", step_ms: 2 * MIN });
    const from = new Date(NOW - 90 * 86_400_000).toISOString();
    const quarter = await latency(`from=${from}&to=${new Date(NOW).toISOString()}`);
    expect(quarter.body).toMatchObject({ resolution: "day", step_ms: 86_400_000 });
    expect(quarter.body.points.length).toBeLessThanOrEqual(91);
  });

  it.each([
    ["range=2h", /^range: /],
    [`range=1h&from=${new Date(NOW - MIN).toISOString()}`, /^range: give range or from\/to, not both/],
    [`to=${new Date(NOW).toISOString()}`, /^from: required when to is given/],
    [`from=${new Date(NOW).toISOString()}&to=${new Date(NOW - MIN).toISOString()}`, /^to: must be after from/],
    ["from=yesterday", /^from: /],
    ["from=2026-11-21T10:00:00", /^from: /],
    [`from=${new Date(NOW - 2000 * 86_400_000).toISOString()}&to=${new Date(NOW).toISOString()}`, /^from: the range may cover at most 1830 days/],
    ["range=1h&range=24h", /^range: given more than once/],
    ["points=5", /points/],
  ])("%s is 400 naming the parameter", async (q, message) => {
    const r = await latency(q);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(message);
  });

  it("a from in the future with no to is 400 naming from; an unknown node is 404", async () => {
    const r = await latency(`from=${new Date(NOW + MIN).toISOString()}`);
    expect(r).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^from: must be before to/) } } });
    expect((await get("nodes/[id]/latency", "/api/v1/nodes/9999/latency", { id: "9999" })).status).toBe(404);
  });
});

describe("GET /api/v1/nodes/:id/uptime and /outages", () => {
  it("weights uptime by time: a 10-minute outage is 10 minutes; time before the history is no-data, not up", async () => {
    const r = await get("nodes/[id]/uptime", `/api/v1/nodes/pay-gw/uptime?from=${new Date(NOW - 40 * MIN).toISOString()}&to=${new Date(NOW).toISOString()}`, { id: "pay-gw" });
    expect(r.status).toBe(200);
    const day = r.body.windows["24h"];
    expect(day.downtime_minutes).toBe(10);
    expect(day.outages).toBe(1);
    expect(day.maintenance_minutes).toBe(0);
    // up from the first check (pending before it counts as no data)
    expect(day.up_minutes + day.downtime_minutes + day.unknown_minutes).toBe(24 * 60);
    expect(day.uptime_percent).toBeCloseTo((100 * day.up_minutes) / (day.up_minutes + 10), 3);
    expect(r.body.range).toMatchObject({ downtime_minutes: 10, up_minutes: 30, unknown_minutes: 0, uptime_percent: 75 });
    expect(r.body.windows["30d"].downtime_minutes).toBe(10);
  });

  it("lists outages newest first with start, end, duration and cause, and the true total", async () => {
    const r = await get("nodes/[id]/outages", `/api/v1/nodes/${id}/outages?limit=5`, { id });
    expect(r.body).toMatchObject({ total: 1, limit: 5, offset: 0 });
    expect(r.body.outages).toEqual([{ start: NOW - 30 * MIN, end: NOW - 20 * MIN, duration_ms: 10 * MIN, status: "down", cause: expect.stringContaining("HTTP 503") }]);
    // a heartbeat node goes down at its third failure in a row, but the outage is dated by the first
    const hb = await get("nodes/[id]/outages", "/api/v1/nodes/edge-hb/outages", { id: "edge-hb" });
    expect(hb.body.outages).toEqual([{ start: NOW - 30 * MIN, end: NOW - 20 * MIN, duration_ms: 10 * MIN, status: "down", cause: "link down" }]);
    const bad = await get("nodes/[id]/outages", `/api/v1/nodes/${id}/outages?limit=0`, { id });
    expect(bad).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^limit: /) } } });
  });
});

describe("GET /api/v1/reports/sla", () => {
  const sla = (q: string) => get("reports/sla", `/api/v1/reports/sla?${q}`);
  const range = `from=${new Date(NOW - 60 * MIN).toISOString()}&to=${new Date(NOW).toISOString()}`;

  it("answers one node's uptime, downtime, outages, incidents and worst hour as JSON", async () => {
    const r = await sla(`node=pay-gw&${range}`);
    expect(r.status).toBe(200);
    expect(r.body.lines).toHaveLength(1);
    expect(r.body.lines[0]).toMatchObject({ node: "pay-gw", downtime_minutes: 10, outages: 1, incidents: 1, tags: { site: "fra1", tier: "edge" } });
    expect(r.body.lines[0].worst_hour).toMatchObject({ failures: 20 });
    expect(r.body.total).toMatchObject({ node: "pay-gw", downtime_minutes: 10 });
  });

  it("a tag's report has a line per node and the set's total", async () => {
    const r = await sla(`tag=site=fra1&${range}`);
    expect(r.body.lines.map((l: { node: string }) => l.node)).toEqual(["pay-gw", "pay-db"]);
    expect(r.body.total).toMatchObject({ node: "tag site=fra1", downtime_minutes: 10, outages: 1, incidents: 1, tags: { site: "fra1" } });
    expect(r.body.total.uptime_percent).toBeCloseTo((100 * 110) / 120, 3);
  });

  it("as CSV: an attachment, the documented columns, text a spreadsheet would run kept as text", async () => {
    const r = await sla(`node=${id}&${range}&format=csv`);
    expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(r.headers.get("content-disposition")).toBe(`attachment; filename="vigil-sla-2026-11-21-2026-11-21.csv"`);
    const lines = (r.body as string).split("\r\n");
    expect(lines[0]).toBe(SLA_CSV_COLUMNS.join(","));
    expect(lines[1]).toMatch(/^node,pay-gw,"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\)",site=fra1; tier=edge,/);
    expect(lines[2]).toMatch(/^total,pay-gw,/);
  });

  it.each([
    ["format=csv", /^node: give node=/],
    ["node=pay-gw&tag=site=fra1", /^node: give node=/],
    ["tag=site", /^tag: expected key=value/],
    [`node=pay-gw&from=${new Date(NOW - 500 * 86_400_000).toISOString()}&to=${new Date(NOW).toISOString()}`, /^from: the range may cover at most 400 days/],
    ["node=pay-gw&format=xlsx", /^format: /],
  ])("%s is 400 naming the parameter", async (q, message) => {
    const r = await sla(q);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(message);
  });

  it("an unknown node is 404; a tag no node has is an empty report", async () => {
    expect((await sla("node=nope")).status).toBe(404);
    const empty = await sla("tag=site=nowhere");
    expect(empty.body).toMatchObject({ lines: [], total: { uptime_percent: null, incidents: 0 } });
  });
});
