import { z } from "zod";
import { decimalParam, timeSchema } from "./common";

export const NODE_KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** One item of POST /api/v1/heartbeats. */
export const heartbeatInputSchema = z.strictObject({
  // node keys are case-insensitive: `Auth-1` and `auth-1` are one node, stored as `auth-1`
  node: z
    .string()
    .regex(NODE_KEY, "node: 1-128 characters of letters, digits, . _ : -")
    .transform((key) => key.toLowerCase()),
  ok: z.boolean(),
  latency_ms: z.number().nonnegative().max(600_000).optional(),
  time: timeSchema.optional(),
  message: z.string().max(1024).optional(),
});
export type HeartbeatInput = z.input<typeof heartbeatInputSchema>;
export type NormalizedHeartbeat = z.output<typeof heartbeatInputSchema>;

export const NODE_STATUSES = ["unknown", "up", "degraded", "down"] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export interface Check {
  time: number;
  ok: boolean;
  latency_ms: number | null;
}

export interface NodeView {
  id: number;
  key: string;
  name: string;
  kind: string;
  parent_id: number | null;
  critical: boolean;
  status: NodeStatus;
  last_latency_ms: number | null;
  last_check_at: number | null;
  /** oldest first, at most RECENT_CHECKS */
  checks: Check[];
}

export const RECENT_CHECKS = 30;

export interface NetworkSnapshot {
  epoch: string;
  seq: number;
  nodes: NodeView[];
}

/** GET /api/v1/nodes: a page of nodes in id order; follow `next_after` for the next page. */
export const nodeQuerySchema = z.strictObject({
  limit: decimalParam(1, 1000).default(200),
  after: z.string().regex(/^[1-9][0-9]{0,15}$/, "after: a node id (decimal)").transform(Number).optional(),
});
export type NodeQuery = z.infer<typeof nodeQuerySchema>;

export interface NodesPage extends NetworkSnapshot {
  /** every node, not just this page */
  total: number;
  /** pass as `after` for the next page; null on the last one */
  next_after: number | null;
}
