// A node as the config file and POST/PATCH /api/v1/nodes define it: identity, place in the tree,
// tags, the settings its heartbeats are judged by, its checks and maintenance windows. Parsed
// once by zod; each check keeps the settings as written (stored and exported as such) next to
// their parsed form (what runs).
import { z } from "zod";
import { NODE_KEY, TAG_NAME } from "../../lib/contracts/network";
import { checkSpecSchema, type CheckSpec } from "./checks/spec";
import { maintenanceWindowSchema, type MaintenanceWindow } from "./maintenance";

export { TAG_NAME };
const MAX_TAGS = 32;
export const MAX_CHECKS = 32;
const MAX_WINDOWS = 32;

const nodeKey = z
  .string()
  .regex(NODE_KEY, "1-128 characters of letters, digits, . _ : -")
  .transform((key) => key.toLowerCase());

export const tagsSchema = z
  .record(z.string().regex(TAG_NAME, "tag names: a lower-case letter, then letters, digits, _ . - (at most 32)"), z.union([z.string().max(128), z.number(), z.boolean()]).transform(String))
  .refine((tags) => Object.keys(tags).length <= MAX_TAGS, `at most ${MAX_TAGS} tags`);

/** One check as defined: its settings as written, parsed, and its place in the node. */
export interface CheckEntry {
  /** the check's id within its node: `id` when given, else its type (`http`, `http-2` for a second one) */
  name: string;
  /** the settings as written, without id, token and enabled (what is stored and exported) */
  input: Record<string, unknown>;
  spec: CheckSpec;
  /** a push check's token when the definition gives one */
  token?: string;
  enabled: boolean;
}

const checkEntrySchema = z.unknown().transform((value, ctx): Omit<CheckEntry, "name"> & { id?: string } => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: "a check is a mapping such as {type: http, url: …}" });
    return z.NEVER;
  }
  const { enabled, ...settings } = value as Record<string, unknown>;
  if (enabled !== undefined && typeof enabled !== "boolean") {
    ctx.addIssue({ code: "custom", path: ["enabled"], message: "enabled: true or false" });
    return z.NEVER;
  }
  const parsed = checkSpecSchema.safeParse(settings);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // an unknown setting keeps its code, so the config file can point at the setting's name
      if (issue.code === "unrecognized_keys") ctx.addIssue({ code: "unrecognized_keys", keys: issue.keys, path: issue.path, message: `unknown setting for a ${String(settings.type)} check: ${issue.keys.join(", ")}` });
      else ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    }
    return z.NEVER;
  }
  const { id, token, ...input } = settings as Record<string, unknown> & { id?: string; token?: string };
  const spec = parsed.data;
  return { id, input, spec, token: spec.type === "push" ? spec.token : undefined, enabled: enabled ?? true };
});

const windowEntrySchema = z.unknown().transform((value, ctx) => {
  const parsed = maintenanceWindowSchema.safeParse(value);
  if (parsed.success) return { input: value, window: parsed.data };
  for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  return z.NEVER;
});

const shared = {
  name: z.string().trim().min(1).max(200),
  kind: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, "a word such as router, gateway, server"),
  critical: z.boolean(),
  parent: nodeKey.nullable(),
  tags: tagsSchema,
  /** heartbeats slower than this make the node degraded (checks have their own, defaulting to this) */
  latency_threshold_ms: z.number().positive().max(600_000).nullable(),
  /** failed heartbeats in a row that take the node down, and good ones that bring it back */
  failures_before_down: z.number().int().min(1).max(100),
  successes_before_up: z.number().int().min(1).max(100),
  checks: z.array(checkEntrySchema).max(MAX_CHECKS),
  maintenance: z.array(windowEntrySchema).max(MAX_WINDOWS),
};

/** A whole node, as the config file and POST /api/v1/nodes write it. */
export const nodeInputSchema = z.strictObject(shared).partial().extend({ id: nodeKey });
export type NodeInput = z.output<typeof nodeInputSchema>;

/**
 * PATCH /api/v1/nodes/:id: the fields to change. `parent` and `latency_threshold_ms` may be null
 * (none); `checks` and `maintenance` replace the lists; `interval` sets every check's interval,
 * `intervals` ({check id: interval}) each named check's own.
 */
export const nodePatchSchema = z
  .strictObject(shared)
  .partial()
  .extend({
    interval: z.union([z.string().max(32), z.number()]).optional(),
    intervals: z
      .record(z.string().max(128), z.union([z.string().max(32), z.number()]))
      .refine((m) => Object.keys(m).length <= MAX_CHECKS, `at most ${MAX_CHECKS} checks`)
      .optional(),
    /** the definition's version the change was made on (GET's `definition.version`): 409 when another change came since */
    version: z.number().int().min(1).optional(),
  })
  .refine((p) => Object.keys(p).some((k) => k !== "version"), "nothing to change")
  .refine((p) => p.interval === undefined || p.intervals === undefined, { message: "give interval (every check's) or intervals (each check's own), not both", path: ["intervals"] });
