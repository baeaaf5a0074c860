// Latency baseline detector (server/network/baseline.ts) scored on labelled series: each CSV named
// in anomaly_windows.json (NAB's labels: windows around each known anomaly) is fed point by point,
// as probes would be, and the anomalies it raises are compared with the windows.
//   windows found   a window holding at least one anomalous point
//   false flags     anomalies that start outside every window (each would open an incident)
//   false points    anomalous points outside every window (time spent degraded for nothing: a long
//                   `clear` can hide false flags inside one long false anomaly, this shows it)
// With more than one series it ends with totals: the sample series (NAB's
// ec2_request_latency_system_failure, the one in ../shared/datasets/latency), the latency-like
// series (NAB realAWSCloudwatch and realTraffic, which hold the sample), the others, and all; and
// the same split into two halves (alternate series of each NAB group, by name), A to tune on, B
// held out.
// Usage: npx tsx bench/latency-baseline.ts [--dir ../shared/datasets/latency] [--quiet] [--grid]
//        [--window N] [--threshold Z] [--confirm K] [--clear N] [--min-samples N] [--direction both|high]
//        [--learn 0|1] [--change R] [--instant Z] [--spread F] [--spread-halflife N] [--novelty Q] [--defaults old]
//        [--grid-windows 144,288,576]
//   --defaults old   start from the options before the generalisation (for before/after figures)
//   --grid           sweeps threshold × confirm (± instant_score) × clear × direction ×
//                    min_mad_spread × novelty_quantile at window 288 (--grid-windows; learn_outliers
//                    on) and picks, by a fixed rule on half A only (without the sample), the setting
//                    with the most found − w × false flags (w 0.1 and 0.03) among those that keep the
//                    sample series at 3 found / 0 false and spend no more false points on half A than
//                    the starting setting; prints it on half B, the latency-like series and all, and
//                    the Pareto front on half A. Two CPU-minutes on NAB's 47 series.
import fs from "node:fs";
import path from "node:path";
import { advanceAnomaly, DEFAULT_BASELINE, initialBaseline, judgeSample, median, nextSpread, observeLatency, quantileSorted, type BaselineOptions, type BaselineState } from "../server/network/baseline";

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

const SAMPLE = "ec2_request_latency_system_failure.csv";
/** NAB's groups, by file name: realAWSCloudwatch and realTraffic are the latency-like ones. */
function groupOf(file: string): string {
  if (/^(ec2_|elb_|grok_|iio_|rds_)/.test(file)) return "AWSCloudwatch";
  if (/^(TravelTime|speed|occupancy)_/.test(file)) return "Traffic";
  if (file.startsWith("exchange-")) return "AdExchange";
  if (file.startsWith("Twitter_")) return "Tweets";
  return "KnownCause";
}
const latencyLike = (file: string) => file === SAMPLE || groupOf(file) === "AWSCloudwatch" || groupOf(file) === "Traffic";

interface Series {
  name: string;
  times: number[];
  values: number[];
  windows: { start: number; end: number }[];
  half: "A" | "B";
}
const series: Series[] = Object.entries(labels).map(([file, windows]) => {
  const lines = fs.readFileSync(path.join(dir, file), "utf8").trim().split("\n").slice(1);
  const points = lines.map((l) => l.split(",")).map(([t, v]) => [stamp(t), Number(v)] as const).filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
  return { name: file, times: points.map((p) => p[0]), values: points.map((p) => p[1]), windows: windows.map(([a, b]) => ({ start: stamp(a), end: stamp(b) })), half: "A" as const };
});
// halves: alternate series of each group, in name order (the sample series is in neither count's tuning: it is a constraint)
const byGroup = new Map<string, Series[]>();
for (const s of series) byGroup.set(groupOf(s.name), [...(byGroup.get(groupOf(s.name)) ?? []), s]);
for (const list of byGroup.values()) [...list].sort((a, b) => (a.name < b.name ? -1 : 1)).forEach((s, i) => (s.half = i % 2 ? "B" : "A"));

