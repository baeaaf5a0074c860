// The nodes file parsed on a worker thread answers exactly what parsing in place answers: the same
// nodes, and the same problems at the same lines.
import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";
import { OFF_THREAD_BYTES, parseConfigOffThread } from "./config-parse";

function file(n: number, extra = ""): string {
  const lines = ["nodes:"];
  for (let i = 0; i < n; i++) {
    lines.push(`  - id: node-${i}`, `    tags: {site: fra${i % 3}, tier: app}`);
    if (i % 10 !== 0) lines.push(`    parent: node-${i - (i % 10)}`);
    lines.push(
      "    checks:",
      `      - {type: http, url: "http://127.0.0.1:9/health", interval: 30s, timeout: 5s, keyword: ok, latency_threshold_ms: 300}`,
      `      - {type: tcp, host: 127.0.0.1, port: ${1000 + i}, interval: 1m}`,
      "    maintenance:",
      "      - {days: [sat, sun], start: '02:00', duration: 30m, tz: Europe/Berlin}",
    );
  }
  return lines.join("\n") + "\n" + extra;
}

// a worker in a test starts through tsx's loader: seconds on a loaded machine
describe("parseConfigOffThread", { timeout: 60_000 }, () => {
  it("a large file (200 nodes, over the worker threshold) parses on a worker to the same nodes as in place", async () => {
    const text = file(200);
    expect(Buffer.byteLength(text)).toBeGreaterThan(OFF_THREAD_BYTES);
    const inPlace = parseConfig(text, "/etc/vigil.yaml", (k) => k === "outside-1");
    expect(inPlace.ok).toBe(true);
    const offThread = await parseConfigOffThread(text, "/etc/vigil.yaml", ["outside-1"]);
    expect(offThread).toEqual(inPlace);
  });

  it("problems come back with their file, line and reason; the keys known outside the file count as parents", async () => {
    const bad = file(200, "  - id: orphan\n    parent: outside-1\n  - id: lost\n    parent: nowhere\n");
    const offThread = await parseConfigOffThread(bad, "/etc/vigil.yaml", ["outside-1"]);
    expect(offThread).toEqual(parseConfig(bad, "/etc/vigil.yaml", (k) => k === "outside-1"));
    expect(offThread.ok).toBe(false);
    if (offThread.ok) return;
    expect(offThread.problems).toHaveLength(1);
    expect(offThread.problems[0]).toMatchObject({ file: "/etc/vigil.yaml", line: file(200).split("\n").length + 3 });
    expect(offThread.problems[0].message).toContain("nowhere");
  });

  it("text that is not YAML is a problem at its line, not a thrown error", async () => {
    const text = file(200, "  - id: [unclosed\n");
    const offThread = await parseConfigOffThread(text, "f.yaml", []);
    expect(offThread.ok).toBe(false);
    expect(offThread).toEqual(parseConfig(text, "f.yaml"));
  });
});
