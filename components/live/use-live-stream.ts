"use client";

import { useEffect, useRef } from "react";
import { hashKey, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { isBatch, isResync } from "@/lib/contracts/values/live";
import type { Batch, DeltaByStream, Stream } from "@/lib/contracts/live";
import { useLive } from "./live-provider";

interface Positioned {
  epoch: string;
  seq: number;
}

/**
 * Keeps one snapshot query current from a live stream. The snapshot carries the sequence number
 * it was taken at; the hook subscribes from there, applies each batch's items past that number
 * (all batches that arrived since the last animation frame, in one cache update), and turns a gap
 * into a re-subscribe (the server replays it) and a resync order into a refetch.
 */
export function useLiveStream<S extends Stream, D extends Positioned>(
  stream: S,
  queryKey: QueryKey,
  apply: (data: D, items: DeltaByStream[S][]) => D,
): void {
  const client = useQueryClient();
  const { socket } = useLive();
  const applyRef = useRef(apply);
  applyRef.current = apply;
  // a query whose key changes (a chart's range) is followed afresh under its new key
  const keyHash = hashKey(queryKey);

  useEffect(() => {
    if (!socket) return;
    let wanted = true;
    const subscribe = () => {
      const data = client.getQueryData<D>(queryKey);
      if (!wanted || !socket.connected || !data || client.isFetching({ queryKey, exact: true }) > 0) return;
      wanted = false;
      socket.emit("subscribe", { streams: [stream], since: { [stream]: data.seq }, epoch: data.epoch }, (ack) => {
        if (!ack.ok) console.error(`[vigil] subscribe to ${stream} refused: ${ack.error}`);
      });
    };
    const resubscribe = () => {
      wanted = true;
      subscribe();
    };
    // Batches wait here and are folded in at most once per animation frame (once a second while
    // the tab is hidden, when frames do not run): a flood costs one cache update per frame.
    let pending: Batch<S>[] = [];
    let scheduled: { cancel(): void } | null = null;
    const flush = () => {
      scheduled = null;
      const batches = pending;
      pending = [];
      let gap = false;
      client.setQueryData<D>(queryKey, (old) => {
        if (!old) return old;
        let data = old;
        const fresh: DeltaByStream[S][] = [];
        let seq = old.seq;
        for (const batch of batches) {
          if (batch.seq_to <= seq) continue;
          if (batch.seq_from > seq + 1) {
            gap = true;
            break;
          }
          for (const item of batch.items.slice(seq + 1 - batch.seq_from)) fresh.push(item as DeltaByStream[S]);
          seq = batch.seq_to;
        }
        if (seq === old.seq) return old;
        data = { ...applyRef.current(old, fresh), seq };
        return data;
      });
      if (gap) resubscribe();
    };
    const schedule = () => {
      if (scheduled) return;
      if (typeof document !== "undefined" && document.hidden) {
        const t = setTimeout(flush, 1000);
        scheduled = { cancel: () => clearTimeout(t) };
      } else {
        const f = requestAnimationFrame(flush);
        scheduled = { cancel: () => cancelAnimationFrame(f) };
      }
    };
    const onBatch = (raw: unknown) => {
      if (!isBatch(raw) || raw.stream !== stream) return;
      pending.push(raw as Batch<S>);
      schedule();
    };
    const onResync = (raw: unknown) => {
      if (!isResync(raw) || raw.stream !== stream) return;
      wanted = true;
      void client.invalidateQueries({ queryKey }).then(subscribe);
    };
    // data arriving (first load or refetch) may be what a pending subscribe waits for
    const unwatch = client.getQueryCache().subscribe((event) => {
      if (wanted && event.type === "updated" && event.query.queryHash === keyHash) subscribe();
    });
    socket.on("connect", resubscribe);
    socket.on("batch", onBatch);
    socket.on("resync", onResync);
    subscribe();
    return () => {
      scheduled?.cancel();
      unwatch();
      socket.off("connect", resubscribe);
      socket.off("batch", onBatch);
      socket.off("resync", onResync);
    };
    // queryKey is followed by its hash: a factory makes a new array each render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [socket, client, stream, keyHash]);
}
