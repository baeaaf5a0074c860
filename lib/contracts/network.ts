import { z } from "zod";
import { decimalParam, timeSchema } from "./common";
import { DETAIL_CHECKS, NODE_STATUSES, RECENT_CHECKS, SPARK_POINTS, STATUS_RANK, TAG_NAME, nodeTile, sparkPoint, type NodeStatus } from "./values/network";

export { DETAIL_CHECKS, NODE_STATUSES, RECENT_CHECKS, SPARK_POINTS, STATUS_RANK, TAG_NAME, nodeTile, sparkPoint, type NodeStatus };

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

/** Where a node's definition comes from (see the README, "Nodes and checks"). */
export const NODE_SOURCES = ["config", "api", "heartbeat"] as const;
export type NodeSource = (typeof NODE_SOURCES)[number];

export interface Check {
  time: number;
  ok: boolean;
  latency_ms: number | null;
}

/** What every view of a node shows: identity, place in the tree, and its latest state. */
export interface NodeBase {
  id: number;
  key: string;
  name: string;
  kind: string;
  parent_id: number | null;
  critical: boolean;
  status: NodeStatus;
  last_latency_ms: number | null;
  last_check_at: number | null;
  /** evidence time of the status (a down node's first failed check); null while pending (optional: added by migration 0008) */
  since?: number | null;
  /** why the node is not up, in words (null when up) */
  reason?: string | null;
  /** site, tier, owner, service… */
  tags?: Record<string, string>;
  source?: NodeSource;
  /** paused: no checks run and heartbeats do not change its status */
  paused?: boolean;
}

export interface NodeView extends NodeBase {
  /** oldest first, at most RECENT_CHECKS */
  checks: Check[];
}

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

// --- the network pane's first load: counts and light tiles, worst first ---

/** Tiles the pane loads at first; past it the summary is marked truncated (counts stay true). */
export const SUMMARY_TILES = 2000;
/**
 * Tiles the console's first document carries (the worst first: a 4K wall's screenful); with more
 * nodes the summary there is `partial` and the browser asks for SUMMARY_TILES once hydrated.
 */
export const FIRST_SCREEN_TILES = 200;
/**
 * One node tile: what the grid, the topology rows, the wall and the detail drawer read, nothing
 * more (no source or paused: the node page reads those). Fields at their common value are left
 * out, which is most of a fleet: `parent_id` only when the node has one, `critical` only when
 * true, `since` and `reason` only when the node is not up, `tags` only when it has some. At 1,000
 * nodes the tiles were 258 KB of the console's first document.
 */
export interface NodeTileView {
  id: number;
  key: string;
  name: string;
  kind: string;
  status: NodeStatus;
  last_latency_ms: number | null;
  last_check_at: number | null;
  parent_id?: number | null;
  critical?: boolean;
  /** evidence time of a status other than up (a down node's first failed check) */
  since?: number | null;
  /** why the node is not up, in words */
  reason?: string | null;
  tags?: Record<string, string>;
  /** recent latencies, oldest first, at most SPARK_POINTS; null where the check failed */
  spark: (number | null)[];
}

export type StatusCounts = Record<NodeStatus, number>;

/** GET /api/v1/network/summary: true counts over every node and the worst tiles first. */
export interface NetworkSummary {
  epoch: string;
  seq: number;
  /** every node, by status (not just the tiles sent) */
  counts: StatusCounts;
  /** every node matching the filters */
  total: number;
  /** worst first (STATUS_RANK, name, id); at most `limit` */
  nodes: NodeTileView[];
  /** true when more nodes match than were sent */
  truncated: boolean;
  /** set by the client when a live delta named a node it does not hold: refetch */
  stale?: boolean;
  /** set by the page: the document's first screenful (FIRST_SCREEN_TILES), the rest is fetched once the page runs */
  partial?: boolean;
  /** with `group`: every node counted by the value of that tag (null: nodes without it), at most MAX_GROUPS values, the most troubled first */
  groups?: TagGroupCounts[];
  /** with `group`: more values than MAX_GROUPS exist */
  groups_truncated?: boolean;
}

/** Values of a tag a summary counts at most (a tag unique per node would otherwise make the answer as large as the fleet). */
export const MAX_GROUPS = 2000;

/** Nodes with one value of a tag, by status (statuses with no node left out). */
export interface TagGroupCounts {
  value: string | null;
  counts: Partial<StatusCounts>;
}

