"use client";

import { useEffect } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { isBatch } from "@/lib/contracts/values/live";
import { applyIncidents } from "@/lib/live/apply";
import { incidentQueries } from "@/lib/queries/live-queries";
import { useLive } from "@/components/live/live-provider";
import { useLiveStream } from "@/components/live/use-live-stream";

/**
 * Keeps one incident's page current from the live stream: the page subscribes to the incidents
 * stream (through the active snapshot, as the console does) and refetches the incident when a
 * delta names it, so a change made anywhere shows at once rather than at the next poll.
 */
export function useIncidentWatch(id: number): void {
  const client = useQueryClient();
  const { socket } = useLive();
  useQuery(incidentQueries.active());
  useLiveStream("incidents", incidentQueries.active().queryKey, applyIncidents);
  useEffect(() => {
    if (!socket) return;
    const onBatch = (raw: unknown) => {
      if (!isBatch(raw) || raw.stream !== "incidents") return;
      const named = raw.items.some((item) => (item as { incident?: { id?: number } })?.incident?.id === id);
      if (named) void client.invalidateQueries({ queryKey: ["incidents", "page", id] });
    };
    socket.on("batch", onBatch);
    return () => {
      socket.off("batch", onBatch);
    };
  }, [socket, client, id]);
}
