import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCore } from "../../test-support/core";
import { HOST, ORIGIN, signedIn } from "../../test-support/people";
import { setCore } from "../../registry";
import type { RouteHandler } from "../../api/route";
import { receiver, type Receiver } from "./test-receivers";

// The notification routes over HTTP as an admin: secrets shown once and never again (answers and
// audit), URLs and policies validated with 400s naming the field, an endpoint still paged by the
// policy cannot be deleted, a test delivery reaches a real receiver, the dry run answers minutes.
const root = path.resolve(import.meta.dirname, "..", "..", "..");
const { core } = testCore();
let cookie = "";
let hook: Receiver;

beforeAll(async () => {
  setCore(core);
  cookie = (await signedIn(core, "admin@bank.test", "admin", { mfa: true })).cookie;
  hook = await receiver();
});
afterAll(async () => {
  setCore(undefined);
  await hook.close();
});

async function call(method: string, route: string, url: string, body?: unknown, params: Record<string, string> = {}) {
  const mod = (await import(path.join(root, "app/api/v1", route, "route.ts"))) as Record<string, RouteHandler>;
  const req = new Request(`http://${HOST}${url}`, {
    method,
    headers: { host: HOST, origin: ORIGIN, cookie, "content-type": "application/json", "x-vigil-remote-addr": "192.0.2.10" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await mod[method](req, { params: Promise.resolve(params) });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

describe("notification routes", () => {
  it("POST answers the secret once; GET, PATCH and the audit log never show it", async () => {
    const created = await call("POST", "notifications/endpoints", "/api/v1/notifications/endpoints", { name: "ops channel", url: hook.url, format: "slack", events: ["open", "resolve"], min_severity: "high" });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(created.body.endpoint).toMatchObject({ name: "ops channel", url: hook.url, format: "slack", events: ["open", "resolve"], min_severity: "high", enabled: true, created_by: "admin@bank.test" });
    expect(created.body.endpoint).not.toHaveProperty("secret");
    const id = String(created.body.endpoint.id);

    const list = await call("GET", "notifications/endpoints", "/api/v1/notifications/endpoints");
    expect(list.body.endpoints).toHaveLength(1);
    expect(list.body.endpoints[0].last_delivery).toBeNull();
    expect(list.text).not.toContain(secret);
    const rotated = "a-new-secret-of-more-than-16";
    const patched = await call("PATCH", "notifications/endpoints/[id]", `/api/v1/notifications/endpoints/${id}`, { secret: rotated, name: "ops" }, { id });
    expect(patched.status).toBe(200);
    expect(patched.body.endpoint.name).toBe("ops");
    expect(patched.text).not.toContain(rotated);
    const audit = JSON.stringify(core.access.audit.list({ limit: 100 }));
    expect(audit).toContain("notification_endpoint_created");
    expect(audit).toContain("notification_endpoint_updated");
    expect(audit).not.toContain(secret);
    expect(audit).not.toContain(rotated);
  });

  it.each(["file:///etc/passwd", "javascript:alert(document.cookie)", "http://admin:hunter2@hooks.test/x"])("refuses the URL %s with 400 naming the field", async (url) => {
    const res = await call("POST", "notifications/endpoints", "/api/v1/notifications/endpoints", { name: "bad", url });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_body");
    expect(res.body.error.message).toMatch(/^url: /);
    const patch = await call("PATCH", "notifications/endpoints/[id]", "/api/v1/notifications/endpoints/1", { url }, { id: "1" });
    expect(patch.status).toBe(400);
  });

  it("a test delivery reaches the receiver and is answered with its attempt; unknown ids are 404", async () => {
    const res = await call("POST", "notifications/endpoints/[id]/test", "/api/v1/notifications/endpoints/1/test", undefined, { id: "1" });
    expect(res.status).toBe(200);
    expect(res.body.delivery).toMatchObject({ event: "test", status: "delivered", incident_id: null, attempts: [{ attempt: 1, status_code: 200, ok: true }] });
    expect(hook.got).toHaveLength(1);
    expect(JSON.parse(hook.got[0].body).text).toBe('Vigil test notification for endpoint "ops": this endpoint receives Vigil\'s incident notifications.');
    const history = await call("GET", "notifications/endpoints/[id]/deliveries", "/api/v1/notifications/endpoints/1/deliveries?limit=5", undefined, { id: "1" });
    expect(history.body).toMatchObject({ deliveries: [{ event: "test", status: "delivered" }], next_before: null });
    // the list tells what happened the last time each endpoint was told
    const listed = await call("GET", "notifications/endpoints", "/api/v1/notifications/endpoints");
    expect(listed.body.endpoints[0].last_delivery).toMatchObject({ id: res.body.delivery.id, event: "test", status: "delivered", last_status_code: 200, last_error: null });
    expect((await call("POST", "notifications/endpoints/[id]/test", "/api/v1/notifications/endpoints/99/test", undefined, { id: "99" })).status).toBe(404);
    expect((await call("GET", "notifications/endpoints/[id]/deliveries", "/api/v1/notifications/endpoints/99/deliveries", undefined, { id: "99" })).status).toBe(404);
    expect((await call("GET", "incidents/[id]/deliveries", "/api/v1/incidents/99/deliveries", undefined, { id: "99" })).status).toBe(404);
  });

  it("PATCH escalation replaces only the severities it names: two admins saving different severities keep each other's", async () => {
    await call("PUT", "notifications/escalation", "/api/v1/notifications/escalation", { policies: { critical: { levels: [{ endpoints: [1] }] }, high: { levels: [{ endpoints: [1] }] } } });
    // each admin's page loaded both; one saves critical, the other low
    const first = await call("PATCH", "notifications/escalation", "/api/v1/notifications/escalation", { policies: { critical: { levels: [{ after: "5m", endpoints: [1] }, { endpoints: [1] }] } } });
    expect(first.status).toBe(200);
    const second = await call("PATCH", "notifications/escalation", "/api/v1/notifications/escalation", { policies: { low: { levels: [{ endpoints: [1] }] }, high: { levels: [] } } });
    expect(second.status).toBe(200);
    const now = (await call("GET", "notifications/escalation", "/api/v1/notifications/escalation")).body.policies;
    expect(Object.keys(now).sort()).toEqual(["critical", "low"]);
    expect(now.critical.levels.map((l: { after: string | null }) => l.after)).toEqual(["5m", null]);
    const bad = await call("PATCH", "notifications/escalation", "/api/v1/notifications/escalation", { policies: { low: { levels: [{ endpoints: [9] }] } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe("policies.low.levels.0.endpoints: no notification endpoint 9");
    await call("PUT", "notifications/escalation", "/api/v1/notifications/escalation", { policies: {} });
  });

  it("PUT escalation checks the endpoints it names; the dry run answers minutes; an endpoint still paged cannot be deleted (409)", async () => {
    const unknown = await call("PUT", "notifications/escalation", "/api/v1/notifications/escalation", { policies: { critical: { levels: [{ after: "10m", endpoints: [1] }, { endpoints: [7] }] } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe("policies.critical.levels.1.endpoints: no notification endpoint 7");
    const put = await call("PUT", "notifications/escalation", "/api/v1/notifications/escalation", { policies: { critical: { levels: [{ after: "10m", endpoints: [1] }, { after: "1h", endpoints: [1] }, { endpoints: [1] }] } } });
    expect(put.status).toBe(200);
    expect(put.body.policies.critical.levels.map((l: { after: string | null; after_ms: number | null }) => [l.after, l.after_ms])).toEqual([["10m", 600_000], ["1h", 3_600_000], [null, null]]);
    expect((await call("GET", "notifications/escalation", "/api/v1/notifications/escalation")).body).toEqual(put.body);

    const dry = await call("GET", "notifications/escalation/dry-run", "/api/v1/notifications/escalation/dry-run?severity=critical");
    expect(dry.body.steps.map((s: { level: number; at_minute: number; event: string }) => [s.level, s.at_minute, s.event])).toEqual([[1, 0, "open"], [2, 10, "escalate"], [3, 70, "escalate"]]);
    expect(dry.body.subscribers).toEqual([{ id: 1, name: "ops" }]);
    expect((await call("GET", "notifications/escalation/dry-run", "/api/v1/notifications/escalation/dry-run")).status).toBe(400);
    expect((await call("GET", "notifications/escalation/dry-run", "/api/v1/notifications/escalation/dry-run?incident=99")).status).toBe(404);

    const refused = await call("DELETE", "notifications/endpoints/[id]", "/api/v1/notifications/endpoints/1", undefined, { id: "1" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe("endpoint 1 is paged by the escalation policy (critical level 1, critical level 2, critical level 3): remove it there first");
    await call("PUT", "notifications/escalation", "/api/v1/notifications/escalation", { policies: {} });
    const deleted = await call("DELETE", "notifications/endpoints/[id]", "/api/v1/notifications/endpoints/1", undefined, { id: "1" });
    expect(deleted.status).toBe(200);
    expect((await call("GET", "notifications/endpoints", "/api/v1/notifications/endpoints")).body.endpoints).toEqual([]);
    // the history of a deleted endpoint stays readable
    expect((await call("GET", "notifications/endpoints/[id]/deliveries", "/api/v1/notifications/endpoints/1/deliveries", undefined, { id: "1" })).body.deliveries).toHaveLength(1);
  });
});
