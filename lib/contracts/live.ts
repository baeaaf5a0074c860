import { z } from "zod";
import type { SecurityEvent } from "./events";
import type { Check, NodeStatus, NodeView } from "./network";
import type { Incident } from "./incidents";
import { STREAMS } from "./values/live";

export { STREAMS };
export const streamSchema = z.enum(STREAMS);
export type Stream = z.infer<typeof streamSchema>;

/** Items carried by each stream. */
export type NetworkDelta =
  /**
   * `since`: when the status changed with this check, since when (a down node: its first failure of
   * the run); `reason`: with a change to a status other than up, why
   */
  | { type: "heartbeat"; node_id: number; status: NodeStatus; check: DeltaCheck; since?: number; reason?: string }
  | { type: "node"; node: NodeView }
  /** the node was deleted (over the API, or removed from the config file) */
  | { type: "node_removed"; node_id: number };
/**
 * A check result as the network stream carries it: a probe's result also names its check, and
 * says why it failed or what it warned, so a node's page shows it as GET /api/v1/nodes/:id would.
 */
export interface DeltaCheck extends Check {
  /** the check that ran (probes); absent for a pushed heartbeat */
  check?: string;
  /** what the pusher said or a probe warned (only when there is something) */
  message?: string;
  /** why it failed (only on failures) */
  error?: string;
}
export type SecurityDelta = { type: "event"; event: SecurityEvent };
export type IncidentDelta = { type: "incident"; incident: Incident };
export interface DeltaByStream {
  network: NetworkDelta;
  security: SecurityDelta;
  incidents: IncidentDelta;
}

export const subscribeSchema = z.strictObject({
  streams: z.array(streamSchema).min(1).max(STREAMS.length),
  /** last sequence number seen per stream; replay starts after it */
  since: z.partialRecord(streamSchema, z.number().int().nonnegative()).optional(),
  /** the server epoch `since` belongs to; another epoch means a restart, so resync */
  epoch: z.string().max(64).optional(),
});
export type SubscribeRequest = z.infer<typeof subscribeSchema>;

export type SubscribeAck =
  | { ok: true; epoch: string; head: Record<Stream, number> }
  | { ok: false; error: string };

/** The wire shape of a batch; the browser checks it with isBatch (values/live.ts), which must agree. */
export const batchSchema = z.object({
  stream: streamSchema,
  seq_from: z.number().int().positive(),
  seq_to: z.number().int().positive(),
  items: z.array(z.unknown()),
});
export type Batch<S extends Stream = Stream> = {
  stream: S;
  seq_from: number;
  seq_to: number;
  items: DeltaByStream[S][];
};

/** The wire shape of a resync order; the browser checks it with isResync (values/live.ts). */
export const resyncSchema = z.object({ stream: streamSchema, reason: z.string() });
export type Resync = z.infer<typeof resyncSchema>;

export interface ServerToClientEvents {
  batch: (batch: Batch) => void;
  resync: (resync: Resync) => void;
}
export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (answer: SubscribeAck) => void) => void;
}

/** Every event a client may send, for handlers and for the access-matrix test. */
export const CLIENT_EVENTS = ["subscribe"] as const satisfies readonly (keyof ClientToServerEvents)[];
