// Flap thresholds are each check's own (flap_high_percent, flap_low_percent; 50 and 25 by
// default), validated where the YAML file and the API read a check, and each check's flapping is
// judged over its own results.
import { describe, expect, it } from "vitest";
import { checkSpecSchema } from "./checks/spec";
import { nodeInputSchema } from "./definition";
import { policyOf, type LiveCheck } from "./model";
import { evaluateNode, initialNodeState, type NodeState, type StatusResult, type Transition } from "./status";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const issues = (s: unknown) => checkSpecSchema.safeParse(s).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
const tcp = { type: "tcp", host: "10.0.0.1", port: 179 };

describe("flap thresholds in a check's settings", () => {
  it("are optional (the defaults, 50/25, apply) and taken as percents", () => {
    expect(checkSpecSchema.parse(tcp)).not.toHaveProperty("flap_high_percent");
    expect(checkSpecSchema.parse({ ...tcp, flap_high_percent: 70, flap_low_percent: 40.5 })).toMatchObject({ flap_high_percent: 70, flap_low_percent: 40.5 });
  });

  it("are refused out of range or when the low one is not under the high one, naming the setting and the defaults", () => {
    expect(issues({ ...tcp, flap_high_percent: 0 })).toEqual(["flap_high_percent: flap_high_percent: a percent over 0, at most 100"]);
    expect(issues({ ...tcp, flap_high_percent: 150 })).toEqual(["flap_high_percent: flap_high_percent: a percent over 0, at most 100"]);
    expect(issues({ ...tcp, flap_low_percent: -1 })).toEqual(["flap_low_percent: flap_low_percent: a percent from 0, under 100"]);
    expect(issues({ ...tcp, flap_high_percent: "50%" })[0]).toMatch(/^flap_high_percent: /);
    expect(issues({ ...tcp, flap_high_percent: 40, flap_low_percent: 40 })).toEqual([
      "flap_low_percent: flap_low_percent (40) must be under flap_high_percent (40): flapping starts at the high one and stops at the low one",
    ]);
    // against the default of the one not given
    expect(issues({ ...tcp, flap_high_percent: 20 })).toEqual([
      "flap_high_percent: flap_low_percent (25 by default) must be under flap_high_percent (20): flapping starts at the high one and stops at the low one",
    ]);
    expect(issues({ ...tcp, flap_low_percent: 60 })[0]).toMatch(/^flap_low_percent: flap_low_percent \(60\) must be under flap_high_percent \(50 by default\)/);
  });

  it("are refused in a node's definition (the YAML file and the API) with the check's path", () => {
    const r = nodeInputSchema.safeParse({ id: "gw", checks: [tcp, { ...tcp, id: "bgp", flap_low_percent: 80 }] });
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["checks.1.flap_low_percent", expect.stringMatching(/^flap_low_percent \(80\) must be under flap_high_percent/)]]);
  });
});

/** A node whose checks are these settings, fed one result per batch, as the service does. */
function run(checks: Record<string, Record<string, unknown>>, results: StatusResult[]) {
  const live = Object.entries(checks).map(([name, input]) => ({ name, spec: checkSpecSchema.parse(input) }) as LiveCheck);
  const policy = policyOf({ latencyThresholdMs: null, failuresBeforeDown: null, successesBeforeUp: null, checks: live });
  let state: NodeState = initialNodeState();
  const transitions: Transition[] = [];
  for (const r of results) {
    const e = evaluateNode(state, { results: [r], now: r.time }, policy);
    state = e.state;
    transitions.push(...e.transitions);
  }
  return { state, flapped: transitions.some((t) => t.to === "flapping") };
}
/** 42 results of one check, 30 s apart, failing where `fails(i)` says */
const series = (check: string, fails: (i: number) => boolean, from = 0): StatusResult[] =>
  Array.from({ length: 42 }, (_, i) => ({ check_id: check, time: T0 + (from + i) * 30_000, ok: !fails(i), latency_ms: fails(i) ? null : 20, error: fails(i) ? "refused" : undefined }));
// one failure in five: 41.6 % weighted state change; two up, two down: 50.7 %
const oneInFive = (i: number) => i % 5 === 4;
const pairs = (i: number) => Math.floor(i / 2) % 2 === 1;

describe("flapping judged by each check's own thresholds", () => {
  it("a check with a lower high threshold flaps where the default would not", () => {
    expect(run({ tcp }, series("tcp", oneInFive)).flapped).toBe(false);
    const low = run({ tcp: { ...tcp, flap_high_percent: 40, flap_low_percent: 20 } }, series("tcp", oneInFive));
    expect(low.flapped).toBe(true);
    expect(low.state.status).toBe("flapping");
  });

  it("a check with a higher high threshold does not flap where the default would", () => {
    expect(run({ tcp }, series("tcp", pairs)).flapped).toBe(true);
    expect(run({ tcp: { ...tcp, flap_high_percent: 60 } }, series("tcp", pairs)).flapped).toBe(false);
  });

  it("each check's history is its own: a steady check does not dilute a flapping one's", () => {
    const both = [...series("flaky", pairs), ...series("steady", () => false)].sort((a, b) => a.time - b.time || a.check_id.localeCompare(b.check_id));
    const { state } = run({ flaky: { ...tcp, flap_high_percent: 45, flap_low_percent: 30 }, steady: { ...tcp, port: 22 } }, both);
    expect(state.status).toBe("flapping");
    expect(state.checks.flaky.flap!.flapping).toBe(true);
    expect(state.checks.steady.flap!.percent).toBe(0);
  });
});