export type NodePatch = z.output<typeof nodePatchSchema>;

/** A node's full definition, every default applied: what the service registers and stores. */
export interface NodeSpec {
  key: string;
  name: string;
  kind: string;
  critical: boolean;
  parent: string | null;
  tags: Record<string, string>;
  latency_threshold_ms: number | null;
  failures_before_down: number | null;
  successes_before_up: number | null;
  checks: CheckEntry[];
  maintenance: { input: unknown; window: MaintenanceWindow }[];
}

type RawChecks = z.output<typeof shared.checks>;

/** Names each check (its id, else its type, numbered from the second of a type on); a repeated id is an error at its index. */
export function nameChecks(raw: RawChecks): { checks: CheckEntry[]; problems: { index: number; message: string }[] } {
  const problems: { index: number; message: string }[] = [];
  const taken = new Set(raw.filter((c) => c.id !== undefined).map((c) => c.id!.toLowerCase()));
  const seen = new Set<string>();
  const perType = new Map<string, number>();
  const checks = raw.map((c, index): CheckEntry => {
    let name = c.id?.toLowerCase();
    if (name !== undefined) {
      if (seen.has(name)) problems.push({ index, message: `id: another check of this node is already called ${JSON.stringify(name)}` });
    } else {
      const type = c.spec.type;
      let n = perType.get(type) ?? 0;
      do name = ++n === 1 ? type : `${type}-${n}`;
      while (taken.has(name) || seen.has(name));
      perType.set(type, n);
    }
    seen.add(name);
    return { name, input: c.input, spec: c.spec, token: c.token, enabled: c.enabled };
  });
  return { checks, problems };
}

/** A parsed node input with every default applied. */
export function toNodeSpec(input: NodeInput, checks: CheckEntry[]): NodeSpec {
  return {
    key: input.id,
    name: input.name ?? input.id,
    kind: input.kind ?? "server",
    critical: input.critical ?? false,
    parent: input.parent ?? null,
    tags: input.tags ?? {},
    latency_threshold_ms: input.latency_threshold_ms ?? null,
    failures_before_down: input.failures_before_down ?? null,
    successes_before_up: input.successes_before_up ?? null,
    checks,
    maintenance: input.maintenance ?? [],
  };
}

/**
 * Problems of a set of nodes taken together: a key defined twice, a parent that is neither in
 * the set nor `known`, a parent loop, a push token used twice. Each names the node by index.
 */
export function setProblems(specs: readonly NodeSpec[], known: (key: string) => boolean = () => false): { index: number; field: string; message: string }[] {
  const problems: { index: number; field: string; message: string }[] = [];
  const byKey = new Map<string, number>();
  specs.forEach((s, index) => {
    if (byKey.has(s.key)) problems.push({ index, field: "id", message: `node ${s.key} is defined twice (also node ${byKey.get(s.key)! + 1})` });
    else byKey.set(s.key, index);
  });
  specs.forEach((s, index) => {
    if (s.parent === null) return;
    if (s.parent === s.key) problems.push({ index, field: "parent", message: "a node cannot be its own parent" });
    else if (!byKey.has(s.parent) && !known(s.parent)) problems.push({ index, field: "parent", message: `no node ${s.parent}` });
  });
  const loop = parentLoop(new Map(specs.map((s) => [s.key, s.parent])));
  if (loop) problems.push({ index: byKey.get(loop[0])!, field: "parent", message: `parents form a loop: ${loop.join(" → ")}` });
  const tokens = new Map<string, string>();
  specs.forEach((s, index) => {
    for (const c of s.checks) {
      if (!c.token) continue;
      const other = tokens.get(c.token);
      if (other) problems.push({ index, field: "checks", message: `check ${c.name}: its push token is already used by ${other}` });
      else tokens.set(c.token, `${s.key}/${c.name}`);
    }
  });
  return problems;
}

/** A loop in a child → parent map (keys in order, closing on the first), or null. */
export function parentLoop(parents: ReadonlyMap<string, string | null>): string[] | null {
  const done = new Set<string>();
  for (const start of parents.keys()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let at: string | null | undefined = start;
    while (at && !done.has(at)) {
      if (onPath.has(at)) return [...path.slice(path.indexOf(at)), at];
      onPath.add(at);
      path.push(at);
      at = parents.get(at);
    }
    for (const k of path) done.add(k);
  }
  return null;
}
