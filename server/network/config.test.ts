import { describe, expect, it } from "vitest";
import { formatProblem, parseConfig, toYaml } from "./config";

const FILE = "/etc/vigil/vigil.yaml";
const GOOD = `nodes:
  - id: Edge-Router-1          # the node key, as heartbeats name it
    tags: {site: fra1, tier: edge}
    checks:
      - {type: tcp, host: 10.0.0.1, port: 179, interval: 30s, timeout: 5s}
  - id: api-gateway-1
    parent: edge-router-1
    maintenance:
      - {days: [sat], start: "02:00", duration: 2h, tz: Europe/Berlin}
    checks:
      - {type: http, url: "https://api.example/health", interval: 30s, timeout: 5s,
         failures_before_down: 3, successes_before_up: 2, latency_threshold_ms: 300}
      - {type: http, url: "https://api.example/ready"}
      - {type: push, id: cron, token: abcdefghijklmnop0123, interval: 5m}
`;

const problems = (text: string, known?: (k: string) => boolean) => {
  const r = parseConfig(text, FILE, known);
  if (r.ok) throw new Error("expected problems");
  return r.problems.map(formatProblem);
};

describe("the nodes file", () => {
  it("reads the issue's shape: keys lower-cased, durations in ms, checks named by id or type, each node's line", () => {
    const r = parseConfig(GOOD, FILE);
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
    expect(r.nodes.map((n) => [n.spec.key, n.line])).toEqual([["edge-router-1", 2], ["api-gateway-1", 6]]);
    const [edge, api] = r.nodes.map((n) => n.spec);
    expect(edge).toMatchObject({ name: "edge-router-1", kind: "server", tags: { site: "fra1", tier: "edge" }, parent: null });
    expect(edge.checks[0]).toMatchObject({ name: "tcp", enabled: true, spec: { interval_ms: 30_000, timeout_ms: 5_000, port: 179 }, input: { type: "tcp", interval: "30s" } });
    expect(api.parent).toBe("edge-router-1");
    expect(api.checks.map((c) => c.name)).toEqual(["http", "http-2", "cron"]);
    expect(api.checks[2]).toMatchObject({ token: "abcdefghijklmnop0123", input: { type: "push", interval: "5m" } });
    expect(api.checks[2].input).not.toHaveProperty("token");
    expect(api.maintenance[0].window).toMatchObject({ kind: "recurring", tz: "Europe/Berlin", duration_ms: 7_200_000 });
  });

  it("an empty file defines no nodes", () => {
    expect(parseConfig("", FILE)).toEqual({ ok: true, nodes: [] });
    expect(parseConfig("# nothing yet\nnodes: []\n", FILE)).toEqual({ ok: true, nodes: [] });
  });

  it("reports YAML syntax errors with file, line and column", () => {
    expect(problems("nodes:\n  - id: a\n    checks: [ {type: http\n")[0]).toMatch(/^\/etc\/vigil\/vigil\.yaml:4:1: /);
    expect(problems(GOOD.replace("tags: {site: fra1,", "tags: {site: fra1, site: x,"))).toEqual([`${FILE}:3:24: Map keys must be unique`]);
  });

  it("reports schema errors at the line of the setting at fault, naming the node and check", () => {
    expect(problems(GOOD.replace("port: 179,", "port: 179, colour: red,"))).toEqual([`${FILE}:5:48: node Edge-Router-1, check 1: unknown setting "colour"`]);
    expect(problems(GOOD.replace("interval: 30s, timeout: 5s}", "interval: 30 seconds, timeout: 5s}"))[0]).toMatch(/^\/etc\/vigil\/vigil\.yaml:5:58: node Edge-Router-1, check 1: interval: invalid duration "30 seconds"/);
    expect(problems(GOOD.replace("    checks:\n      - {type: tcp", "    chekcs:\n      - {type: tcp"))).toEqual([`${FILE}:4:5: node Edge-Router-1: unknown setting "chekcs"`]);
    expect(problems(GOOD.replace("url: \"https://api.example/ready\"", "url: ftp://x"))[0]).toMatch(/^\/etc\/vigil\/vigil\.yaml:13:27: node api-gateway-1, check 2: url: expected an http/);
    expect(problems("nodes:\n  - name: x\n")[0]).toMatch(/^\/etc\/vigil\/vigil\.yaml:2:5: node #1: id: /);
    expect(problems(GOOD.replace("tz: Europe/Berlin", "tz: Mars/Olympus"))[0]).toMatch(/:9:\d+: node api-gateway-1: maintenance\.0\.tz: tz: an IANA time zone/);
  });

  it("reports problems of the set: an unknown parent, a loop, a node or check defined twice, a shared push token", () => {
    expect(problems(GOOD.replace("parent: edge-router-1", "parent: core-1"))).toEqual([`${FILE}:7:13: node api-gateway-1: no node core-1`]);
    // a parent outside the file that exists (an API or heartbeat node) is fine
    expect(parseConfig(GOOD.replace("parent: edge-router-1", "parent: core-1"), FILE, (k) => k === "core-1").ok).toBe(true);
    expect(problems("nodes:\n - id: a\n   parent: b\n - id: b\n   parent: a\n")).toEqual([`${FILE}:3:12: node a: parents form a loop: a → b → a`]);
    expect(problems(GOOD.replace("id: api-gateway-1", "id: EDGE-router-1").replace("    parent: edge-router-1\n", ""))[0]).toMatch(/:6:9: node edge-router-1: node edge-router-1 is defined twice/);
    expect(problems(GOOD.replace("{type: http, url: \"https://api.example/ready\"}", "{type: http, id: cron, url: \"https://api.example/ready\"}"))[0]).toMatch(/:14:\d+: node api-gateway-1: id: another check of this node is already called "cron"/);
    const twice = GOOD.replace("      - {type: tcp, host", "      - {type: push, token: abcdefghijklmnop0123}\n      - {type: tcp, host");
    expect(problems(twice)[0]).toMatch(/node api-gateway-1: check cron: its push token is already used by edge-router-1\/push/);
  });

  it("exports the live set as a file that reads back to the same definitions, noting where each came from", () => {
    const r = parseConfig(GOOD, FILE);
    if (!r.ok) throw new Error("bad fixture");
    const text = toYaml(
      [
        { definition: { id: "edge-router-1", tags: { site: "fra1" }, checks: [{ type: "tcp", host: "10.0.0.1", port: 179, interval: "30s" }] }, source: "config", paused: false },
        { definition: { id: "gw", parent: "edge-router-1", latency_threshold_ms: 250 }, source: "heartbeat", paused: true },
      ],
      Date.UTC(2026, 10, 21, 12),
    );
    expect(text).toContain("# Vigil nodes, exported 2026-11-21T12:00:00.000Z: 2 nodes.");
    expect(text).toContain("# defined by its heartbeats, paused");
    const back = parseConfig(text, "export.yaml");
    if (!back.ok) throw new Error(back.problems.map(formatProblem).join("\n"));
    expect(back.nodes.map((n) => n.spec)).toMatchObject([
      { key: "edge-router-1", tags: { site: "fra1" }, checks: [{ name: "tcp", spec: { interval_ms: 30_000 } }] },
      { key: "gw", parent: "edge-router-1", latency_threshold_ms: 250 },
    ]);
  });
});
