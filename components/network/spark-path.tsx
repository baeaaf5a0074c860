import { SPARK_POINTS } from "@/lib/contracts/values/network";

const W = 100;
const H = 24;

/** The SVG path of a sparkline (newest at the right edge) and of tick marks where checks failed. */
export function sparkPaths(spark: readonly (number | null)[]): { line: string; failures: string } {
  const step = W / (SPARK_POINTS - 1);
  const offset = SPARK_POINTS - spark.length;
  let max = 1;
  for (const v of spark) if (v !== null && v > max) max = v;
  let line = "";
  let failures = "";
  let pen = false;
  spark.forEach((v, i) => {
    const x = ((offset + i) * step).toFixed(1);
    if (v === null) {
      failures += `M${x} ${H}V${H - 6}`;
      pen = false;
      return;
    }
    const y = (H - 2 - (v / max) * (H - 4)).toFixed(1);
    line += `${pen ? "L" : "M"}${x} ${y}`;
    pen = true;
  });
  return { line, failures };
}

/** A tile's latency sparkline: one small SVG, no chart library; failed checks are red ticks. */
export function SparkPath({ spark, stroke }: { spark: readonly (number | null)[]; stroke: string }) {
  const { line, failures } = sparkPaths(spark);
  const failed = spark.filter((v) => v === null).length;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" className="h-6 w-full" role="img" aria-label={`${failed} of the last ${spark.length} checks failed`}>
      {line && <path d={line} fill="none" stroke={stroke} strokeWidth={1.5} vectorEffect="non-scaling-stroke" strokeLinejoin="round" />}
      {failures && <path d={failures} fill="none" stroke="#ef4444" strokeWidth={2} vectorEffect="non-scaling-stroke" />}
    </svg>
  );
}

/** The bars of a check strip as two SVG paths, one per outcome: one bar a check, newest at the right, SPARK_POINTS slots. */
export function stripPaths(spark: readonly (number | null)[]): { passed: string; failed: string } {
  const slot = W / SPARK_POINTS;
  const offset = SPARK_POINTS - spark.length;
  let passed = "";
  let failed = "";
  spark.forEach((v, i) => {
    const bar = `M${((offset + i) * slot + 0.4).toFixed(1)} 0h${(slot - 0.8).toFixed(1)}v4h${(-(slot - 0.8)).toFixed(1)}z`;
    if (v === null) failed += bar;
    else passed += bar;
  });
  return { passed, failed };
}

/** A tile's strip of recent checks (green passed, red failed): one small SVG of two paths, not an element per check. */
export function SparkStrip({ spark }: { spark: readonly (number | null)[] }) {
  const { passed, failed } = stripPaths(spark);
  return (
    <svg viewBox={`0 0 ${W} 4`} preserveAspectRatio="none" className="h-1.5 w-full" aria-hidden data-check-strip="">
      <rect width={W} height={4} fill="#1e293b" />
      {passed && <path d={passed} fill="#10b981" fillOpacity={0.8} />}
      {failed && <path d={failed} fill="#ef4444" />}
    </svg>
  );
}
