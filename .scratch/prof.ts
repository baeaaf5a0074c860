import { performance } from "node:perf_hooks";
import { parseDocument, LineCounter } from "yaml";
import { parseConfig } from "../server/network/config";
const lines = ["nodes:"];
for (let i = 0; i < 1000; i++) {
  lines.push(`  - id: node-${i}`, `    name: Node ${i}`, `    tags: {site: site-${i % 7}, tier: tier-${i % 3}, owner: team-${i % 11}}`);
  if (i % 10 !== 0) lines.push(`    parent: node-${i - (i % 10)}`);
  lines.push(`    checks:`, `      - {type: tcp, host: 127.0.0.1, port: 9, interval: 10m, timeout: 2s, failures_before_down: 3}`);
}
const text = lines.join("\n") + "\n";
for (let k = 0; k < 3; k++) {
let t = performance.now();
const lc = new LineCounter();
const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, version: "1.2" });
const a = performance.now() - t; t = performance.now();
doc.toJS({ maxAliasCount: 1000 });
const b = performance.now() - t; t = performance.now();
parseConfig(text, "x");
console.log(`parseDocument ${a.toFixed(0)} ms, toJS ${b.toFixed(0)} ms, parseConfig ${(performance.now() - t).toFixed(0)} ms`);
}
