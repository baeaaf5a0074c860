// The network service's picture of a node it manages: its definition parsed (checks, windows,
// policy), and the status machine's state. Built from rows at start and after each definition
// change; the state moves with every result.
import { createHash } from "node:crypto";
import { REDACTED, type NodeSource, type NodeStatus, type ProbeSummary } from "../../lib/contracts/network";
import { checkSpecSchema, type CheckSpec } from "./checks/spec";
import type { CheckEntry, NodeSpec } from "./definition";
import { maintenanceWindowSchema, type MaintenanceWindow } from "./maintenance";
import { DEFAULT_NODE_POLICY, initialNodeState, NODE_STATUSES, type NodePolicy, type NodeState } from "./status";
import type { CheckRow, CheckValues, NodeRow, NodeValues } from "./store";

/** The check id under which a managed node's pushed heartbeats (POST /api/v1/heartbeats) are judged. */
export const HEARTBEAT_CHECK = "heartbeat";

export { PROBE_BASELINE, PROBE_CLEAR_MAX } from "./baseline";

export interface LiveCheck {
  /** the row id (heartbeats.check_id) */
  id: number;
  /** the check's id within its node */
  name: string;
  /** the scheduler's id: `<node key>/<check name>` (its phase in the interval derives from it) */
  schedId: string;
  spec: CheckSpec;
  input: Record<string, unknown>;
  enabled: boolean;
  tokenHash: string | null;
  /** a push check's last push, as stored (kept up to date by the service) */
  lastPushAt: number | null;
}

export interface LiveNode {
  id: number;
  key: string;
  name: string;
  kind: string;
  critical: boolean;
  source: NodeSource;
  paused: boolean;
  parentId: number | null;
  tags: Record<string, string>;
  latencyThresholdMs: number | null;
  failuresBeforeDown: number | null;
  successesBeforeUp: number | null;
  maintenance: { input: unknown; window: MaintenanceWindow }[];
  checks: LiveCheck[];
  state: NodeState;
  policy: NodePolicy;
}

/** A push token as stored (and as the scheduler holds it): SHA-256, base64url. */
export function pushTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** What the status machine applies to this node: its heartbeat settings, and each check's own. */
export function policyOf(node: Pick<LiveNode, "latencyThresholdMs" | "failuresBeforeDown" | "successesBeforeUp" | "checks">): NodePolicy {
  const checks: NodePolicy["checks"] = {};
  for (const c of node.checks) {
    checks[c.name] = {
      failures_before_down: c.spec.failures_before_down,
      successes_before_up: c.spec.successes_before_up,
      latency_threshold_ms: c.spec.latency_threshold_ms ?? node.latencyThresholdMs,
      baseline_window: c.spec.baseline_window ?? null,
      flap: { high: c.spec.flap_high_percent ?? DEFAULT_NODE_POLICY.flap!.high, low: c.spec.flap_low_percent ?? DEFAULT_NODE_POLICY.flap!.low },
    };
  }
  return {
    ...DEFAULT_NODE_POLICY,
    // by the spacing of the results: a pushed heartbeat every 5 minutes is judged as 5-minute points, a probe every 30 s as probes
    baseline: "by_interval",
    failures_before_down: node.failuresBeforeDown ?? DEFAULT_NODE_POLICY.failures_before_down,
    successes_before_up: node.successesBeforeUp ?? DEFAULT_NODE_POLICY.successes_before_up,
    latency_threshold_ms: node.latencyThresholdMs,
    checks,
  };
}

/** The stored state, or a fresh one when there is none or it is not one (a row from before 0008). */
export function readState(value: unknown): NodeState {
  if (value === null || typeof value !== "object") return initialNodeState();
  const s = value as Partial<NodeState>;
  if (typeof s.status !== "string" || typeof s.checks !== "object" || s.checks === null || typeof s.flap !== "object") return initialNodeState();
  return { ...initialNodeState(), ...s, status: (NODE_STATUSES as readonly string[]).includes(s.status) ? (s.status as NodeStatus) : "pending" } as NodeState;
}

interface Settings {
  failures_before_down?: number;
  successes_before_up?: number;
  maintenance?: unknown[];
}

