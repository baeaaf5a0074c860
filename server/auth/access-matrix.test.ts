import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { personOf, testCore } from "../test-support/core";
import { expireSessions, HOST, ORIGIN, signedIn } from "../test-support/people";
import { setCore } from "../registry";
import { attachLive } from "../live/socket";
import { socketAuthenticator } from "../live/socket-auth";
import { cliActor } from "./actor";
import { ROLE_PERMISSIONS, type Permission, type Role } from "./permissions";
import { CLIENT_EVENTS, STREAMS, type ClientToServerEvents, type SubscribeAck } from "../../lib/contracts/live";
import type { RouteAccess, RouteHandler } from "../api/route";

/**
 * Every HTTP route and every socket event, called as every kind of caller, checked against the
 * role matrix in permissions.ts. A route file without a declared permission fails here.
 */

const root = path.resolve(import.meta.dirname, "..", "..");
const { core } = testCore();

interface Caller {
  name: string;
  headers: Record<string, string>;
  token?: string;
  /** null: must be refused as unauthenticated (401); "mfa": refused until enrolment (403) */
  permissions: readonly Permission[] | null | "mfa";
}
const callers: Caller[] = [];
const ids: Record<string, string> = {};

beforeAll(async () => {
  setCore(core);
  const roles: Role[] = ["viewer", "noc", "analyst", "oncall", "admin"];
  for (const role of roles) {
    const who = await signedIn(core, `${role}@bank.test`, role, { mfa: role === "admin" || role === "oncall" });
    callers.push({ name: role, headers: { cookie: who.cookie }, permissions: ROLE_PERMISSIONS[role] });
  }
  const pending = await signedIn(core, "new-admin@bank.test", "admin");
  callers.push({ name: "admin without MFA", headers: { cookie: pending.cookie }, permissions: "mfa" });
  const stale = await signedIn(core, "stale@bank.test", "analyst");
  expireSessions(core, stale.id);
  callers.push({ name: "expired session", headers: { cookie: stale.cookie }, permissions: null });
  callers.push({ name: "no credentials", headers: {}, permissions: null });

  const key = (scopes: ("ingest" | "read" | "act")[]) => core.access.keys.create({ ownerEmail: "analyst@bank.test", name: scopes.join("+"), scopes }, cliActor());
  for (const scopes of [["ingest"], ["read"], ["read", "act"]] as const) {
    const { token } = key([...scopes]);
    // the owner is an analyst: `read` reaches the rules' thresholds too (rules:read)
    const perms = scopes.flatMap((s) => ({ ingest: ["ingest"], read: ["read", "rules:read"], act: ["incidents:security", "events:act"] })[s]) as Permission[];
    callers.push({ name: `key ${scopes.join("+")}`, headers: { authorization: `Bearer ${token}` }, token, permissions: perms });
  }
  const revoked = key(["ingest", "read", "act"]);
  core.access.keys.revoke(revoked.key.id, cliActor());
  callers.push({ name: "revoked key", headers: { authorization: `Bearer ${revoked.token}` }, token: revoked.token, permissions: null });
  callers.push({ name: "malformed key", headers: { authorization: "Bearer not-a-key" }, token: "not-a-key", permissions: null });

  // fixtures the parameterised routes point at
  core.registerNodes([{ key: "gw", name: "Gateway", kind: "gateway" }, { key: "matrix-node", name: "Matrix node", kind: "server" }]);
  const t0 = core.clock.now() - 60_000;
  core.ingestHeartbeats([1, 2, 3].map((t) => ({ node: "gw", ok: false, time: t0 + t })), "test");
  core.ingestEvents(Array.from({ length: 10 }, (_, i) => ({ kind: "auth_failure", src_ip: "203.0.113.5", time: t0 + 1000 + i })), "test");
  const incidents = core.incidentsSnapshot({ status: "all", limit: 10 }).incidents;
  ids.network = String(incidents.find((i) => i.pane === "network")!.id);
  ids.security = String(incidents.find((i) => i.pane === "security")!.id);
  ids.user = (await core.access.users.create({ email: "target@bank.test", role: "viewer", password: "correct horse battery" }, cliActor())).id;
  ids.key = String(key(["read"]).key.id);
  // a far-future security silence: DELETE /api/v1/silences/:id ends it for whoever may act on security
  const silence = core.createSilence({ matcher: { pane: "security", rule: "matrix" }, reason: "matrix fixture", ends_at: core.clock.now() + 86_400_000 }, personOf("admin", "matrix-admin@bank.test"));
  ids.silence = "id" in silence ? String(silence.id) : "0";
  ids.node = String(core.networkSnapshot().nodes.find((n) => n.key === "matrix-node")!.id);
});

