import { describe, expect, it } from "vitest";
import { manualClock } from "../clock";
import { describeLock, SignInThrottle } from "./throttle";

describe("SignInThrottle", () => {
  it("locks an account after repeated failures, from any address, and unlocks after the lock time", () => {
    const clock = manualClock();
    const t = new SignInThrottle(clock, { accountFailures: 3, lockMs: 60_000 });
    ["198.51.100.1", "198.51.100.2", "198.51.100.3"].forEach((ip) => t.fail("Ana@Bank.test", ip));
    const verdict = t.check("ana@bank.test", "203.0.113.9");
    expect(verdict).toMatchObject({ allowed: false, reason: "account" });
    expect(!verdict.allowed && describeLock(verdict)).toMatch(/locked for 1 more minute/);
    clock.advance(60_001);
    expect(t.check("ana@bank.test", "203.0.113.9").allowed).toBe(true);
  });

  it("locks an address that fails across many accounts (password spraying)", () => {
    const t = new SignInThrottle(manualClock(), { addressFailures: 4 });
    ["a", "b", "c", "d"].forEach((u) => t.fail(`${u}@bank.test`, "203.0.113.9"));
    expect(t.check("e@bank.test", "203.0.113.9")).toMatchObject({ allowed: false, reason: "address" });
    expect(t.check("e@bank.test", "198.51.100.1").allowed).toBe(true);
  });

  it("forgets failures older than the window", () => {
    const clock = manualClock();
    const t = new SignInThrottle(clock, { accountFailures: 2, windowMs: 1000 });
    t.fail("ana@bank.test", null);
    clock.advance(1001);
    t.fail("ana@bank.test", null);
    expect(t.check("ana@bank.test", null).allowed).toBe(true);
  });

  it("counts an attempt before it completes, so parallel guesses are cut off at the limit", () => {
    const t = new SignInThrottle(manualClock(), { accountFailures: 3 });
    const verdicts = Array.from({ length: 10 }, () => t.attempt("ana@bank.test", "203.0.113.9"));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
  });

  it("keeps a lock when the table is flooded with other accounts", () => {
    const t = new SignInThrottle(manualClock(), { accountFailures: 1, maxTracked: 10 });
    t.fail("victim@bank.test", null);
    for (let i = 0; i < 100; i++) t.fail(`junk${i}@x.test`, null);
    expect(t.check("victim@bank.test", null).allowed).toBe(false);
  });

  it("clears an account's failures on success", () => {
    const t = new SignInThrottle(manualClock(), { accountFailures: 2 });
    t.attempt("ana@bank.test", null);
    t.succeed("ana@bank.test");
    t.fail("ana@bank.test", null);
    expect(t.check("ana@bank.test", null).allowed).toBe(true);
  });
});
