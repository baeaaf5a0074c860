import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import { HOST } from "../test-support/people";
import { setCore } from "../registry";
import type { RouteHandler } from "../api/route";
import { createReadiness, expectedMigrations } from "./health";

const root = path.resolve(import.meta.dirname, "..", "..");
const route = async (name: "healthz" | "readyz") => (await import(path.join(root, "app", name, "route.ts"))).GET as RouteHandler;
const get = (handler: RouteHandler, p: string) => handler(new Request(`http://${HOST}${p}`, { headers: { host: HOST } }));

afterEach(() => setCore(undefined));

describe("GET /healthz", () => {
  it("is 200 {ok:true} without credentials, even with no core or database behind it", async () => {
    const res = await get(await route("healthz"), "/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});

describe("GET /readyz", () => {
  it("is 200 with every check passing on a running core, without credentials", async () => {
    const { core, hub } = testCore();
    hub.start(100);
    setCore(core);
    const res = await get(await route("readyz"), "/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, checks: { database: { ok: true }, migrations: { ok: true }, hub: { ok: true } } });
    hub.stop();
  });

  it("is 503 naming the database when it is closed", async () => {
    const { core, hub, handle } = testCore();
    hub.start(100);
    setCore(core);
    handle.close();
    const res = await get(await route("readyz"), "/readyz");
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.ok).toBe(false);
    expect(body.checks.database).toEqual({ ok: false, error: "database is closed" });
    expect(body.checks.hub.ok).toBe(true);
    hub.stop();
  });

  it("is 503 naming the hub when it is not running", async () => {
    const { core } = testCore();
    setCore(core);
    const res = await get(await route("readyz"), "/readyz");
    expect(res.status).toBe(503);
    expect((await res.json()).checks.hub).toEqual({ ok: false, error: "live hub is not running" });
  });

  it("fails the migrations check when fewer are applied than the code ships", () => {
    const { handle } = testCore();
    const shipped = expectedMigrations()!.length;
    expect(shipped).toBeGreaterThanOrEqual(4);
    const ready = createReadiness({ sqlite: handle.sqlite, hubRunning: () => true });
    expect(ready().checks.migrations).toEqual({ ok: true });
    handle.sqlite.exec("DELETE FROM __drizzle_migrations WHERE created_at = (SELECT MAX(created_at) FROM __drizzle_migrations)");
    expect(ready()).toMatchObject({ ok: false, checks: { migrations: { ok: false, error: `${shipped - 1} of ${shipped} migrations applied` } } });
  });

  it("fails the migrations check when the journal cannot be read", () => {
    const { handle } = testCore();
    const ready = createReadiness({ sqlite: handle.sqlite, migrationsFolder: path.join(os.tmpdir(), "vigil-no-such-folder"), hubRunning: () => true });
    expect(ready().checks.migrations).toEqual({ ok: false, error: "the migrations journal could not be read" });
  });

  it("fails the database check on a database that cannot be written, and leaves no probe behind when it can", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-ready-"));
    try {
      const { handle } = testCore();
      const ready = createReadiness({ sqlite: handle.sqlite, hubRunning: () => true });
      expect(ready().checks.database).toEqual({ ok: true });
      expect(handle.sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'vigil_readiness_probe'").get()).toBeUndefined();
      expect(handle.sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);

      handle.sqlite.exec(`VACUUM INTO '${path.join(dir, "copy.db")}'`);
      const Database = handle.sqlite.constructor as new (file: string, options: { readonly: boolean }) => typeof handle.sqlite;
      const readonly = new Database(path.join(dir, "copy.db"), { readonly: true });
      const check = createReadiness({ sqlite: readonly, hubRunning: () => true })();
      readonly.close();
      expect(check.ok).toBe(false);
      expect(check.checks.database.ok).toBe(false);
      expect(check.checks.database.error).toMatch(/^database not writable: /);
      expect(check.checks.migrations.ok).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the existing /api/health answering", async () => {
    const { core, hub } = testCore();
    hub.start(100);
    setCore(core);
    const health = (await import(path.join(root, "app", "api", "health", "route.ts"))).GET as RouteHandler;
    const res = await get(health, "/api/health");
    expect(res.status).toBe(200);
    expect((await res.json()).ok).toBe(true);
    hub.stop();
  });
});