export const networkSummaryQuerySchema = z.strictObject({
  limit: decimalParam(1, 10_000).default(SUMMARY_TILES),
  status: z.enum(NODE_STATUSES).optional(),
  /** part of a node's name or key, case-insensitive */
  q: z.string().min(1).max(128).optional(),
  /** a tag name: also count every node by that tag's value (`groups`) */
  group: z.string().regex(TAG_NAME, "group: a tag name (a lower-case letter, then letters, digits, _ . -, at most 32)").optional(),
});
export type NetworkSummaryQuery = z.infer<typeof networkSummaryQuerySchema>;

/** GET /api/v1/nodes/:id: one node with its recent checks (newest last) and their messages. */
export const nodeDetailQuerySchema = z.strictObject({
  checks: decimalParam(1, 500).default(DETAIL_CHECKS),
});
export type NodeDetailQuery = z.infer<typeof nodeDetailQuerySchema>;

export interface DetailCheck extends Check {
  /** what the pusher said, a probe's warning, or else why it failed */
  message: string | null;
  /** why a check failed (probes; added by migration 0008) */
  error?: string | null;
  /** the check that ran, by its id within the node; null for a pushed heartbeat */
  check?: string | null;
}

/** A check a node runs, as the node page shows it (no settings that may hold secrets). */
export interface ProbeSummary {
  name: string;
  type: string;
  /** what it looks at: a URL, host:port, a DNS name */
  target: string | null;
  interval_ms: number | null;
  enabled: boolean;
}

export interface NodeDetail {
  /** the network stream's position the detail was read at (the node page follows the stream from it) */
  epoch?: string;
  seq?: number;
  node: Omit<NodeView, "checks">;
  parent: { id: number; name: string } | null;
  /** oldest first */
  checks: DetailCheck[];
  /** the checks Vigil runs for the node (config and API nodes) */
  probes?: ProbeSummary[];
  /** what the node page's settings form edits (null: not set, the defaults apply) */
  settings?: NodeSettings | null;
  /** the node's checks and maintenance windows as written (secrets redacted), for the node page's editors */
  definition?: NodeDefinitionView | null;
}

/**
 * A node's checks and maintenance windows as the nodes file and PATCH /api/v1/nodes/:id write
 * them. HTTP header values and bodies read "[redacted]": sent back as such in a PATCH, the stored
 * value is kept. `file` (nodes:manage only) names where a config-file node is defined.
 */
export interface NodeDefinitionView {
  checks: CheckDefinition[];
  maintenance: MaintenanceInput[];
  file?: string;
  /** the definition's version: PATCH /api/v1/nodes/:id sends it as `version` so a change made since is not overwritten (409) */
  version?: number;
}
/** One check as written: its id within the node, its type and the settings given (defaults left out). */
export type CheckDefinition = { id: string; type: string; enabled?: boolean } & Record<string, unknown>;
/** A maintenance window as written: once `{start, end, reason?}` or recurring `{days?, start: "HH:MM", duration, tz, reason?}`. */
export type MaintenanceInput = { start: string | number; end?: string | number; days?: string[]; duration?: string | number; tz?: string; reason?: string };
/** What stands for a stored secret (header value, body) in a definition the API answers. */
export const REDACTED = "[redacted]";

/** A node's own settings (its heartbeats are judged by them; checks default to them). */
export interface NodeSettings {
  /** the parent's key */
  parent: string | null;
  latency_threshold_ms: number | null;
  failures_before_down: number | null;
  successes_before_up: number | null;
}

// --- push checks: /api/v1/push/:token ---

/** What a push says, as query parameters (Uptime Kuma's push URL: status, msg, ping). */
export const pushQuerySchema = z
  .strictObject({
    status: z.enum(["up", "down"]).optional(),
    msg: z.string().max(1024).optional(),
    ping: decimalParam(0, 600_000).optional(),
  })
  .transform((q): PushCall => ({ ...(q.status ? { ok: q.status === "up" } : {}), ...(q.msg !== undefined ? { message: q.msg } : {}), ...(q.ping !== undefined ? { latency_ms: q.ping } : {}) }));
/** What a push says, as a JSON body (POST). */
export const pushBodySchema = z.strictObject({
  ok: z.boolean().optional(),
  latency_ms: z.number().nonnegative().max(600_000).optional(),
  message: z.string().max(1024).optional(),
});
export interface PushCall {
  ok?: boolean;
  latency_ms?: number;
  message?: string;
}

