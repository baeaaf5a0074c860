// Latency baseline detector (server/network/baseline.ts) scored on labelled series: each CSV named
// in anomaly_windows.json (NAB's labels: windows around each known anomaly) is fed point by point,
// as probes would be, and the anomalies it raises are compared with the windows.
//   windows found   a window holding at least one anomalous point
//   false flags     anomalies that start outside every window (each would open an incident)
//   false points    anomalous points outside every window
// Usage: npx tsx bench/latency-baseline.ts [--dir ../shared/datasets/latency] [--grid]
//        [--window N] [--threshold Z] [--confirm K] [--min-samples N] [--direction both|high] [--learn 0|1]
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_BASELINE, initialBaseline, observeLatency, type BaselineOptions } from "../server/network/baseline";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}
const dir = path.resolve(arg("dir") ?? "../shared/datasets/latency");
const labelsFile = path.join(dir, "anomaly_windows.json");
if (!fs.existsSync(labelsFile)) {
  console.log(`no labelled latency data at ${dir} (anomaly_windows.json): nothing to score`);
  process.exit(0);
}
/** NAB stamps carry no zone; read as UTC. */
const stamp = (text: string) => Date.parse(`${text.trim().replace(" ", "T").slice(0, 23)}Z`);
const labels = JSON.parse(fs.readFileSync(labelsFile, "utf8")) as Record<string, [string, string][]>;

interface Series {
  name: string;
  times: number[];
  values: number[];
  windows: { start: number; end: number }[];
}
const series: Series[] = Object.entries(labels).map(([file, windows]) => {
  const lines = fs.readFileSync(path.join(dir, file), "utf8").trim().split("\n").slice(1);
  const points = lines.map((l) => l.split(",")).map(([t, v]) => [stamp(t), Number(v)] as const).filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
  return { name: file, times: points.map((p) => p[0]), values: points.map((p) => p[1]), windows: windows.map(([a, b]) => ({ start: stamp(a), end: stamp(b) })) };
});

interface Score {
  found: number;
  missed: number;
  falseFlags: number;
  falsePoints: number;
  /** per window: minutes from its start to the first anomalous point, null when missed */
  firstFlag: (number | null)[];
  falseFlagTimes: number[];
}
function score(s: Series, options: BaselineOptions): Score {
  const state = initialBaseline();
  const inWindow = (t: number) => s.windows.findIndex((w) => t >= w.start && t <= w.end);
  const firstFlag: (number | null)[] = s.windows.map(() => null);
  let falseFlags = 0;
  let falsePoints = 0;
  const falseFlagTimes: number[] = [];
  for (let i = 0; i < s.values.length; i++) {
    const v = observeLatency(state, s.values[i], options);
    if (!v.anomalous) continue;
    const w = inWindow(s.times[i]);
    if (w >= 0) firstFlag[w] ??= (s.times[i] - s.windows[w].start) / 60_000;
    else {
      falsePoints++;
      if (v.started) {
        falseFlags++;
        falseFlagTimes.push(s.times[i]);
      }
    }
  }
  const found = firstFlag.filter((f) => f !== null).length;
  return { found, missed: s.windows.length - found, falseFlags, falsePoints, firstFlag, falseFlagTimes };
}

const num = (name: string, fallback: number) => (arg(name) === undefined ? fallback : Number(arg(name)));
const chosen: BaselineOptions = {
  ...DEFAULT_BASELINE,
  window: num("window", DEFAULT_BASELINE.window),
  threshold: num("threshold", DEFAULT_BASELINE.threshold),
  confirm: num("confirm", DEFAULT_BASELINE.confirm),
  min_samples: num("min-samples", DEFAULT_BASELINE.min_samples),
  direction: (arg("direction") as BaselineOptions["direction"]) ?? DEFAULT_BASELINE.direction,
  learn_outliers: arg("learn") === undefined ? DEFAULT_BASELINE.learn_outliers : arg("learn") === "1",
};
const describe = (o: BaselineOptions) => `window ${o.window}, threshold ${o.threshold}, confirm ${o.confirm}, clear ${o.clear}, min_samples ${o.min_samples}, direction ${o.direction}, learn_outliers ${o.learn_outliers}`;

console.log(`baseline: ${describe(chosen)}`);
for (const s of series) {
  const r = score(s, chosen);
  console.log(`\n${s.name}: ${s.values.length} points, ${s.windows.length} labelled windows`);
  console.log(`  windows found ${r.found}, windows missed ${r.missed}, false flags ${r.falseFlags} (${r.falsePoints} anomalous points outside windows)`);
  s.windows.forEach((w, i) => {
    const f = r.firstFlag[i];
    console.log(`  window ${new Date(w.start).toISOString()} … ${new Date(w.end).toISOString()}: ${f === null ? "missed" : `first flag ${f.toFixed(0)} min after its start`}`);
  });
  for (const t of r.falseFlagTimes.slice(0, 20)) console.log(`  false flag at ${new Date(t).toISOString()}`);
}

if (process.argv.includes("--grid")) {
  console.log("\ngrid (summed over every series): found/missed/false flags/false points");
  const rows: { o: BaselineOptions; found: number; missed: number; ff: number; fp: number }[] = [];
  for (const window of [96, 144, 288, 576])
    for (const threshold of [3.5, 4, 5, 6, 7, 8, 10])
      for (const confirm of [1, 2, 3])
        for (const direction of ["both", "high"] as const)
          for (const learn_outliers of [true, false]) {
            const o = { ...chosen, window, threshold, confirm, direction, learn_outliers, min_samples: Math.min(chosen.min_samples, window) };
            const rs = series.map((s) => score(s, o));
            rows.push({ o, found: sum(rs.map((r) => r.found)), missed: sum(rs.map((r) => r.missed)), ff: sum(rs.map((r) => r.falseFlags)), fp: sum(rs.map((r) => r.falsePoints)) });
          }
  rows.sort((a, b) => b.found - a.found || a.ff - b.ff || a.fp - b.fp);
  for (const r of rows.slice(0, 40)) console.log(`  ${r.found}/${r.missed}/${r.ff}/${r.fp}  ${describe(r.o)}`);
  const perfect = rows.filter((r) => r.missed === 0 && r.ff === 0);
  console.log(`\n${perfect.length} of ${rows.length} settings find every window with no false flag`);
}
function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
