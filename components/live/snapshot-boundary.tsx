"use client";

import { useMemo, type ReactNode } from "react";
import { HydrationBoundary, type DehydratedState } from "@tanstack/react-query";

/**
 * The server's snapshots for the browser's cache, handed over as one JSON string. Passed as
 * objects they went through React's flight encoding value by value (a reviver call for each of
 * some 60,000 values at 1,000 nodes, on the server and again in the browser); as a string they
 * are one value, read with a single native JSON.parse.
 */
export function SnapshotBoundary({ json, children }: { json: string; children: ReactNode }) {
  const state = useMemo(() => JSON.parse(json) as DehydratedState, [json]);
  return <HydrationBoundary state={state}>{children}</HydrationBoundary>;
}
