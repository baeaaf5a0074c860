"use client";

import { useLastHeard, useLive } from "@/components/live/live-provider";
import { useNow } from "@/components/ui/time";
import { duration } from "./wall-data";

/** "Live · updated 3 s ago" in the header, from the last batch or heartbeat the page received. */
export function LastHeard() {
  const now = useNow();
  const heard = useLastHeard();
  const { state } = useLive();
  const live = state === "live";
  return (
    <p role="status" aria-label="last heard" className="flex items-center gap-3 text-lg text-slate-300 sm:text-2xl">
      <span className={`h-4 w-4 rounded-full ${live ? "bg-emerald-400" : "animate-pulse bg-red-500"}`} aria-hidden />
      <span className={live ? "text-emerald-300" : "text-red-300"}>{live ? "Live" : state === "connecting" ? "Connecting" : "Offline"}</span>{" "}
      <span>
        {now === null || heard === null ? "waiting for the server" : `updated ${duration(Math.max(0, now - heard))} ago`}
      </span>
    </p>
  );
}

/** A red band across the wall while the connection is lost, saying for how long; the socket reconnects by itself. */
export function ConnectionLostBanner() {
  const now = useNow();
  const { state, since } = useLive();
  if (state !== "reconnecting") return null;
  return (
    <div role="alert" className="rounded-xl bg-red-600 px-8 py-5 text-2xl font-bold sm:text-4xl text-white shadow-lg">
      Connection to the server lost{now !== null && since !== null ? ` ${duration(Math.max(0, now - since))} ago` : ""}: reconnecting…
      <span className="mt-1 block text-2xl font-normal text-red-100">The figures below are as last received and may be out of date.</span>
    </div>
  );
}
