"use client";

import { useState } from "react";
import { NetworkPane } from "./network/network-pane";
import { SecurityPane } from "./security/security-pane";
import { IncidentList } from "./incidents/incident-list";
import { ConnectionBadge, LiveSync } from "./live/live-sync";
import { UserMenu } from "./ui/user-menu";
import { MeProvider } from "./ui/me-context";
import type { Me } from "@/lib/contracts/access";
import { PaneBoundary } from "./ui/pane-boundary";

const TABS = ["incidents", "network", "security"] as const;
type Tab = (typeof TABS)[number];

/**
 * The console: incidents across the top (a bounded, scrolling list), network and security side by
 * side; on narrow screens tabs, incidents first and filling the screen.
 */
export function Dashboard({ me }: { me: Me }) {
  const [tab, setTab] = useState<Tab>("incidents");
  const shown = (t: Tab) => (tab === t ? "block" : "hidden lg:block");
  return (
    <MeProvider me={me}>
    <div className="mx-auto flex min-h-dvh max-w-[1920px] flex-col gap-3 p-3">
      <LiveSync />
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-lg font-bold tracking-tight text-slate-100">
          Vigil <span className="hidden font-normal text-slate-400 sm:inline">NOC/SOC console</span>
        </h1>
        <ConnectionBadge />
        <div className="ml-auto">
          <UserMenu />
        </div>
      </header>
      <nav className="flex gap-1 lg:hidden" aria-label="panes">
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            onClick={() => setTab(t)}
            aria-current={tab === t ? "page" : undefined}
            className={`flex-1 rounded px-3 py-2 text-sm capitalize ${tab === t ? "bg-slate-700 text-white" : "bg-slate-900 text-slate-400"}`}
          >
            {t}
          </button>
        ))}
      </nav>
      <div className={`${tab === "incidents" ? "flex" : "hidden"} min-h-0 flex-1 flex-col lg:flex lg:flex-none`}>
        <PaneBoundary name="incidents">
          <IncidentList />
        </PaneBoundary>
      </div>
      <div className={`${tab === "incidents" ? "hidden" : "grid"} min-h-0 flex-1 grid-cols-1 gap-3 lg:grid lg:grid-cols-2`}>
        <div className={shown("network")}>
          <PaneBoundary name="network">
            <NetworkPane />
          </PaneBoundary>
        </div>
        <div className={shown("security")}>
          <PaneBoundary name="security">
            <SecurityPane />
          </PaneBoundary>
        </div>
      </div>
    </div>
    </MeProvider>
  );
}
