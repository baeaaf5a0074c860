import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import { HOST } from "../test-support/people";
import { setCore } from "../registry";
import { cliActor } from "../auth/actor";
import type { RouteHandler } from "./route";

// The triage routes over HTTP: parameters parsed strictly (unknown ones are 400), ids checked,
// a missing event answered 404 in the uniform error body.
const root = path.resolve(import.meta.dirname, "..", "..");
const { core, clock } = testCore();
let token = "";
let eventId = 0;

beforeAll(async () => {
  setCore(core);
  await core.access.users.create({ email: "analyst@bank.test", role: "analyst", password: "correct horse battery" }, cliActor());
  token = core.access.keys.create({ ownerEmail: "analyst@bank.test", name: "triage", scopes: ["read"] }, cliActor()).token;
  core.ingestEvents([{ kind: "ids_alert", severity: "high", time: clock.now() - 60_000, src_ip: "203.0.113.5", signature: "ET EXPLOIT x" }], "test");
  eventId = core.events({ limit: 1 }).events[0].id;
});
afterAll(() => setCore(undefined));

async function get(route: string, url: string, params: Record<string, string> = {}) {
  const handler = (await import(path.join(root, "app/api/v1", route, "route.ts"))).GET as RouteHandler;
  const res = await handler(new Request(`http://${HOST}${url}`, { headers: { host: HOST, authorization: `Bearer ${token}`, "x-vigil-remote-addr": "192.0.2.10" } }), {
    params: Promise.resolve(params),
  });
  return { status: res.status, body: await res.json() };
}

describe("triage routes", () => {
  it("GET /api/v1/events/:id answers the event with its raw line and incidents, 404 when missing, 400 for a non-decimal id", async () => {
    const found = await get("events/[id]", `/api/v1/events/${eventId}`, { id: String(eventId) });
    expect(found.status).toBe(200);
    expect(found.body.event).toMatchObject({ id: eventId, signature: "ET EXPLOIT x", src_ip: "203.0.113.5", raw: null, fingerprint: null });
    expect(found.body.event.received_at).toBe(clock.now());
    expect(found.body.incidents).toEqual([]);
    const missing = await get("events/[id]", "/api/v1/events/999999", { id: "999999" });
    expect(missing).toEqual({ status: 404, body: { error: { code: "not_found", message: "event 999999 not found" } } });
    for (const id of ["abc", "1e3", "-1", "0x10", "01"]) expect((await get("events/[id]", `/api/v1/events/${id}`, { id })).status).toBe(400);
  });

  it.each([
    ["events", "/api/v1/events?src_ip=203.0.113.5"],
    ["events/groups", "/api/v1/events/groups?by=src&sort=count"],
    ["security/top", "/api/v1/security/top?dim=src"],
    ["security/snapshot", "/api/v1/security/snapshot?src=1"],
    ["events/[id]", "/api/v1/events/1?src=1", { id: "1" }],
  ] as [string, string, Record<string, string>?][])("GET %s answers an unknown query parameter with 400 naming it", async (route, url, params) => {
    const res = await get(route, url, params);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_query");
    expect(res.body.error.message).toMatch(/src_ip|sort|dim|src/);
  });

  it("GET /api/v1/events/groups and /security/top answer the contract's shapes", async () => {
    const groups = await get("events/groups", "/api/v1/events/groups?by=signature&severity=high,critical");
    expect(groups).toMatchObject({ status: 200, body: { by: "signature", groups: [{ key: "ET EXPLOIT x", count: 1, rows: 1, worst: "high", sources: 1 }], total_groups: 1, rows: 1, exact: true } });
    const top = await get("security/top", "/api/v1/security/top?limit=5");
    expect(top.status).toBe(200);
    expect(top.body).toMatchObject({ since: clock.now() - 86_400_000, until: clock.now(), sources: [{ value: "203.0.113.5", count: 1, worst: "high" }], signatures: [{ value: "ET EXPLOIT x", count: 1 }], users: [] });
    expect((await get("events/groups", "/api/v1/events/groups?by=nothing")).status).toBe(400);
  });
});
