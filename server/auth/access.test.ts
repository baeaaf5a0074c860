import { describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import { HOST, ORIGIN, PASSWORD, signedIn } from "../test-support/people";
import { cliActor } from "./actor";

/** A sign-in through better-auth's HTTP handler, as the route at /api/auth/* makes it. */
const signIn = (core: ReturnType<typeof testCore>["core"], email: string, password: string, ip = "203.0.113.40") =>
  core.access.auth.handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { host: HOST, origin: ORIGIN, "content-type": "application/json", "x-vigil-remote-addr": ip },
      body: JSON.stringify({ email, password }),
    }),
  );

describe("sign-in", () => {
  it("reports each failed sign-in as an auth_failure event through ingest, and in the audit log", async () => {
    const { core, drain } = testCore();
    await core.access.users.create({ email: "ana@bank.test", role: "analyst", password: PASSWORD }, cliActor());
    expect((await signIn(core, "ana@bank.test", "wrong password here")).status).toBe(401);
    const [event] = drain("security");
    expect(event.event).toMatchObject({ kind: "auth_failure", source: "vigil", src_ip: "203.0.113.40", user: "ana@bank.test" });
    expect(core.access.audit.list({ action: "sign_in_failed", limit: 5 })).toMatchObject([{ actor: "ana@bank.test", source_ip: "203.0.113.40" }]);
  });

  it("locks an account after five failures with a message saying so, even for the right password", async () => {
    const { core } = testCore();
    await core.access.users.create({ email: "ana@bank.test", role: "analyst", password: PASSWORD }, cliActor());
    for (let i = 0; i < 5; i++) await signIn(core, "ana@bank.test", "wrong password here");
    const locked = await signIn(core, "ana@bank.test", PASSWORD);
    expect(locked.status).toBe(429);
    expect((await locked.json()).message).toMatch(/locked for 15 more minutes/);
  });

  it("feeds Vigil's own failed sign-ins to the brute-force detection", async () => {
    const { core } = testCore();
    for (let i = 0; i < 10; i++) await signIn(core, `nobody${i}@bank.test`, "guess guess guess", "198.51.100.66");
    // ten accounts from one address: a brute force on Vigil's own sign-in, and password spraying
    const incidents = core.incidentsSnapshot({ status: "active", limit: 5 }).incidents;
    expect(incidents.map((i) => [i.rule, i.entity]).sort()).toEqual([
      ["brute_force", "vigil:198.51.100.66"],
      ["password_spraying", "198.51.100.66"],
    ]);
  });

  it("throttles a burst of parallel guesses at the account limit", async () => {
    const { core } = testCore();
    await core.access.users.create({ email: "ana@bank.test", role: "analyst", password: PASSWORD }, cliActor());
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(core, "ana@bank.test", `wrong password ${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it("refuses a disabled account", async () => {
    const { core } = testCore();
    const admin = await core.access.users.create({ email: "root@bank.test", role: "admin", password: PASSWORD }, cliActor());
    const u = await core.access.users.create({ email: "gone@bank.test", role: "viewer", password: PASSWORD }, cliActor());
    core.access.users.setDisabled(u.id, true, { name: admin.email, kind: "user", sourceIp: null });
    const res = await signIn(core, "gone@bank.test", PASSWORD);
    expect(res.status).toBe(403);
    expect((await res.json()).message).toMatch(/disabled/);
  });

  it("ends the sessions of a disabled account", async () => {
    const { core } = testCore();
    await core.access.users.create({ email: "root@bank.test", role: "admin", password: PASSWORD }, cliActor());
    const viewer = await signedIn(core, "v@bank.test", "viewer");
    expect((await core.access.identity.fromHeaders(new Headers({ cookie: viewer.cookie }))).ok).toBe(true);
    core.access.users.setDisabled(viewer.id, true, cliActor());
    expect(await core.access.identity.fromHeaders(new Headers({ cookie: viewer.cookie }))).toMatchObject({ ok: false, status: 401 });
  });
});

describe("accounts and keys", () => {
  it("requires a second factor for admin and on-call, and for everyone when the setting says so", async () => {
    const { core } = testCore();
    const who = async (email: string, role: "admin" | "oncall" | "analyst") => {
      const s = await signedIn(core, email, role);
      const r = await core.access.identity.fromHeaders(new Headers({ cookie: s.cookie }));
      return r.ok && r.identity.mfaPending;
    };
    expect(await who("a@bank.test", "admin")).toBe(true);
    expect(await who("o@bank.test", "oncall")).toBe(true);
    expect(await who("n@bank.test", "analyst")).toBe(false);
    core.access.settings.set("require_mfa_all", true, cliActor());
    const n = await signedIn(core, "n2@bank.test", "analyst");
    expect(await core.access.identity.fromHeaders(new Headers({ cookie: n.cookie }))).toMatchObject({ ok: true, identity: { mfaPending: true } });
    expect(core.access.audit.list({ action: "setting_changed", limit: 5 })).toMatchObject([{ target: "require_mfa_all", before: false, after: true }]);
  });

  it("refuses a key scope beyond what the owner's role allows", async () => {
    const { core } = testCore();
    await core.access.users.create({ email: "v@bank.test", role: "viewer", password: PASSWORD }, cliActor());
    expect(() => core.access.keys.create({ ownerEmail: "v@bank.test", name: "x", scopes: ["ingest"] }, cliActor())).toThrow(/beyond what v@bank.test \(viewer\)/);
  });

  it("narrows a key's permissions when its owner is demoted", async () => {
    const { core } = testCore();
    await core.access.users.create({ email: "root@bank.test", role: "admin", password: PASSWORD }, cliActor());
    const owner = await core.access.users.create({ email: "ana@bank.test", role: "analyst", password: PASSWORD }, cliActor());
    const { token } = core.access.keys.create({ ownerEmail: "ana@bank.test", name: "sensor", scopes: ["ingest", "read"] }, cliActor());
    core.access.users.setRole(owner.id, "viewer", cliActor());
    const r = core.access.identity.fromKey(token, null);
    expect(r.ok && [...r.identity.permissions]).toEqual(["read"]);
  });

  it("stores only a hash of the key, and records its last use", async () => {
    const { core, handle } = testCore();
    await core.access.users.create({ email: "ana@bank.test", role: "analyst", password: PASSWORD }, cliActor());
    const { token, key } = core.access.keys.create({ ownerEmail: "ana@bank.test", name: "sensor", scopes: ["ingest"] }, cliActor());
    const stored = handle.sqlite.prepare("SELECT * FROM api_keys").get() as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(key.last_used_at).toBeNull();
    core.access.identity.fromKey(token, null);
    expect(core.access.keys.get(key.id)?.last_used_at).not.toBeNull();
  });

  it("will not demote or disable the last admin", async () => {
    const { core } = testCore();
    const admin = await core.access.users.create({ email: "root@bank.test", role: "admin", password: PASSWORD }, cliActor());
    expect(() => core.access.users.setRole(admin.id, "viewer", cliActor())).toThrow(/last active admin/);
    expect(() => core.access.users.setDisabled(admin.id, true, cliActor())).toThrow(/last active admin/);
  });

  it("creates the first admin only once, even when two setups race", async () => {
    const { core } = testCore();
    const [a, b] = await Promise.all([
      core.access.users.createFirstAdmin({ name: "A", email: "a@bank.test", password: PASSWORD }, null),
      core.access.users.createFirstAdmin({ name: "B", email: "b@bank.test", password: PASSWORD }, null),
    ]);
    expect([a?.email ?? null, b?.email ?? null].filter(Boolean)).toHaveLength(1);
    expect(core.access.users.count()).toBe(1);
  });
});
