"use client";

import { useEffect, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { LatencyRange } from "@/lib/contracts/figures";
import { applyNodeDetail, applyNodeIncidents, applyNodeLatency, type LiveLatency, type LiveNodeDetail } from "@/lib/live/apply-node";
import { NODE_INCIDENTS, nodePageQueries } from "@/lib/queries/node-queries";
import { useLiveStream } from "@/components/live/use-live-stream";
import type { IncidentsSnapshot } from "@/lib/contracts/incidents";

/**
 * Keeps a node's page current from the network stream: its checks, status and definition as
 * deltas arrive; its uptime and outages are read again when its status or since-when changes.
 * A gap the server cannot replay reloads the page's data (the resync order), nothing polls.
 */
export function useNodeLive(id: number, detail: LiveNodeDetail | undefined): void {
  useLiveStream("network", nodePageQueries.all(id), (data: LiveNodeDetail, items) => applyNodeDetail(id, data, items));
  const client = useQueryClient();
  const status = detail ? `${detail.node.status}@${detail.node.since ?? ""}` : null;
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (status === null) return;
    const before = seen.current;
    seen.current = status;
    if (before === null || before === status) return;
    void client.invalidateQueries({ queryKey: nodePageQueries.uptime(id).queryKey });
    void client.invalidateQueries({ queryKey: [...nodePageQueries.all(id), "outages"] });
  }, [status, client, id]);
}

/** The latency chart of one range gains the node's checks as they arrive. */
export function useNodeLatencyLive(id: number, range: LatencyRange): void {
  useLiveStream("network", nodePageQueries.latency(id, range).queryKey, (data: LiveLatency, items) => applyNodeLatency(id, data, items));
}

/** The node's incidents list follows the incidents stream: one opening, acknowledged or resolved shows at once. */
export function useNodeIncidentsLive(key: string): void {
  useLiveStream("incidents", nodePageQueries.incidents(key).queryKey, (data: IncidentsSnapshot, items) => applyNodeIncidents(key, NODE_INCIDENTS, data, items));
}