afterAll(() => setCore(undefined));

/** Every route file under app/api, with its path template. */
function routeFiles(dir = path.join(root, "app", "api")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    return e.name === "route.ts" ? [full] : [];
  });
}

const BETTER_AUTH = path.join("app", "api", "auth", "[...all]", "route.ts");
let created = 0;
const BODIES: Record<string, () => unknown> = {
  "POST /api/v1/events": () => [{ kind: "anomaly", message: "matrix" }],
  "POST /api/v1/heartbeats": () => [{ node: "gw", ok: true, latency_ms: 3 }],
  "POST /api/v1/users": () => ({ email: `made-${++created}@bank.test`, role: "viewer", password: "correct horse battery" }),
  "PATCH /api/v1/users/[id]": () => ({ role: "viewer" }),
  "POST /api/v1/keys": () => ({ owner_email: "analyst@bank.test", name: `k${++created}`, scopes: ["read"] }),
  "PATCH /api/v1/settings": () => ({ require_mfa_all: false }),
  "POST /api/setup": () => ({ name: "x", email: "x@bank.test", password: "correct horse battery" }),
  "POST /api/v1/incidents/[id]/assign": () => ({ assignee: "analyst@bank.test" }),
  "POST /api/v1/incidents/[id]/notes": () => ({ note: "matrix" }),
  "POST /api/v1/incidents/[id]/severity": () => ({ severity: "high" }),
  "POST /api/v1/incidents/[id]/snooze": () => ({ until: Date.now() + 3_600_000 }),
  // a filter naming a pane is the pane's permission
  "POST /api/v1/incidents/bulk": () => ({ action: "acknowledge", filter: { pane: "security" } }),
  "POST /api/v1/incidents/[id]/checklist/[step]": () => ({ done: true }),
  // linking the security incident to itself: a 400 for whoever may act on it, 403 for whoever may not
  "POST /api/v1/incidents/[id]/links": () => ({ other: Number(ids.security) }),
  "POST /api/v1/response-plans": () => ({ name: `plan ${++created}`, rule: `rule_${created}`, steps: [{ id: "contain", text: "Block the source", phase: "containment", required: true }] }),
  // a silence of the security pane: its permission is the security one, as the matrix assumes
  "POST /api/v1/silences": () => ({ matcher: { pane: "security", rule: "brute_force" }, reason: "matrix", ends_at: Date.now() + 3_600_000 }),
  "PUT /api/v1/response-plans/[id]": () => ({ name: "p", steps: [{ id: "a", text: "A", phase: "investigation" }] }),
  "POST /api/v1/nodes": () => ({ id: `matrix-${++created}`, tags: { site: "matrix" } }),
  "PATCH /api/v1/nodes/[id]": () => ({ tags: { site: "matrix" } }),
  // port 9 (discard) refuses at once: a test delivery fails fast
  "POST /api/v1/notifications/endpoints": () => ({ name: `hook ${++created}`, url: "http://127.0.0.1:9/hook" }),
  "PATCH /api/v1/notifications/endpoints/[id]": () => ({ enabled: false }),
  "PUT /api/v1/notifications/escalation": () => ({ policies: {} }),
  "PATCH /api/v1/notifications/escalation": () => ({ policies: {} }),
};

