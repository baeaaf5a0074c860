import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkRequest, loadRouteTable, targetDecodes } from "./http-gate";
import { buildHostPolicy } from "./origin";

const routes = loadRouteTable(path.resolve(import.meta.dirname, "..", "app"));
const hosts = buildHostPolicy({ bindHost: "127.0.0.1", port: 3000, tls: false });
const req = (method: string, url: string, host = "localhost:3000") => checkRequest({ method, url, headers: { host } }, hosts, routes);

describe("the request gate in front of Next", () => {
  it("reads each route handler's methods from app/", () => {
    const events = routes.find((r) => r.pattern.test("/api/v1/events"));
    expect([...events!.methods].sort()).toEqual(["GET", "POST"]);
    expect(routes.find((r) => r.pattern.test("/api/v1/incidents/12/ack"))?.methods).toEqual(new Set(["POST"]));
    expect(routes.find((r) => r.pattern.test("/api/auth/sign-in/email"))?.methods).toEqual(new Set(["GET", "POST"]));
  });

  it("answers a method a route does not export with 405 and Allow", () => {
    expect(req("DELETE", "/api/v1/events")).toEqual(expect.objectContaining({ ok: false, status: 405, allow: ["GET", "HEAD", "OPTIONS", "POST"] }));
    expect(req("GET", "/api/v1/incidents/3/ack")).toEqual(expect.objectContaining({ status: 405, allow: ["OPTIONS", "POST"] }));
  });

  it("lets a static segment win over a dynamic one, as Next routes (/incidents/bulk is not /incidents/[id])", () => {
    expect(req("POST", "/api/v1/incidents/bulk")).toMatchObject({ ok: true });
    expect(req("GET", "/api/v1/incidents/stats")).toMatchObject({ ok: true });
    expect(req("GET", "/api/v1/events/groups")).toMatchObject({ ok: true });
    expect(req("POST", "/api/v1/incidents/12")).toEqual(expect.objectContaining({ status: 405, allow: ["GET", "HEAD", "OPTIONS"] }));
  });

  it("answers TRACE and other unknown methods with 405 everywhere, pages included", () => {
    for (const url of ["/", "/api/v1/events", "/setup", "/_next/static/x.js"]) {
      expect(req("TRACE", url)).toEqual(expect.objectContaining({ ok: false, status: 405 }));
      expect(req("PROPFIND", url)).toEqual(expect.objectContaining({ ok: false, status: 405 }));
    }
  });

  it("answers a target that does not decode with 400, in the path or the query", () => {
    expect(req("GET", "/api/v1/incidents/%zz")).toMatchObject({ ok: false, status: 400, code: "bad_url" });
    expect(req("GET", "/api/v1/events?kind=%E0%A4%A")).toMatchObject({ ok: false, status: 400 });
    expect(req("GET", "/admin/%")).toMatchObject({ ok: false, status: 400 });
    expect(targetDecodes("/api/v1/events?q=a%20b&x=%2F")).toBe(true);
  });

  it("answers a Host that is not one of Vigil's names with 421 (DNS rebinding)", () => {
    expect(req("POST", "/api/setup", "attacker.example:3000")).toMatchObject({ ok: false, status: 421 });
    expect(req("GET", "/", "attacker.example")).toMatchObject({ ok: false, status: 421 });
  });

  it("lets ordinary requests through", () => {
    expect(req("GET", "/")).toEqual({ ok: true });
    expect(req("POST", "/api/v1/events")).toEqual({ ok: true });
    expect(req("HEAD", "/api/v1/nodes?limit=5")).toEqual({ ok: true });
    expect(req("GET", "/api/v1/nodes", "127.0.0.1:3000")).toEqual({ ok: true });
  });
});

describe("the request gate without the app sources", () => {
  it("still refuses TRACE and lets ordinary requests through", () => {
    const none = loadRouteTable(path.resolve(import.meta.dirname, "no-such-app-dir"));
    expect(none).toEqual([]);
    expect(checkRequest({ method: "TRACE", url: "/api/v1/events", headers: { host: "localhost:3000" } }, hosts, none)).toMatchObject({ ok: false, status: 405 });
    expect(checkRequest({ method: "POST", url: "/api/v1/events", headers: { host: "localhost:3000" } }, hosts, none)).toEqual({ ok: true });
  });
});
