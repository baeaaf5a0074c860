import { randomUUID } from "node:crypto";
import { STREAMS, type Batch, type DeltaByStream, type Stream } from "../../lib/contracts/live";

export type BatchEmitter = (batch: Batch) => void;

interface StreamState {
  /** last sequence number assigned (committed and published) */
  head: number;
  /** last sequence number sent to the room */
  flushed: number;
  pending: unknown[];
  /** ring buffer of recent items, index = seq % capacity */
  ring: unknown[];
}

export type Replay =
  | { kind: "current" }
  | { kind: "replay"; batch: Batch }
  | { kind: "resync"; reason: string };

/**
 * Deltas kept per stream for replay. 5,000, not the 20,000 it was: the ring held 21 MB of the
 * server's heap at 5,000 events/s (a full incident per incidents delta, about 700 bytes each), and
 * at that rate 20,000 security deltas were 4 s of replay against 1 s now, so a reconnect was
 * mostly a resync either way; at ordinary rates 5,000 is minutes to hours. A gap older than the
 * ring is a resync (the client refetches), never a loss.
 */
export const DEFAULT_REPLAY_CAPACITY = 5_000;

export interface HubOptions {
  /** items kept per stream for replay after a reconnect */
  capacity?: number;
  /** largest batch message; bigger flushes are split */
  maxBatch?: number;
}

/**
 * An incident as the live socket carries it (and the replay ring keeps it): without its
 * `details`, which the lists and counts that apply deltas never read and the incident's page
 * fetches (it refetches on any delta naming it). A storm's details list every member, so each
 * node joining a 500-node storm sent the whole list again: 10 MB of JSON to every browser
 * (bench/storm-deltas.ts). Emitters in the process (the notifier, whose webhooks carry the whole
 * incident) get the deltas as published.
 */
export function listedDelta<S extends Stream>(stream: S, item: DeltaByStream[S]): DeltaByStream[S] {
  if (stream !== "incidents") return item;
  const delta = item as DeltaByStream["incidents"];
  return (delta.incident.details === null ? delta : { type: delta.type, incident: { ...delta.incident, details: null } }) as DeltaByStream[S];
}

/** A batch as the live socket sends it (`listedDelta`). */
export function listedBatch(batch: Batch): Batch {
  return batch.stream === "incidents" ? { ...batch, items: batch.items.map((item) => listedDelta(batch.stream, item as DeltaByStream["incidents"])) } : batch;
}

/**
 * The live hub: assigns per-stream sequence numbers to committed deltas, batches them, and keeps
 * a bounded replay buffer. It knows nothing of socket.io: the transport is attached as an emitter.
 * Callers must publish only after their rows are committed ("write first, then announce").
 */
export class Hub {
  readonly epoch = randomUUID();
  private readonly capacity: number;
  private readonly maxBatch: number;
  private readonly streams: Record<Stream, StreamState>;
  private emitters: BatchEmitter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private published = 0;
  private delivered = 0;

  constructor(options: HubOptions = {}) {
    this.capacity = options.capacity ?? DEFAULT_REPLAY_CAPACITY;
    this.maxBatch = options.maxBatch ?? 2_000;
    this.streams = Object.fromEntries(
      STREAMS.map((s) => [s, { head: 0, flushed: 0, pending: [], ring: new Array(this.capacity) }]),
    ) as unknown as Record<Stream, StreamState>;
  }

  onBatch(emitter: BatchEmitter): () => void {
    this.emitters.push(emitter);
    return () => {
      this.emitters = this.emitters.filter((e) => e !== emitter);
    };
  }

  publish<S extends Stream>(stream: S, items: DeltaByStream[S][]): void {
    const state = this.streams[stream];
    for (const item of items) {
      state.head += 1;
      // replays go to sockets only: the ring keeps what they are sent
      state.ring[state.head % this.capacity] = listedDelta(stream, item);
      state.pending.push(item);
    }
    this.published += items.length;
  }

  /** Sends every stream's pending items as batch messages. Called by the timer, or by tests. */
  flush(): void {
    for (const stream of STREAMS) {
      const state = this.streams[stream];
      while (state.pending.length > 0) {
        const items = state.pending.splice(0, this.maxBatch);
        const batch = { stream, seq_from: state.flushed + 1, seq_to: state.flushed + items.length, items } as Batch;
        state.flushed = batch.seq_to;
        this.delivered += items.length;
        for (const emit of this.emitters) emit(batch);
      }
    }
  }

  head(stream: Stream): number {
    return this.streams[stream].head;
  }

  heads(): Record<Stream, number> {
    return Object.fromEntries(STREAMS.map((s) => [s, this.streams[s].head])) as Record<Stream, number>;
  }

  /**
   * What a client that last saw `since` on `stream` in `epoch` needs: nothing, the flushed items
   * after `since`, or a resync order when they are no longer buffered or belong to another epoch.
   * Items still pending reach the client with the next flush to the room it joins.
   */
  replay(stream: Stream, since: number, epoch: string | undefined): Replay {
    const state = this.streams[stream];
    if (epoch !== undefined && epoch !== this.epoch) return { kind: "resync", reason: "server restarted" };
    if (since > state.head) return { kind: "resync", reason: "sequence ahead of server" };
    if (since >= state.flushed) return { kind: "current" };
    const oldest = Math.max(1, state.head - this.capacity + 1);
    if (since + 1 < oldest) return { kind: "resync", reason: "gap older than the replay buffer" };
    const items: unknown[] = [];
    for (let seq = since + 1; seq <= state.flushed; seq++) items.push(state.ring[seq % this.capacity]);
    return { kind: "replay", batch: { stream, seq_from: since + 1, seq_to: state.flushed, items } as Batch };
  }

  start(intervalMs = 100): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush();
  }

  stats() {
    return { epoch: this.epoch, heads: this.heads(), published: this.published, delivered: this.delivered, running: this.timer !== null };
  }
}
