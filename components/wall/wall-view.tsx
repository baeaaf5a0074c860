"use client";

import { LiveSync } from "@/components/live/live-sync";
import { PaneBoundary } from "@/components/ui/pane-boundary";
import { NowProvider } from "@/components/ui/time";
import { ConnectionLostBanner, LastHeard } from "./wall-connection";
import { WallEventsPerMinute } from "./wall-events";
import { WallIncidentCounts, WallWorstIncidents } from "./wall-incidents";
import { WallNodeCounts, WallSites, WallTroubledNodes } from "./wall-network";

/**
 * The wall screen (`/?tv=1`): read-only, large type, dark, meant to run for days. It reads the
 * same live caches as the console (kept current by LiveSync) and holds nothing of its own that
 * grows: each panel derives a bounded view from a bounded cache; the one clock is cleared on unmount.
 * The clock ticks every second for the panels that read it (useNow); the others do not re-render with it.
 */
export function WallView() {
  return (
    <NowProvider intervalMs={1_000}>
      <WallScreen />
    </NowProvider>
  );
}

function WallScreen() {
  return (
    <main className="flex min-h-screen flex-col gap-5 bg-slate-950 p-3 text-slate-100 sm:p-6">
      <LiveSync />
      <header className="flex flex-wrap items-center gap-x-8 gap-y-2">
        <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">
          Vigil <span className="font-normal text-slate-400">wall</span>
        </h1>
        <div className="ml-auto">
          <LastHeard />
        </div>
      </header>
      <ConnectionLostBanner />
      <PaneBoundary name="network">
        <WallNodeCounts />
      </PaneBoundary>
      <PaneBoundary name="network">
        <WallSites />
      </PaneBoundary>
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-[2fr_1fr]">
        <PaneBoundary name="incidents">
          <WallIncidentCounts />
        </PaneBoundary>
        <PaneBoundary name="security">
          <WallEventsPerMinute />
        </PaneBoundary>
      </div>
      <div className="grid min-h-0 flex-1 grid-cols-1 gap-5 xl:grid-cols-2">
        <PaneBoundary name="network">
          <WallTroubledNodes />
        </PaneBoundary>
        <PaneBoundary name="incidents">
          <WallWorstIncidents />
        </PaneBoundary>
      </div>
    </main>
  );
}
