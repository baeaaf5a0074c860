import { describe, expect, it } from "vitest";
import { newPushToken, PushMonitor, PushRegistry } from "./push";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const settings = (token: string) => ({ token, interval_ms: 60_000, grace_ms: 15_000 });

describe("push checks", () => {
  it("makes unguessable URL-safe tokens", () => {
    const a = newPushToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newPushToken()).not.toBe(a);
  });
  it("is due interval + grace after the last push, then every interval after a miss", () => {
    const m = new PushMonitor("job", settings(newPushToken()), T0);
    expect(m.dueAt()).toBe(T0 + 75_000);
    m.record(T0 + 10_000);
    expect(m.dueAt()).toBe(T0 + 85_000);
    expect(m.miss(T0 + 85_000)).toMatchObject({ ok: false, error: `no push within 1m15s (interval 1m + grace 15s); last push at ${new Date(T0 + 10_000).toISOString()}` });
    expect(m.dueAt()).toBe(T0 + 145_000);
    m.record(T0 + 150_000);
    expect(m.dueAt()).toBe(T0 + 225_000);
  });
  it("ignores an older push for the deadline but still reports it", () => {
    const m = new PushMonitor("job", settings(newPushToken()), T0);
    m.record(T0 + 50_000);
    expect(m.record(T0 + 20_000, { latency_ms: 3 })).toMatchObject({ ok: true, latency_ms: 3 });
    expect(m.lastPush).toBe(T0 + 50_000);
  });
  it("finds a check by its token only, and refuses a token used twice or malformed", () => {
    const registry = new PushRegistry();
    const token = newPushToken();
    registry.add(new PushMonitor("a", settings(token), T0));
    expect(registry.recordPush(token, T0 + 1)?.monitor.id).toBe("a");
    expect(registry.recordPush(newPushToken(), T0 + 1)).toBeNull();
    expect(registry.recordPush("short", T0 + 1)).toBeNull();
    expect(() => registry.add(new PushMonitor("b", settings(token), T0))).toThrow("already used by a");
    expect(() => new PushMonitor("c", settings("bad token!"), T0)).toThrow("token must be");
    registry.remove("a");
    expect(registry.byToken(token)).toBeUndefined();
  });
});
