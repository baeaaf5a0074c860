import { describe, expect, it } from "vitest";
import { initialFlap, percentStateChange, recordFlap } from "./flapping";

describe("Nagios flap detection", () => {
  it("weights 20 alternating changes to 100 % and none to 0 %", () => {
    expect(percentStateChange(Array.from({ length: 21 }, (_, i) => i % 2 === 0))).toBeCloseTo(100, 10);
    expect(percentStateChange(Array.from({ length: 21 }, () => true))).toBe(0);
  });
  it("weights a recent change more than an old one (0.75 oldest … 1.25 newest, over 20)", () => {
    const oldChange = [false, ...Array.from({ length: 20 }, () => true)];
    const newChange = [...Array.from({ length: 20 }, () => true), false];
    expect(percentStateChange(oldChange)).toBeCloseTo(3.75, 10);
    expect(percentStateChange(newChange)).toBeCloseTo(6.25, 10);
  });
  it("starts flapping at the high threshold, holds in between and stops at the low one", () => {
    const state = initialFlap();
    const events: string[] = [];
    const push = (ok: boolean) => {
      const r = recordFlap(state, ok);
      if (r.started) events.push(`start@${state.history.length}:${state.percent.toFixed(1)}`);
      if (r.stopped) events.push(`stop:${state.percent.toFixed(1)}`);
    };
    for (let i = 0; i < 21; i++) push(i % 2 === 0);
    expect(state.flapping).toBe(true);
    expect(events).toHaveLength(1);
    for (let i = 0; i < 8; i++) push(true);
    expect(state.percent).toBeGreaterThan(25);
    expect(state.flapping).toBe(true);
    for (let i = 0; i < 6; i++) push(true);
    expect(state.flapping).toBe(false);
    expect(events.at(-1)).toMatch(/^stop:/);
    expect(state.history).toHaveLength(21);
  });
});
