import { SPARK_POINTS } from "@/lib/contracts/network";

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
