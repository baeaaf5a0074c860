import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { manualClock, type Clock } from "../clock";
import { describeLock, SignInThrottle, type ThrottleOptions } from "./throttle";

const handles: DatabaseHandle[] = [];
afterEach(() => {
  while (handles.length) handles.pop()!.close();
});

/** A throttle over a fresh migrated in-memory database. */
function throttle(clock: Clock, options?: ThrottleOptions) {
  const handle = openDatabase(":memory:");
  handles.push(handle);
  return new SignInThrottle(handle.sqlite, clock, options);
}

describe("SignInThrottle", () => {
  it("locks an account after repeated failures, from any address, and unlocks after the lock time", () => {
    const clock = manualClock();
    const t = throttle(clock, { accountFailures: 3, lockMs: 60_000 });
    ["198.51.100.1", "198.51.100.2", "198.51.100.3"].forEach((ip) => t.fail("Ana@Bank.test", ip));
    const verdict = t.check("ana@bank.test", "203.0.113.9");
    expect(verdict).toMatchObject({ allowed: false, reason: "account" });
    expect(!verdict.allowed && describeLock(verdict)).toMatch(/locked for 1 more minute/);
    clock.advance(60_001);
    expect(t.check("ana@bank.test", "203.0.113.9").allowed).toBe(true);
  });

  it("locks an address that fails across many accounts (password spraying)", () => {
    const t = throttle(manualClock(), { addressFailures: 4 });
    ["a", "b", "c", "d"].forEach((u) => t.fail(`${u}@bank.test`, "203.0.113.9"));
    expect(t.check("e@bank.test", "203.0.113.9")).toMatchObject({ allowed: false, reason: "address" });
    expect(t.check("e@bank.test", "198.51.100.1").allowed).toBe(true);
  });

  it("forgets failures older than the window", () => {
    const clock = manualClock();
    const t = throttle(clock, { accountFailures: 2, windowMs: 1000 });
    t.fail("ana@bank.test", null);
    clock.advance(1001);
    t.fail("ana@bank.test", null);
    expect(t.check("ana@bank.test", null).allowed).toBe(true);
  });

  it("counts an attempt before it completes, so parallel guesses are cut off at the limit", () => {
    const t = throttle(manualClock(), { accountFailures: 3 });
    const verdicts = Array.from({ length: 10 }, () => t.attempt("ana@bank.test", "203.0.113.9"));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
  });

  it("keeps a lock when the table is flooded with other accounts", () => {
    const t = throttle(manualClock(), { accountFailures: 1, maxTracked: 10 });
    t.fail("victim@bank.test", null);
    for (let i = 0; i < 100; i++) t.fail(`junk${i}@x.test`, null);
    expect(t.check("victim@bank.test", null).allowed).toBe(false);
  });

  it("clears an account's failures on success", () => {
    const t = throttle(manualClock(), { accountFailures: 2 });
    t.attempt("ana@bank.test", null);
    t.succeed("ana@bank.test");
    t.fail("ana@bank.test", null);
    expect(t.check("ana@bank.test", null).allowed).toBe(true);
  });

  it("keeps a lock across a restart: a new throttle over the same database still refuses the account", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-throttle-"));
    try {
      const clock = manualClock();
      const first = openDatabase(dir);
      const before = new SignInThrottle(first.sqlite, clock, { accountFailures: 3, addressFailures: 3 });
      for (let i = 0; i < 3; i++) before.fail("ana@bank.test", "203.0.113.9");
      first.close();

      const second = openDatabase(dir);
      handles.push(second);
      const after = new SignInThrottle(second.sqlite, clock, { accountFailures: 3, addressFailures: 3 });
      expect(after.check("ana@bank.test", "198.51.100.1")).toMatchObject({ allowed: false, reason: "account" });
      expect(after.check("bob@bank.test", "203.0.113.9")).toMatchObject({ allowed: false, reason: "address" });
      expect(after.attempt("ana@bank.test", "198.51.100.1").allowed).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps counting failures across a restart, not from zero", () => {
    const clock = manualClock();
    const handle = openDatabase(":memory:");
    handles.push(handle);
    new SignInThrottle(handle.sqlite, clock, { accountFailures: 3 }).fail("ana@bank.test", null);
    new SignInThrottle(handle.sqlite, clock, { accountFailures: 3 }).fail("ana@bank.test", null);
    const third = new SignInThrottle(handle.sqlite, clock, { accountFailures: 3 });
    third.fail("ana@bank.test", null);
    expect(third.check("ana@bank.test", null).allowed).toBe(false);
  });

  it("stays bounded: expired rows are pruned and a full table evicts unlocked rows, not locks", () => {
    const clock = manualClock();
    const handle = openDatabase(":memory:");
    handles.push(handle);
    const stored = () => (handle.sqlite.prepare("SELECT count(*) AS n FROM auth_throttle WHERE scope = 'account'").get() as { n: number }).n;
    const t = new SignInThrottle(handle.sqlite, clock, { accountFailures: 2, maxTracked: 10, windowMs: 1000, lockMs: 1000 });
    for (let i = 0; i < 1000; i++) t.fail(`junk${i}@x.test`, null);
    expect(stored()).toBeLessThanOrEqual(10);
    // locks end and failures age out: the next prune (at most a minute later) removes those rows
    t.fail("a@x.test", null);
    t.fail("a@x.test", null);
    clock.advance(61_000);
    t.fail("b@x.test", null);
    expect(stored()).toBe(1);
  });

  it("takes back the counted attempt of an address on success, keeping its earlier failures", () => {
    const t = throttle(manualClock(), { addressFailures: 3 });
    t.fail("x@bank.test", "203.0.113.9");
    t.attempt("ana@bank.test", "203.0.113.9");
    t.succeed("ana@bank.test", "203.0.113.9");
    t.fail("y@bank.test", "203.0.113.9");
    expect(t.check(null, "203.0.113.9").allowed).toBe(true);
    t.fail("z@bank.test", "203.0.113.9");
    expect(t.check(null, "203.0.113.9")).toMatchObject({ allowed: false, reason: "address" });
  });
});
