import { describe, expect, it } from "vitest";
import { nextHealth, type NodeHealth } from "./node-health";

const policy = { failuresToDown: 3, degradedMs: 100 };
const run = (checks: { ok: boolean; latencyMs: number | null }[]) =>
  checks.reduce<NodeHealth[]>((acc, c) => [...acc, nextHealth(acc.at(-1) ?? { status: "pending", consecutiveFailures: 0 }, c, policy)], []).map((h) => h.status);

describe("nextHealth", () => {
  it("degrades on the first failures and goes down after the configured run of them", () => {
    expect(run([{ ok: false, latencyMs: null }, { ok: false, latencyMs: null }, { ok: false, latencyMs: null }])).toEqual(["degraded", "degraded", "down"]);
  });
  it("recovers on one passing check", () => {
    expect(run([{ ok: false, latencyMs: null }, { ok: false, latencyMs: null }, { ok: false, latencyMs: null }, { ok: true, latencyMs: 5 }])).toEqual(["degraded", "degraded", "down", "up"]);
  });
  it("marks a slow passing check degraded", () => {
    expect(run([{ ok: true, latencyMs: 150 }, { ok: true, latencyMs: 50 }])).toEqual(["degraded", "up"]);
  });
});