interface Score {
  found: number;
  missed: number;
  falseFlags: number;
  falsePoints: number;
  /** per window: minutes from its start to the first anomalous point, null when missed */
  firstFlag: (number | null)[];
  falseFlagTimes: number[];
}
/** Scores one series given a step function that judges point i (the real observeLatency, or the grid's precomputed path). */
function scoreWith(s: Series, step: (i: number) => { anomalous: boolean; started: boolean }): Score {
  const inWindow = (t: number) => s.windows.findIndex((w) => t >= w.start && t <= w.end);
  const firstFlag: (number | null)[] = s.windows.map(() => null);
  let falseFlags = 0;
  let falsePoints = 0;
  const falseFlagTimes: number[] = [];
  for (let i = 0; i < s.values.length; i++) {
    const v = step(i);
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
function score(s: Series, options: BaselineOptions): Score {
  const state = initialBaseline();
  return scoreWith(s, (i) => observeLatency(state, s.values[i], options));
}

/** The options before the generalisation (window 288, threshold 6, confirm 1, clear 3, both directions, no change floor). */
const OLD_DEFAULTS: BaselineOptions = { window: 288, threshold: 6, min_samples: 48, confirm: 1, clear: 3, min_mad_ms: 1, min_mad_ratio: 0.02, learn_outliers: true, direction: "both", min_change_ratio: 0, instant_score: 0, min_mad_spread: 0, novelty_quantile: 0 };
const base = arg("defaults") === "old" ? OLD_DEFAULTS : DEFAULT_BASELINE;
const num = (name: string, fallback: number) => (arg(name) === undefined ? fallback : Number(arg(name)));
const chosen: BaselineOptions = {
  ...base,
  window: num("window", base.window),
  threshold: num("threshold", base.threshold),
  confirm: num("confirm", base.confirm),
  clear: num("clear", base.clear),
  min_samples: num("min-samples", base.min_samples),
  direction: (arg("direction") as BaselineOptions["direction"]) ?? base.direction,
  learn_outliers: arg("learn") === undefined ? base.learn_outliers : arg("learn") === "1",
  min_change_ratio: num("change", base.min_change_ratio ?? 0),
  instant_score: num("instant", base.instant_score ?? 0),
  min_mad_spread: num("spread", base.min_mad_spread ?? 0),
  spread_halflife: num("spread-halflife", base.spread_halflife ?? 2016),
  novelty_quantile: num("novelty", base.novelty_quantile ?? 0),
};
const describe = (o: BaselineOptions) =>
  `window ${o.window}, threshold ${o.threshold}, confirm ${o.confirm}, clear ${o.clear}, min_samples ${o.min_samples}, direction ${o.direction}, learn_outliers ${o.learn_outliers}, min_change_ratio ${o.min_change_ratio ?? 0}, instant_score ${o.instant_score ?? 0}, min_mad_spread ${o.min_mad_spread ?? 0} (half-life ${o.spread_halflife ?? 2016}), novelty_quantile ${o.novelty_quantile ?? 0}`;

const quiet = process.argv.includes("--quiet");
console.log(`baseline: ${describe(chosen)}`);
const cpu0 = process.cpuUsage();
const results = series.map((s) => ({ s, r: score(s, chosen) }));
const cpu = process.cpuUsage(cpu0);
for (const { s, r } of results) {
  if (quiet) continue;
  console.log(`\n${s.name}: ${s.values.length} points, ${s.windows.length} labelled windows`);
  console.log(`  windows found ${r.found}, windows missed ${r.missed}, false flags ${r.falseFlags} (${r.falsePoints} anomalous points outside windows)`);
  s.windows.forEach((w, i) => {
    const f = r.firstFlag[i];
    console.log(`  window ${new Date(w.start).toISOString()} … ${new Date(w.end).toISOString()}: ${f === null ? "missed" : `first flag ${f.toFixed(0)} min after its start`}`);
  });
  for (const t of r.falseFlagTimes.slice(0, 20)) console.log(`  false flag at ${new Date(t).toISOString()}`);
}

interface Total {
  series: number;
  windows: number;
  found: number;
  missed: number;
  ff: number;
  fp: number;
  points: number;
}
function total(rs: { s: Series; r: Pick<Score, "found" | "missed" | "falseFlags" | "falsePoints"> }[]): Total {
  const t: Total = { series: rs.length, windows: 0, found: 0, missed: 0, ff: 0, fp: 0, points: 0 };
  for (const { s, r } of rs) {
    t.windows += s.windows.length;
    t.found += r.found;
    t.missed += r.missed;
    t.ff += r.falseFlags;
    t.fp += r.falsePoints;
    t.points += s.values.length;
  }
  return t;
}
const line = (label: string, t: Total) =>
  `  ${label.padEnd(40)} ${String(t.series).padStart(3)} series ${String(t.windows).padStart(4)} windows: found ${String(t.found).padStart(3)}, missed ${String(t.missed).padStart(3)}, false flags ${String(t.ff).padStart(5)}, false points ${String(t.fp).padStart(6)} (${((100 * t.fp) / Math.max(1, t.points)).toFixed(2)} % of ${t.points})`;
type Sel = (s: Series) => boolean;
const SELECTIONS: [string, Sel][] = [
  ["sample (ec2_request_latency)", (s) => s.name === SAMPLE],
  ["latency-like (AWSCloudwatch+Traffic)", (s) => latencyLike(s.name)],
  ["others (AdExchange, KnownCause, Tweets)", (s) => !latencyLike(s.name)],
  ["all", () => true],
  ["half A (tuning)", (s) => s.half === "A"],
  ["half B (held out)", (s) => s.half === "B"],
  ["latency-like, half B", (s) => s.half === "B" && latencyLike(s.name)],
];
function printTotals(rs: { s: Series; r: Pick<Score, "found" | "missed" | "falseFlags" | "falsePoints"> }[]) {
  for (const [label, sel] of SELECTIONS) {
    const picked = rs.filter(({ s }) => sel(s));
    if (picked.length) console.log(line(label, total(picked)));
  }
}
if (series.length > 1) {
  console.log(`\nper series (group, half): found/missed  false flags  false points`);
  for (const { s, r } of results) console.log(`  ${s.name.padEnd(42)} ${groupOf(s.name).padEnd(13)} ${s.half}  ${r.found}/${r.missed}  ${String(r.falseFlags).padStart(5)}  ${String(r.falsePoints).padStart(6)}`);
  console.log(`\ntotals (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU for ${total(results).points} points):`);
  printTotals(results);
}

if (process.argv.includes("--grid")) grid();

function grid() {
  // With learn_outliers on, the baseline of point i is the raw series' previous `window` points
  // whatever is judged, so each window's median and raw MAD are computed once per series and the
  // sweep only re-runs judgeSample and advanceAnomaly (the same functions observeLatency runs).
  const windows = (arg("grid-windows") ?? "288").split(",").map(Number);
  const QS = [0.98, 0.99, 0.995];
  const stats = new Map<number, { med: Float64Array; mad: Float64Array; spread: Float64Array; lo: Float64Array[]; hi: Float64Array[] }[]>();
  const g0 = process.cpuUsage();
  for (const w of windows)
    stats.set(
      w,
      series.map((s) => {
        const n = s.values.length;
        const med = new Float64Array(n).fill(NaN);
        const mad = new Float64Array(n).fill(NaN);
        const lo = QS.map(() => new Float64Array(n));
        const hi = QS.map(() => new Float64Array(n));
        for (let i = 0; i < n; i++) {
          const past = s.values.slice(Math.max(0, i - w), i);
          if (past.length < Math.min(chosen.min_samples, w)) continue;
          const m = median(past);
          med[i] = m;
          mad[i] = median(past.map((x) => Math.abs(x - m)));
          const sorted = Float64Array.from(past).sort();
          QS.forEach((q, k) => {
            lo[k][i] = quantileSorted(sorted, 1 - q);
            hi[k][i] = quantileSorted(sorted, q);
          });
        }
        // the longer-run spread each point is judged with (state.spread before it), as observeLatency keeps it
        const spread = new Float64Array(n);
        let sp: number | undefined;
        for (let i = 0; i < n; i++) {
          spread[i] = sp ?? 0;
          if (!Number.isNaN(med[i])) sp = nextSpread(sp, mad[i], chosen);
        }
        return { med, mad, spread, lo, hi };
      }),
    );
  const fastScore = (si: number, o: BaselineOptions): Score => {
    const s = series[si];
    const { med, mad, spread, lo, hi } = stats.get(o.window)![si];
    const k = QS.indexOf(o.novelty_quantile ?? 0);
    if ((o.novelty_quantile ?? 0) > 0 && k < 0) throw new Error(`the grid has no quantiles for ${o.novelty_quantile}`);
    if ((o.spread_halflife ?? 2016) !== (chosen.spread_halflife ?? 2016)) throw new Error("the grid keeps spread_halflife fixed");
    const state: BaselineState = initialBaseline();
    return scoreWith(s, (i) => {
      const was = state.anomalous;
      if (Number.isNaN(med[i])) advanceAnomaly(state, false, null, o);
      else {
        const j = judgeSample(s.values[i], med[i], mad[i], o, spread[i], k < 0 || state.anomalous || state.outliers_in_row > 0 ? undefined : { lo: lo[k][i], hi: hi[k][i] });
        advanceAnomaly(state, j.outlier, j.score, o);
      }
      return { anomalous: state.anomalous, started: !was && state.anomalous };
    });
  };
  // the fast path must agree with observeLatency
  const check = { ...chosen, learn_outliers: true, window: 288 };
  const slowT = total(series.map((s) => ({ s, r: score(s, check) })));
  const fastT = total(series.map((s, i) => ({ s, r: fastScore(i, check) })));
  if (JSON.stringify(slowT) !== JSON.stringify(fastT)) throw new Error(`grid fast path disagrees with observeLatency: ${JSON.stringify(slowT)} vs ${JSON.stringify(fastT)}`);

  const sampleIndex = series.findIndex((s) => s.name === SAMPLE);
  const rows: { o: BaselineOptions; rs: { s: Series; r: Score }[] }[] = [];
  for (const window of windows)
    for (const threshold of [4, 5, 6, 8])
      for (const confirm of [1, 2, 3])
        for (const instant_score of confirm === 1 ? [0] : [0, 2 * threshold])
          for (const clear of [3, 6])
            for (const direction of ["both", "high"] as const)
              for (const min_change_ratio of [0])
                for (const min_mad_spread of [0, 1])
                  for (const novelty_quantile of [0, ...QS]) {
                    const o: BaselineOptions = { ...chosen, learn_outliers: true, window, threshold, confirm, clear, direction, min_change_ratio, instant_score, min_mad_spread, novelty_quantile, min_samples: Math.min(chosen.min_samples, window) };
                    rows.push({ o, rs: series.map((s, i) => ({ s, r: { ...fastScore(i, o), falseFlagTimes: [] } })) });
                  }
  const g = process.cpuUsage(g0);
  const pick = (sel: Sel) => (row: (typeof rows)[number]) => total(row.rs.filter(({ s }) => sel(s)));
  const okOnSample = (row: (typeof rows)[number]) => sampleIndex < 0 || (row.rs[sampleIndex].r.missed === 0 && row.rs[sampleIndex].r.falseFlags === 0);
  const tuneSel: Sel = (s) => s.half === "A" && s.name !== SAMPLE;
  // the rule: on half A (without the sample series), the most found − weight × false flags, among the
  // settings that keep the sample at 3 found / 0 false and spend no more time falsely anomalous
  // (false points) on half A than the starting setting
  const startFp = total(series.filter(tuneSel).map((s) => ({ s, r: score(s, chosen) }))).fp;
  const eligible = rows.filter((row) => okOnSample(row) && pick(tuneSel)(row).fp <= startFp);
  console.log(`\ngrid: ${rows.length} settings, ${rows.filter(okOnSample).length} keep the sample series at 3 found / 0 false, ${eligible.length} of them with at most ${startFp} false points on half A (${((g.user + g.system) / 1e6).toFixed(1)} s CPU)`);
  const short = (t: Total) => `${t.found}/${t.missed}/${t.ff}/${t.fp}`;
  const show = (row: (typeof rows)[number]) =>
    console.log(`  ${short(pick(tuneSel)(row)).padEnd(16)} | ${short(pick((s) => s.half === "B")(row)).padEnd(18)} | ${short(pick((s) => latencyLike(s.name))(row)).padEnd(18)} | ${short(pick(() => true)(row)).padEnd(18)}  ${describe(row.o)}`);
  console.log(`columns: found/missed/false flags/false points on half A (tuning, without the sample) | half B (held out) | latency-like | all`);
  for (const weight of [0.1, 0.03]) {
    const objective = (t: Total) => t.found - weight * t.ff;
    const ranked = [...eligible].sort((a, b) => objective(pick(tuneSel)(b)) - objective(pick(tuneSel)(a)) || pick(tuneSel)(a).fp - pick(tuneSel)(b).fp);
    console.log(`\ntop 8 by found − ${weight} × false flags on half A:`);
    ranked.slice(0, 8).forEach(show);
    const best = ranked[0];
    if (best) {
      console.log(`chosen on half A with weight ${weight}: ${describe(best.o)}`);
      printTotals(best.rs);
    }
  }
  // Pareto front on half A: no other eligible setting finds as many with fewer false flags
  const front = eligible.filter((r) => !eligible.some((o) => pick(tuneSel)(o).found >= pick(tuneSel)(r).found && pick(tuneSel)(o).ff < pick(tuneSel)(r).ff));
  front.sort((a, b) => pick(tuneSel)(b).found - pick(tuneSel)(a).found);
  console.log(`\nPareto front on half A (found vs false flags), ${front.length} settings:`);
  front.slice(0, 25).forEach(show);
}
