import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personOf, testCore } from "../test-support/core";
import { HOST, ORIGIN, signedIn } from "../test-support/people";
import { setCore } from "../registry";
import type { RouteHandler } from "./route";

// The incident list's sort over HTTP: sort and order in the query, a 400 naming an unknown sort or
// order, an order a sort does not take, and a cursor of another order; the bulk route takes the
// list's filter with its sort (and ignores the order: a bulk action has none); exports write in it.
const root = path.resolve(import.meta.dirname, "..", "..");
const { core, clock } = testCore();
let cookie = "";

const T0 = clock.now();
const burst = (src: string, at: number) => Array.from({ length: 10 }, (_, i) => ({ kind: "auth_failure", src_ip: src, user: `u-${src}`, time: at + i }));

beforeAll(async () => {
  setCore(core);
  cookie = (await signedIn(core, "ana@bank.test", "analyst")).cookie;
  // three brute-force incidents, the newest first opened last; the oldest made critical
  core.ingestEvents([...burst("198.51.100.1", T0 - 300_000), ...burst("198.51.100.2", T0 - 200_000), ...burst("198.51.100.3", T0 - 100_000)], "test");
});
afterAll(() => setCore(undefined));

async function call(method: "GET" | "POST", route: string, url: string, body?: unknown) {
  const mod = (await import(path.join(root, "app/api/v1", route, "route.ts"))) as Record<string, RouteHandler>;
  const req = new Request(`http://${HOST}${url}`, {
    method,
    headers: { host: HOST, origin: ORIGIN, cookie, "content-type": "application/json", "x-vigil-remote-addr": "192.0.2.10" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await mod[method](req, { params: Promise.resolve({}) });
  const text = await res.text();
  return { status: res.status, text, body: res.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : null };
}

const entities = (body: { incidents: { entity: string }[] }) => body.incidents.map((i) => i.entity.replace(/^.*:/, ""));

describe("GET /api/v1/incidents?sort=", () => {
  it("orders by the sort asked, and pages it with its own cursor", async () => {
    const [oldest] = core.incidentsSnapshot({ status: "active", sort: "oldest", limit: 1 }).incidents;
    clock.advance(60_000);
    expect(core.changeIncident(oldest.id, { action: "severity", severity: "critical" }, personOf("analyst", "ana@bank.test")).ok).toBe(true);
    const bySeverity = await call("GET", "incidents", "/api/v1/incidents?status=all&sort=severity&limit=2");
    expect(bySeverity.status).toBe(200);
    expect(entities(bySeverity.body)).toEqual(["198.51.100.1", "198.51.100.3"]);
    expect(bySeverity.body.next_before).toMatch(/^severity\.desc\.3\.\d+\.\d+$/);
    const rest = await call("GET", "incidents", `/api/v1/incidents?status=all&sort=severity&limit=2&before=${bySeverity.body.next_before}`);
    expect(entities(rest.body)).toEqual(["198.51.100.2"]);
    expect(rest.body.next_before).toBeNull();
    const ascending = await call("GET", "incidents", "/api/v1/incidents?status=all&sort=severity&order=asc");
    expect(entities(ascending.body)).toEqual(["198.51.100.2", "198.51.100.3", "198.51.100.1"]);
    const age = await call("GET", "incidents", "/api/v1/incidents?sort=age-open");
    expect(entities(age.body)).toEqual(["198.51.100.1", "198.51.100.2", "198.51.100.3"]);
    // the severity change is the newest timeline entry of all
    const updated = await call("GET", "incidents", "/api/v1/incidents?sort=updated&limit=1");
    expect(entities(updated.body)).toEqual(["198.51.100.1"]);
  });

  it.each([
    ["an unknown sort, named", "sort=worst", /sort.*unknown sort "worst": expected newest, oldest, last_seen, severity, age-open, updated/],
    ["an unknown order, named", "sort=severity&order=up", /order.*unknown order "up": expected asc or desc/],
    ["an order with a sort that names its direction", "sort=oldest&order=desc", /order.*newest and oldest name their direction/],
    ["an order without a sort (newest)", "order=asc", /order.*newest and oldest name their direction/],
    ["a cursor of another order", "sort=updated&before=1763726400000-3", /before.*last_seen desc order, not updated desc/],
    ["a cursor of the same key in the other direction", "sort=severity&order=asc&before=severity.desc.3.1763726400000.3", /before.*severity desc order, not severity asc/],
    ["a cursor that is not one", "sort=severity&before=severity.desc.9.1.2", /before.*expected a cursor/],
    ["a sort given twice", "sort=severity&sort=oldest", /sort: given more than once/],
  ])("answers %s with 400", async (_name, query, message) => {
    const res = await call("GET", "incidents", `/api/v1/incidents?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_query");
    expect(res.body.error.message).toMatch(message);
  });

  it("exports in the list's order, and refuses an unknown sort there too", async () => {
    const csv = await call("GET", "incidents/export", "/api/v1/incidents/export?format=ndjson&status=all&sort=age-open&order=asc");
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split("\n").map((l) => JSON.parse(l).incident.entity.replace(/^.*:/, ""));
    expect(lines).toEqual(["198.51.100.3", "198.51.100.2", "198.51.100.1"]);
    const bad = await call("GET", "incidents/export", "/api/v1/incidents/export?sort=nope");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/unknown sort "nope"/);
  });

  it("bulk by filter takes the list's filter with its sort and order and ignores them", async () => {
    const res = await call("POST", "incidents/bulk", "/api/v1/incidents/bulk", { action: "acknowledge", filter: { status: "open", sort: "severity", order: "asc" } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ matched: 3, succeeded: 3, failed: [] });
    const bad = await call("POST", "incidents/bulk", "/api/v1/incidents/bulk", { action: "acknowledge", filter: { status: "open", sort: "sideways" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/unknown sort "sideways"/);
  });
});
