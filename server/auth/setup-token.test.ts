import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { createCore } from "../core";
import { setCore } from "../registry";
import { testCore } from "../test-support/core";
import { HOST, ORIGIN, PASSWORD } from "../test-support/people";
import type { RouteHandler } from "../api/route";
import { cliActor } from "./actor";
import { SetupToken } from "./setup-token";

const root = path.resolve(import.meta.dirname, "..", "..");
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-setup-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  setCore(undefined);
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

const setupRoute = async () => (await import(path.join(root, "app/api/setup/route.ts"))).POST as RouteHandler;
const post = async (body: Record<string, unknown>) =>
  (await setupRoute())(
    new Request(`${ORIGIN}/api/setup`, { method: "POST", headers: { host: HOST, origin: ORIGIN, "content-type": "application/json" }, body: JSON.stringify(body) }),
  );
const admin = { name: "Ada", email: "ada@bank.test", password: PASSWORD };

describe("setup token", () => {
  it("is created once, readable only by its owner, kept across calls, and removed by clear", () => {
    const file = path.join(tempDir(), "setup-token");
    const token = new SetupToken(file).ensure();
    expect(token).toMatch(/^[A-Z2-7]{26}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(new SetupToken(file).ensure()).toBe(token);
    const again = new SetupToken(file);
    expect(again.matches(token)).toBe(true);
    expect(again.matches(` ${token.toLowerCase()}\n`)).toBe(true);
    expect(again.matches(token.slice(0, -1))).toBe(false);
    expect(again.matches(`${token}X`)).toBe(false);
    expect(again.matches(undefined)).toBe(false);
    again.clear();
    expect(fs.existsSync(file)).toBe(false);
    expect(again.matches(token)).toBe(false);
  });

  it("lives beside the database file", () => {
    const dir = tempDir();
    expect(SetupToken.beside(path.join(dir, "vigil.db")).file).toBe(path.join(dir, "setup-token"));
    expect(SetupToken.beside(":memory:").file).toBeNull();
  });
});

describe("POST /api/setup", () => {
  it("refuses a setup without the token, or with a wrong one, and creates nothing", async () => {
    const { core } = testCore();
    setCore(core);
    core.access.setupToken.ensure();
    const missing = await post(admin);
    expect(missing.status).toBe(403);
    expect((await missing.json()).error).toMatchObject({ code: "setup_token_required", message: expect.stringMatching(/setup-token/) });
    const wrong = await post({ ...admin, setup_token: "AAAAAAAAAAAAAAAAAAAAAAAAAA" });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe("setup_token_invalid");
    expect(core.access.users.count()).toBe(0);
    expect(core.access.audit.list({ limit: 10 })).toEqual([]);
  });

  it("creates the first admin with the right token, which then stops working for good", async () => {
    const { core } = testCore();
    setCore(core);
    const token = core.access.setupToken.ensure();
    const res = await post({ ...admin, setup_token: token });
    expect(res.status).toBe(201);
    expect(core.access.users.list()).toMatchObject([{ email: "ada@bank.test", role: "admin" }]);
    const again = await post({ ...admin, email: "eve@evil.example", setup_token: token });
    expect(again.status).toBe(409);
    expect(core.access.setupToken.matches(token)).toBe(false);
  });

  it("refuses a token when no setup is pending (none was ever made)", async () => {
    const { core } = testCore();
    setCore(core);
    expect((await post({ ...admin, setup_token: "" })).status).toBe(403);
    expect(core.access.users.count()).toBe(0);
  });
});

describe("setup token file", () => {
  it("is deleted when the first account is made, also by the CLI's user create", async () => {
    const dir = tempDir();
    const handle = openDatabase(dir);
    try {
      const core = createCore(handle, { access: { secret: "test-secret-test-secret-test-secret-0123", publicUrl: "http://vigil.test:3000" } });
      core.access.setupToken.ensure();
      expect(fs.existsSync(path.join(dir, "setup-token"))).toBe(true);
      await core.access.users.create({ email: "root@bank.test", role: "admin", password: PASSWORD }, cliActor());
      expect(fs.existsSync(path.join(dir, "setup-token"))).toBe(false);
    } finally {
      handle.close();
    }
  });
});
