"use client";

import { useRef } from "react";
import dynamic from "next/dynamic";
import type { DetailCheck } from "@/lib/contracts/network";
import { useElementWidth } from "./use-element-width";
import { loadLatencyPlot } from "@/components/ui/load-on-demand";

const HEIGHT = 160;

// recharts (about 110 KB gzipped) loads when a chart is first opened, not with the console
const LatencyPlot = dynamic(loadLatencyPlot, { ssr: false });

/**
 * A node's latency over its recent checks (failed checks leave a gap). The chart gets a definite
 * width and height and mounts only once its box is measured, so recharts never sees width 0.
 * Only the detail panel renders it, and only after mount (times are in the viewer's zone).
 */
export function LatencyChart({ checks, stroke }: { checks: readonly DetailCheck[]; stroke: string }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(boxRef);
  return (
    <div ref={boxRef} style={{ height: HEIGHT }} className="w-full" aria-label="latency chart">
      {width !== null && width > 0 && <LatencyPlot checks={checks} stroke={stroke} width={width} height={HEIGHT} />}
    </div>
  );
}