/** A managed node from its row and its checks' rows. A stored setting that no longer parses is skipped and named in `problems`. */
export function liveFromRows(row: NodeRow, checkRows: readonly CheckRow[]): { node: LiveNode; problems: string[] } {
  const problems: string[] = [];
  const settings = (row.settings ?? {}) as Settings;
  const checks: LiveCheck[] = [];
  for (const c of checkRows) {
    const parsed = checkSpecSchema.safeParse(c.spec);
    if (!parsed.success) {
      problems.push(`node ${row.key}: stored check ${c.name} no longer parses (${parsed.error.issues[0]?.message}); it does not run`);
      continue;
    }
    checks.push({ id: c.id, name: c.name, schedId: `${row.key}/${c.name}`, spec: parsed.data, input: c.spec, enabled: c.enabled, tokenHash: c.pushTokenHash, lastPushAt: c.lastPushAt });
  }
  const maintenance: LiveNode["maintenance"] = [];
  for (const input of settings.maintenance ?? []) {
    const parsed = maintenanceWindowSchema.safeParse(input);
    if (parsed.success) maintenance.push({ input, window: parsed.data });
    else problems.push(`node ${row.key}: a stored maintenance window no longer parses; it is ignored`);
  }
  const node: LiveNode = {
    id: row.id,
    key: row.key,
    name: row.name,
    kind: row.kind,
    critical: row.critical,
    source: row.source,
    paused: row.paused,
    parentId: row.parentId,
    tags: row.tags ?? {},
    latencyThresholdMs: row.degradedMs,
    failuresBeforeDown: settings.failures_before_down ?? null,
    successesBeforeUp: settings.successes_before_up ?? null,
    maintenance,
    checks,
    state: readState(row.state),
    policy: DEFAULT_NODE_POLICY,
  };
  node.policy = policyOf(node);
  return { node, problems };
}

/** The row values of a definition. */
export function nodeValues(spec: NodeSpec, source: NodeSource, parentId: number | null): NodeValues {
  const settings: Settings = {};
  if (spec.failures_before_down !== null) settings.failures_before_down = spec.failures_before_down;
  if (spec.successes_before_up !== null) settings.successes_before_up = spec.successes_before_up;
  if (spec.maintenance.length) settings.maintenance = spec.maintenance.map((m) => m.input);
  return {
    key: spec.key,
    name: spec.name,
    kind: spec.kind,
    critical: spec.critical,
    parentId,
    tags: spec.tags,
    degradedMs: spec.latency_threshold_ms,
    settings: settings as Record<string, unknown>,
    source,
  };
}

/** The check rows of a definition; a push check keeps its stored token hash when the definition gives no token. */
export function checkValues(entries: readonly CheckEntry[], stored: ReadonlyMap<string, string | null>, newToken: () => string): { values: CheckValues[]; tokens: Map<string, string> } {
  const tokens = new Map<string, string>();
  const values = entries.map((c): CheckValues => {
    let hash: string | null = null;
    if (c.spec.type === "push") {
      if (c.token) hash = pushTokenHash(c.token);
      else if (stored.get(c.name)) hash = stored.get(c.name)!;
      else {
        const token = newToken();
        tokens.set(c.name, token);
        hash = pushTokenHash(token);
      }
    }
    return { name: c.name, type: c.spec.type, spec: c.input, pushTokenHash: hash, enabled: c.enabled };
  });
  return { values, tokens };
}

/** A node's definition as the nodes file writes it (the export): defaults left out. */
export function definitionOf(row: NodeRow, parentKey: string | null, checkRows: readonly CheckRow[]): Record<string, unknown> {
  const settings = (row.settings ?? {}) as Settings;
  const out: Record<string, unknown> = { id: row.key };
  if (row.name !== row.key) out.name = row.name;
  if (row.kind !== "server") out.kind = row.kind;
  if (row.critical) out.critical = true;
  if (parentKey) out.parent = parentKey;
  if (row.tags && Object.keys(row.tags).length) out.tags = row.tags;
  if (row.degradedMs !== null) out.latency_threshold_ms = row.degradedMs;
  if (settings.failures_before_down !== undefined) out.failures_before_down = settings.failures_before_down;
  if (settings.successes_before_up !== undefined) out.successes_before_up = settings.successes_before_up;
  if (checkRows.length) out.checks = checkRows.map((c) => ({ id: c.name, ...c.spec, ...(c.enabled ? {} : { enabled: false }) }));
  if (settings.maintenance?.length) out.maintenance = settings.maintenance;
  return out;
}

const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):([^/?#@]*)@/i;

/** A URL with the password of its user info (`https://user:secret@host/…`) shown as "[redacted]". */
export function withoutPassword(url: string): string {
  return url.replace(URL_PASSWORD, (_, user: string) => `${user}:${REDACTED}@`);
}

/** A check as the node page shows it: type, target and interval, never headers, bodies, tokens or a URL's password. */
export function probeSummary(c: LiveCheck): ProbeSummary {
  const s = c.spec;
  const target = s.type === "http" ? withoutPassword(s.url) : s.type === "dns" ? `${s.name} ${s.record_type}` : s.type === "push" ? null : `${s.host}${"port" in s ? `:${s.port}` : ""}`;
  return { name: c.name, type: s.type, target, interval_ms: s.interval_ms, enabled: c.enabled };
}