/** Incident routes are called on the security incident, so their permission is the security one. */
/**
 * What each route is meant to require, written out a second time on purpose: a route added
 * without an entry here, or whose declared permission drifts from it, fails.
 */
const INTENDED: Record<string, RouteAccess> = {
  "GET /api/health": "public",
  "GET /healthz": "public",
  "GET /readyz": "public",
  "GET /metrics": "metrics:read",
  "POST /api/setup": "public",
  "GET /api/v1/me": "authenticated",
  "GET /api/v1/events": "read",
  "GET /api/v1/events/[id]": "read",
  "GET /api/v1/events/groups": "read",
  "POST /api/v1/events": "ingest",
  "POST /api/v1/heartbeats": "ingest",
  "POST /api/v1/ingest/suricata": "ingest",
  "POST /api/v1/ingest/fast": "ingest",
  "POST /api/v1/ingest/syslog": "ingest",
  "GET /api/v1/ingest/syslog": "read",
  "POST /api/v1/ingest/transactions": "ingest",
  "GET /api/v1/nodes": "read",
  "GET /api/v1/nodes/[id]": "read",
  "POST /api/v1/nodes": "nodes:manage",
  "PATCH /api/v1/nodes/[id]": "nodes:manage",
  "DELETE /api/v1/nodes/[id]": "nodes:manage",
  "POST /api/v1/nodes/[id]/pause": "nodes:manage",
  "POST /api/v1/nodes/[id]/resume": "nodes:manage",
  "GET /api/v1/nodes/export": "nodes:manage",
  "GET /api/v1/nodes/[id]/latency": "read",
  "GET /api/v1/nodes/[id]/uptime": "read",
  "GET /api/v1/nodes/[id]/outages": "read",
  "GET /api/v1/reports/sla": "read",
  "GET /api/v1/network/config": "read",
  // a push check's URL: the token in the path is the credential
  "GET /api/v1/push/[token]": "public",
  "POST /api/v1/push/[token]": "public",
  "GET /api/v1/network/summary": "read",
  "GET /api/v1/security/snapshot": "read",
  "GET /api/v1/security/top": "read",
  "GET /api/v1/security/rules": "rules:read",
  "GET /api/v1/incidents": "read",
  "GET /api/v1/incidents/[id]": "read",
  "POST /api/v1/incidents/[id]/ack": "incident-action",
  "POST /api/v1/incidents/[id]/resolve": "incident-action",
  "POST /api/v1/incidents/[id]/reopen": "incident-action",
  "POST /api/v1/incidents/[id]/assign": "incident-action",
  "POST /api/v1/incidents/[id]/snooze": "incident-action",
  "POST /api/v1/incidents/[id]/notes": "incident-action",
  "POST /api/v1/incidents/[id]/severity": "incident-action",
  "POST /api/v1/incidents/bulk": "incident-action",
  "GET /api/v1/incidents/stats": "read",
  "GET /api/v1/incidents/export": "read",
  "POST /api/v1/incidents/[id]/checklist/[step]": "incident-action",
  "POST /api/v1/incidents/[id]/links": "incident-action",
  "DELETE /api/v1/incidents/[id]/links/[other]": "incident-action",
  "GET /api/v1/response-plans": "read",
  "GET /api/v1/silences": "read",
  "POST /api/v1/silences": "incident-action",
  "DELETE /api/v1/silences/[id]": "incident-action",
  "POST /api/v1/response-plans": "settings:manage",
  "PUT /api/v1/response-plans/[id]": "settings:manage",
  "DELETE /api/v1/response-plans/[id]": "settings:manage",
  "GET /api/v1/incidents/[id]/deliveries": "read",
  "GET /api/v1/notifications/endpoints": "settings:manage",
  "POST /api/v1/notifications/endpoints": "settings:manage",
  "PATCH /api/v1/notifications/endpoints/[id]": "settings:manage",
  "DELETE /api/v1/notifications/endpoints/[id]": "settings:manage",
  "POST /api/v1/notifications/endpoints/[id]/test": "settings:manage",
  "GET /api/v1/notifications/endpoints/[id]/deliveries": "settings:manage",
  "GET /api/v1/notifications/escalation": "settings:manage",
  "PUT /api/v1/notifications/escalation": "settings:manage",
  "PATCH /api/v1/notifications/escalation": "settings:manage",
  "GET /api/v1/notifications/escalation/dry-run": "settings:manage",
  "GET /api/v1/users": "users:manage",
  "POST /api/v1/users": "users:manage",
  "PATCH /api/v1/users/[id]": "users:manage",
  "GET /api/v1/keys": "keys:manage",
  "POST /api/v1/keys": "keys:manage",
  "POST /api/v1/keys/[id]/revoke": "keys:manage",
  "GET /api/v1/settings": "settings:manage",
  "PATCH /api/v1/settings": "settings:manage",
  "GET /api/v1/audit": "audit:read",
  "GET /api/v1/audit/verify": "audit:read",
  "POST /api/v1/audit/verify": "audit:read",
};

