import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

const env = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...vars });

describe("VIGIL_STORM_WAIT_S", () => {
  it("holds a node_down's first page 30 s by default; 0 turns the wait off; a value past 600 s or not a whole number is refused by name", () => {
    expect(loadConfig(env(), "/tmp").stormWaitMs).toBe(30_000);
    expect(loadConfig(env({ VIGIL_STORM_WAIT_S: "0" }), "/tmp").stormWaitMs).toBe(0);
    expect(loadConfig(env({ VIGIL_STORM_WAIT_S: "90" }), "/tmp").stormWaitMs).toBe(90_000);
    expect(() => loadConfig(env({ VIGIL_STORM_WAIT_S: "601" }), "/tmp")).toThrow(/^VIGIL_STORM_WAIT_S="601" is not an integer between 0 and 600$/);
    expect(() => loadConfig(env({ VIGIL_STORM_WAIT_S: "1.5" }), "/tmp")).toThrow(/VIGIL_STORM_WAIT_S/);
  });
});
