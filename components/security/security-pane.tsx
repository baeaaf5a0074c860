"use client";

import { useQuery } from "@tanstack/react-query";
import { securityQueries } from "@/lib/queries/live-queries";
import { Pane } from "@/components/ui/pane";
import { useNow } from "@/components/ui/time";
import { EventsPerMinuteChart } from "./events-per-minute-chart";
import { EventList } from "./event-list";

/** Security events: the per-minute chart over the live list. */
export function SecurityPane() {
  const { data, error } = useQuery(securityQueries.snapshot());
  const now = useNow();
  const lastMinute = now === null ? null : (data?.rate.filter((b) => b.minute >= Math.floor(now / 60_000) * 60_000 - 60_000).reduce((n, b) => n + b.count, 0) ?? 0);
  return (
    <Pane
      title="Security events"
      aside={<span className="text-xs tabular-nums text-slate-400">{lastMinute ?? "–"} in the last 2 min</span>}
    >
      {error && <p className="text-sm text-red-400">Could not load events: {error.message}</p>}
      <div className="flex h-full flex-col gap-2">
        {now !== null && <EventsPerMinuteChart rate={data?.rate ?? []} now={now} />}
        <EventList events={data?.events ?? []} />
      </div>
    </Pane>
  );
}