function expectedStatus(caller: Caller, access: RouteAccess): "ok" | 401 | 403 {
  if (access === "public") return "ok";
  if (caller.permissions === null) return 401;
  if (access === "authenticated") return "ok";
  if (caller.permissions === "mfa") return 403;
  return caller.permissions.includes(access === "incident-action" ? "incidents:security" : access) ? "ok" : 403;
}

async function call(route: RouteHandler, method: string, url: string, caller: Caller, params: Record<string, string>, body?: unknown) {
  const req = new Request(`http://${HOST}${url}`, {
    method,
    headers: { host: HOST, origin: ORIGIN, "content-type": "application/json", "x-vigil-remote-addr": "192.0.2.10", ...caller.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return route(req, { params: Promise.resolve(params) });
}

describe("HTTP routes against the role matrix", () => {
  // the operating routes live outside app/api (probes and Prometheus expect these paths)
  const files = [...routeFiles(), ...["healthz", "readyz", "metrics"].map((d) => path.join(root, "app", d, "route.ts"))].filter((f) => !f.endsWith(BETTER_AUTH));

  it("finds the routes (sanity)", () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
    expect(new Set(Object.keys(INTENDED).map((k) => k.split(" ")[1])).size).toBe(files.length);
  });

  for (const file of files) {
    const template = "/" + path.relative(root, path.dirname(file)).split(path.sep).slice(1).join("/");
    it(`${template}: every method declares a permission and answers each caller as the matrix says`, async () => {
      const mod = (await import(file)) as Record<string, RouteHandler>;
      const methods = Object.keys(mod).filter((k) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(k));
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods) {
        const route = mod[method];
        expect(route.access, `${method} ${template} has no declared permission`).toBeDefined();
        expect(route.access, `${method} ${template}: declared permission differs from the intended one`).toBe(INTENDED[`${method} ${template}`]);
        const params = { id: template.includes("incidents") ? ids.security : template.includes("users") ? ids.user : template.includes("silences") ? ids.silence : template.includes("nodes") ? ids.node : ids.key };
        const url = "/" + template.slice(1).replace("[id]", params.id);
        for (const caller of callers) {
          const res = await call(route, method, url, caller, params, BODIES[`${method} ${template}`]?.() ?? (method === "GET" ? undefined : {}));
          const expected = expectedStatus(caller, route.access);
          const what = `${method} ${template} as ${caller.name} → ${res.status}`;
          if (expected === "ok") expect([401, 403], what).not.toContain(res.status);
          else expect(res.status, what).toBe(expected);
        }
      }
    });
  }

  it("acknowledging needs the permission for the incident's pane", async () => {
    const ack = (await import(path.join(root, "app/api/v1/incidents/[id]/ack/route.ts"))).POST as RouteHandler;
    for (const pane of ["network", "security"] as const) {
      for (const caller of callers) {
        const res = await call(ack, "POST", `/api/v1/incidents/${ids[pane]}/ack`, caller, { id: ids[pane] }, {});
        const perms = caller.permissions;
        const expected = perms === null ? 401 : perms === "mfa" ? 403 : perms.includes(`incidents:${pane}`) ? "ok" : 403;
        const what = `ack ${pane} incident as ${caller.name} → ${res.status}`;
        if (expected === "ok") expect([200, 409], what).toContain(res.status);
        else expect(res.status, what).toBe(expected);
      }
    }
  });

  it("refuses a post from another site's page even on public routes (first-run setup)", async () => {
    const setup = (await import(path.join(root, "app/api/setup/route.ts"))).POST as RouteHandler;
    const res = await setup(
      new Request(`http://${HOST}/api/setup`, { method: "POST", headers: { host: HOST, origin: "https://evil.example", "content-type": "text/plain" }, body: "{}" }),
    );
    expect(res.status).toBe(403);
  });

  it("takes a JSON body only when it is sent as application/json", async () => {
    const ack = (await import(path.join(root, "app/api/v1/incidents/[id]/ack/route.ts"))).POST as RouteHandler;
    const key = callers.find((c) => c.name === "key read+act")!;
    const res = await ack(
      new Request(`http://${HOST}/api/v1/incidents/${ids.security}/ack`, { method: "POST", headers: { host: HOST, "content-type": "text/plain", ...key.headers }, body: '{"note":"x"}' }),
      { params: Promise.resolve({ id: ids.security }) },
    );
    expect(res.status).toBe(415);
  });

  it("refuses a state-changing request with a session cookie from another origin", async () => {
    const ack = (await import(path.join(root, "app/api/v1/incidents/[id]/ack/route.ts"))).POST as RouteHandler;
    const analyst = callers.find((c) => c.name === "analyst")!;
    const req = new Request(`http://${HOST}/api/v1/incidents/${ids.security}/ack`, {
      method: "POST",
      headers: { host: HOST, origin: "https://evil.example", "content-type": "application/json", cookie: analyst.headers.cookie },
      body: "{}",
    });
    const res = await ack(req, { params: Promise.resolve({ id: ids.security }) });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("cross_origin");
  });
});

describe("socket events against the role matrix", () => {
  let url = "";
  let close = () => undefined as void;
  beforeAll(async () => {
    const server = http.createServer();
    const live = attachLive(server, core.hub, { authenticate: socketAuthenticator(core) });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => {
      live.close();
      server.close();
    };
  });
  afterAll(() => close());

  const SAMPLE: { [E in (typeof CLIENT_EVENTS)[number]]: Parameters<ClientToServerEvents[E]>[0] } = { subscribe: { streams: [...STREAMS] } };

  it("admits each caller at the handshake, and lets it join only the streams it may read", async () => {
    for (const caller of callers) {
      const socket = connect(url, {
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
        extraHeaders: caller.headers.cookie ? { cookie: caller.headers.cookie } : {},
        auth: caller.token ? { token: caller.token } : {},
      });
      const admitted = await new Promise<boolean>((resolve) => {
        socket.once("connect", () => resolve(true));
        socket.once("connect_error", () => resolve(false));
      });
      const mayRead = Array.isArray(caller.permissions) && caller.permissions.includes("read");
      expect(admitted, `handshake as ${caller.name}`).toBe(mayRead);
      if (admitted) {
        for (const event of CLIENT_EVENTS) {
          const ack = await new Promise<SubscribeAck>((resolve) => socket.emit(event, SAMPLE[event], resolve));
          expect(ack.ok, `${event} as ${caller.name}`).toBe(true);
        }
      }
      socket.disconnect();
    }
  });
});
