import { describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import { Simulator } from "./simulator";
import { DEMO_FLEET } from "./fleet";

describe("demo simulator", () => {
  it("registers the fleet with its dependency tree", () => {
    const { core } = testCore();
    new Simulator(core);
    const nodes = core.networkSnapshot().nodes;
    expect(nodes).toHaveLength(DEMO_FLEET.length);
    const byKey = new Map(nodes.map((n) => [n.key, n]));
    expect(byKey.get("card-network")?.parent_id).toBe(byKey.get("payment-switch")?.id);
    expect(byKey.get("edge-rtr-1")?.parent_id).toBeNull();
  });

  it("feeds heartbeats and security events through the ingest path, announcing them live", () => {
    const { core, clock, drain } = testCore();
    const sim = new Simulator(core, { seed: 1 });
    drain("network");
    for (let i = 0; i < 20; i++) {
      sim.tick();
      clock.advance(1000);
    }
    expect(drain("network").filter((d) => d.type === "heartbeat")).toHaveLength(20 * DEMO_FLEET.length);
    const events = drain("security");
    expect(events.length).toBeGreaterThan(50);
    expect(new Set(events.map((d) => d.event.kind))).toEqual(new Set(["ids_alert", "auth_failure", "auth_success", "transaction"]));
    expect(events.every((d) => d.event.source === "demo")).toBe(true);
  });

  it("stages an early brute-force burst that opens a security incident", () => {
    const { core, clock } = testCore();
    const sim = new Simulator(core, { seed: 3 });
    for (let i = 0; i < 30; i++) {
      sim.tick();
      clock.advance(1000);
    }
    const incidents = core.incidentsSnapshot({ status: "all", limit: 50 }).incidents;
    expect(incidents.some((i) => i.rule === "brute_force" && i.pane === "security")).toBe(true);
  });

  it("is repeatable for a seed", () => {
    const run = () => {
      const { core, clock, drain } = testCore();
      const sim = new Simulator(core, { seed: 42 });
      for (let i = 0; i < 5; i++) {
        sim.tick();
        clock.advance(1000);
      }
      return drain("security").map((d) => d.event.message);
    };
    expect(run()).toEqual(run());
  });

  it("produces outages with a high intensity, which open network incidents", () => {
    const { core, clock } = testCore();
    const sim = new Simulator(core, { seed: 5, intensity: 40 });
    for (let i = 0; i < 120; i++) {
      sim.tick();
      clock.advance(1000);
    }
    expect(core.incidentsSnapshot({ status: "all", limit: 50 }).incidents.some((i) => i.rule === "node_down")).toBe(true);
  });
});
