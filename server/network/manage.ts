// file (nodes-file.ts applies it): each change writes the rows, audits, and (re)installs the node
// in the service. Which source wins:
// - the file: a node it defines is its own; the API may pause and resume it but not edit or
//   delete it (409 naming the file and line); a key the file takes over from the API or from
//   heartbeats becomes a config node (its id and history stay);
// - the API edits nodes created over the API and nodes made by heartbeats (which then become
//   API nodes, judged by the status machine with the settings given).
import type Database from "better-sqlite3";
import { toNodeView } from "../../db/queries/network";
import { REDACTED, type CheckDefinition, type MaintenanceInput, type NodeDefinitionView, type NodeSettings, type NodeView } from "../../lib/contracts/network";
import { nameChecks, nodeInputSchema, parentLoop, type NodeInput, type NodePatch, type NodeSpec, toNodeSpec } from "./definition";
import { newPushToken } from "./checks/push";
import { checkValues, definitionOf, liveFromRows, nodeValues, withoutPassword } from "./model";
import type { NetworkService } from "./service";
import type { NetworkStore, NodeRow } from "./store";
import { describeZodError } from "../../lib/contracts/common";

/** Who changes a node and how the change is audited (in the same transaction). */
export interface NodeChangeActor {
  name: string;
  audit: (entry: { action: string; target: string; before: unknown; after: unknown }) => void;
}

export type NodeResult<T> = { ok: true; value: T } | { ok: false; code: "not_found" | "conflict" | "version_conflict" | "invalid" | "forbidden"; message: string };

/** A node as the management routes answer it: its view, its definition (secrets left out) and new push URLs. */
export interface ManagedNodeAnswer {
  node: Omit<NodeView, "checks">;
  definition: Record<string, unknown>;
  /** the definition's version after this change (what a further PATCH sends as `version`) */
  version: number;
  /** push checks whose token was made by this request: the only time it is shown */
  push_tokens: { check: string; token: string; url: string }[];
}

/** Where the config file defines a node, for the 409 that sends an editor there. */
export type ConfigLocator = (key: string) => { file: string; line: number | null } | null;

export class NodeManager {
  constructor(
    private readonly service: NetworkService,
    private readonly store: NetworkStore,
    private readonly sqlite: Database.Database,
    private readonly locate: ConfigLocator,
    private readonly onRemoved: (key: string, id: number) => void = () => {},
    private readonly newToken: () => string = newPushToken,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes every node the file or the API defined into the service (at start). Answers problems with stored settings. */
  loadStored(): string[] {
    const problems: string[] = [];
    for (const { row, checks } of this.store.loadManaged()) {
      const built = liveFromRows(row, checks);
      problems.push(...built.problems);
      this.service.install(built.node);
    }
    return problems;
  }

  /** A node by numeric id or by key. */
  find(ref: string | number): NodeRow | undefined {
    return typeof ref === "number" ? this.store.byId(ref) : this.store.byKey(ref.toLowerCase());
  }

  create(input: NodeInput, who: NodeChangeActor): NodeResult<ManagedNodeAnswer> {
    const named = nameChecks(input.checks ?? []);
    if (named.problems.length) return invalid(`checks.${named.problems[0].index}: ${named.problems[0].message}`);
    const spec = toNodeSpec(input, named.checks);
    const existing = this.store.byKey(spec.key);
    if (existing?.source === "config") return this.configConflict(existing);
    if (existing?.source === "api") return { ok: false, code: "conflict", message: `node ${spec.key} already exists (id ${existing.id}): change it with PATCH /api/v1/nodes/${existing.id}` };
    return this.write(spec, existing, who, "node_created");
  }

  /**
   * Changes some fields of a node's definition. With `version` (the one the caller read), a
   * change made since is not overwritten: 409 naming who made it and when. Without it, the last
   * write wins (scripts).
   */
  update(ref: string | number, patch: NodePatch, who: NodeChangeActor): NodeResult<ManagedNodeAnswer> {
    const row = this.find(ref);
    if (!row) return notFound(ref);
    if (row.source === "config") return this.configConflict(row);
    if (patch.version !== undefined && patch.version !== row.definitionVersion) return staleVersion(row, patch.version);
    const current = this.currentInput(row);
    const next: Record<string, unknown> = { ...current };
    for (const [k, v] of Object.entries(patch)) if (k !== "interval" && k !== "intervals" && k !== "checks" && k !== "maintenance" && k !== "version") next[k] = v;
    // the lists are replaced, and kept in their written form (what is stored and exported)
    if (patch.checks) {
      next.checks = patch.checks.map((c) => ({ ...(c.id ? { id: c.id } : {}), ...c.input, ...(c.token ? { token: c.token } : {}), ...(c.enabled ? {} : { enabled: false }) }));
      // a definition read back from the API has its secrets redacted: sent back so, the stored ones stay
      const kept = keepRedacted(next.checks as Record<string, unknown>[], (current.checks as Record<string, unknown>[] | undefined) ?? []);
      if (typeof kept === "string") return invalid(kept);
    }
    if (patch.maintenance) next.maintenance = patch.maintenance.map((m) => m.input);
    if (patch.interval !== undefined) {
      const list = (next.checks as Record<string, unknown>[] | undefined) ?? [];
      if (list.length === 0) return invalid("interval: this node has no checks to set the interval of");
      next.checks = list.map((c) => ({ ...c, interval: patch.interval }));
    }
    if (patch.intervals !== undefined) {
      const list = (next.checks as Record<string, unknown>[] | undefined) ?? [];
      const ids = new Set(list.map((c) => String(c.id).toLowerCase()));
      const unknown = Object.keys(patch.intervals).find((id) => !ids.has(id.toLowerCase()));
      if (unknown !== undefined) return invalid(`intervals.${unknown}: this node has no check ${JSON.stringify(unknown)}${ids.size ? ` (its checks: ${[...ids].join(", ")})` : ""}`);
      const wanted = new Map(Object.entries(patch.intervals).map(([id, v]) => [id.toLowerCase(), v]));
      next.checks = list.map((c) => (wanted.has(String(c.id).toLowerCase()) ? { ...c, interval: wanted.get(String(c.id).toLowerCase()) } : c));
    }
    const parsed = nodeInputSchema.safeParse(strip(next));
    if (!parsed.success) {
      // an interval given by check id is named so, as it was sent
      const issue = parsed.error.issues[0];
      const list = next.checks as Record<string, unknown>[] | undefined;
      if (patch.intervals && issue?.path[0] === "checks" && issue.path[2] === "interval" && typeof issue.path[1] === "number" && list?.[issue.path[1]]) {
        const id = String(list[issue.path[1]].id);
        const sent = Object.keys(patch.intervals).find((k) => k.toLowerCase() === id.toLowerCase());
        if (sent !== undefined) return invalid(`intervals.${sent}: ${issue.message}`);
      }
      return invalid(describeZodError(parsed.error));
    }
    const named = nameChecks(parsed.data.checks ?? []);
    if (named.problems.length) return invalid(`checks.${named.problems[0].index}: ${named.problems[0].message}`);
    return this.write(toNodeSpec(parsed.data, named.checks), row, who, "node_updated");
  }

  remove(ref: string | number, who: NodeChangeActor): NodeResult<{ id: number; key: string }> {
    const row = this.find(ref);
    if (!row) return notFound(ref);
    if (row.source === "config") return this.configConflict(row);
    return this.removeRow(row, who, "node_deleted", "deleted over the API");
  }

  /** Removes a node and its history; its active node incidents are resolved. Used by the file too. */
  removeRow(row: NodeRow, who: NodeChangeActor, action: string, why: string): NodeResult<{ id: number; key: string }> {
    const before = definitionOf(row, this.parentKey(row.parentId), this.store.checksOf(row.id));
    this.sqlite.transaction(() => {
      this.store.deleteNode(row.id);
      who.audit({ action, target: `node ${row.key}`, before: redact(before), after: null });
    })();
    const note = `${row.name} was ${why} by ${who.name}`;
    this.service.uninstall(row.id, note);
    this.service.resolveOutages(row.key, note);
    this.onRemoved(row.key, row.id);
    return { ok: true, value: { id: row.id, key: row.key } };
  }

  /** Pauses or resumes any node; a heartbeat node becomes an API node first (the service judges paused nodes). */
  setPaused(ref: string | number, paused: boolean, who: NodeChangeActor): NodeResult<ManagedNodeAnswer> {
    let row = this.find(ref);
    if (!row) return notFound(ref);
    if (row.source === "heartbeat") {
      const made = this.write(this.specOf(row), row, who, "node_updated");
      if (!made.ok) return made;
      row = this.store.byId(row.id)!;
    }
    const live = this.service.get(row.id);
    if (!live) return { ok: false, code: "conflict", message: `node ${row.key} is not managed by the network service` };
    if (live.paused !== paused) {
      this.sqlite.transaction(() => {
        this.store.setPaused(row.id, paused);
        who.audit({ action: paused ? "node_paused" : "node_resumed", target: `node ${row.key}`, before: { paused: !paused }, after: { paused } });
      })();
      this.service.setPaused(live, paused);
    }
    return { ok: true, value: this.answer(this.store.byId(row.id)!, []) };
  }

  /**
   * Writes a definition (new node, or one taken over) and installs it. The caller has checked
   * that the source allows it; here the parent must exist and not make a loop.
   */
  write(spec: NodeSpec, existing: NodeRow | undefined, who: NodeChangeActor, action: string, source: "api" | "config" = "api"): NodeResult<ManagedNodeAnswer> {
    let parentId: number | null = null;
    if (spec.parent !== null) {
      const parent = this.store.byKey(spec.parent);
      if (!parent) return invalid(`parent: no node ${spec.parent}`);
      if (parent.key === spec.key) return invalid("parent: a node cannot be its own parent");
      parentId = parent.id;
      // only a node that exists can be its new parent's ancestor: walk up from the parent
      if (existing && existing.parentId !== parentId) {
        for (let at: number | null = parentId, hops = 0; at !== null && hops < 10_000; hops++) {
          if (at === existing.id) return invalid(`parent: ${spec.parent} is ${spec.key}'s own descendant`);
          at = this.store.statusOf(at)?.parent_id ?? null;
        }
      }
    }
    const before = existing ? redact(definitionOf(existing, this.parentKey(existing.parentId), this.store.checksOf(existing.id))) : null;
    const stored = new Map(existing ? this.store.checksOf(existing.id).map((c) => [c.name, c.pushTokenHash]) : []);
    const { values, tokens } = checkValues(spec.checks, stored, this.newToken);
    let row!: NodeRow;
    try {
      this.sqlite.transaction(() => {
        row = this.store.saveDefinition(nodeValues(spec, source, parentId), who.name, this.now());
        const checks = this.store.replaceChecks(row.id, values);
        who.audit({ action, target: `node ${spec.key}`, before, after: redact(definitionOf(row, spec.parent, checks)) });
      })();
    } catch (error) {
      if (/UNIQUE constraint failed: checks\.push_token_hash/.test(String(error))) return { ok: false, code: "conflict", message: "a push token given is already used by another check" };
      throw error;
    }
    this.reinstall(row);
    return { ok: true, value: this.answer(row, [...tokens].map(([check, token]) => ({ check, token, url: `/api/v1/push/${token}` }))) };
  }

  /** (Re)builds the node from its rows and hands it to the service, keeping the state it had. */
  reinstall(row: NodeRow): void {
    const fresh = this.store.byId(row.id)!;
    const built = liveFromRows(fresh, this.store.checksOf(row.id));
    const had = this.service.get(row.id);
    if (had) {
      built.node.state = had.state;
      built.node.paused = had.paused;
    }
    this.service.install(built.node);
  }

  /** A node's current definition as the API writes it (for PATCH, which changes some fields). */
  private currentInput(row: NodeRow): Record<string, unknown> {
    return definitionOf(row, this.parentKey(row.parentId), this.store.checksOf(row.id));
  }

  /** The definition a heartbeat node has (what PATCH or pause starts from). */
  private specOf(row: NodeRow): NodeSpec {
    const parsed = nodeInputSchema.parse(strip(this.currentInput(row)));
    return toNodeSpec(parsed, nameChecks(parsed.checks ?? []).checks);
  }

  private parentKey(id: number | null): string | null {
    return id === null ? null : (this.store.byId(id)?.key ?? null);
  }

  /** The settings the node page's form edits (no check settings: they may hold secrets). */
  settingsOf(id: number): NodeSettings | null {
    const row = this.store.byId(id);
    if (!row) return null;
    const d = definitionOf(row, this.parentKey(row.parentId), []);
    return {
      parent: (d.parent as string | undefined) ?? null,
      latency_threshold_ms: (d.latency_threshold_ms as number | undefined) ?? null,
      failures_before_down: (d.failures_before_down as number | undefined) ?? null,
      successes_before_up: (d.successes_before_up as number | undefined) ?? null,
    };
  }

  /** A node's checks and maintenance windows as written, secrets redacted (the node page's editors); `file` for a config node. */
  definitionView(id: number): NodeDefinitionView | null {
    const row = this.store.byId(id);
    if (!row) return null;
    const d = redact(definitionOf(row, null, this.store.checksOf(row.id)));
    const view: NodeDefinitionView = { checks: (d.checks as CheckDefinition[] | undefined) ?? [], maintenance: (d.maintenance as MaintenanceInput[] | undefined) ?? [], version: row.definitionVersion };
    if (row.source === "config") view.file = this.locate(row.key)?.file ?? "the config file (VIGIL_CONFIG)";
    return view;
  }

  answer(row: NodeRow, tokens: ManagedNodeAnswer["push_tokens"]): ManagedNodeAnswer {
    const { checks: _none, ...node } = toNodeView(row);
    return { node, definition: redact(definitionOf(row, this.parentKey(row.parentId), this.store.checksOf(row.id))), version: row.definitionVersion, push_tokens: tokens };
  }

  private configConflict(row: NodeRow): NodeResult<never> {
    const where = this.locate(row.key);
    const file = where ? (where.line ? `${where.file} line ${where.line}` : where.file) : "the config file (VIGIL_CONFIG)";
    return { ok: false, code: "conflict", message: `node ${row.key} is defined in ${file}: edit it there (the file wins over the API; pause and resume work on any node)` };
  }

  /** Detects a parent loop in the stored tree (a check for tests and the file). */
  static loopIn(rows: readonly NodeRow[]): string[] | null {
    const byId = new Map(rows.map((r) => [r.id, r.key]));
    return parentLoop(new Map(rows.map((r) => [r.key, r.parentId === null ? null : (byId.get(r.parentId) ?? null)])));
  }
}

/** A PATCH made on a version another change has replaced: who made that change, and when. */
function staleVersion(row: NodeRow, sent: number): NodeResult<never> {
  const by = row.definedBy ?? "its first heartbeat";
  const when = row.definedAt === null ? "" : ` at ${new Date(row.definedAt).toISOString()}`;
  return {
    ok: false,
    code: "version_conflict",
    message: `node ${row.key} was changed by ${by}${when} since you read it (it is at version ${row.definitionVersion}, your change was made on version ${sent}): reload it and make your change again`,
  };
}

const notFound = (ref: string | number): NodeResult<never> => ({ ok: false, code: "not_found", message: `node ${ref} not found` });
const invalid = (message: string): NodeResult<never> => ({ ok: false, code: "invalid", message });

/** Drops undefined fields (the written form leaves defaults out). */
function strip(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * Puts back the stored header values and body that a check sent as "[redacted]" (as the API
 * answered them), matching checks by id. A placeholder with nothing stored behind it is a problem.
 */
function keepRedacted(checks: Record<string, unknown>[], stored: readonly Record<string, unknown>[]): string | null {
  const byId = new Map(stored.map((c) => [String(c.id).toLowerCase(), c]));
  for (const [index, c] of checks.entries()) {
    const was = typeof c.id === "string" ? byId.get(c.id.toLowerCase()) : undefined;
    if (c.headers && typeof c.headers === "object" && !Array.isArray(c.headers)) {
      const headers = { ...(c.headers as Record<string, unknown>) };
      const storedHeaders = (was?.headers ?? {}) as Record<string, unknown>;
      for (const [name, value] of Object.entries(headers)) {
        if (value !== REDACTED) continue;
        if (!Object.hasOwn(storedHeaders, name)) return `checks.${index}.headers: ${name} is "${REDACTED}" but no value is stored for it: give the value`;
        headers[name] = storedHeaders[name];
      }
      c.headers = headers;
    }
    if (c.body === REDACTED) {
      if (was?.body === undefined) return `checks.${index}.body: "${REDACTED}" but no body is stored: give the body`;
      c.body = was.body;
    }
    if (typeof c.url === "string" && withoutPassword(c.url) === c.url && c.url.includes(`:${REDACTED}@`)) {
      // the URL as the API answered it: its stored password stays, if the rest is unchanged
      if (typeof was?.url !== "string" || withoutPassword(was.url) !== c.url) return `checks.${index}.url: its password is "${REDACTED}" but no URL with a password like it is stored: give the password`;
      c.url = was.url;
    }
  }
  return null;
}

/** A definition with secrets left out: HTTP headers and bodies may carry credentials. */
export function redact(definition: Record<string, unknown>): Record<string, unknown> {
  const checks = definition.checks as Record<string, unknown>[] | undefined;
  if (!checks) return definition;
  return {
    ...definition,
    checks: checks.map((c) => {
      const out = { ...c };
      if (out.headers && typeof out.headers === "object") out.headers = Object.fromEntries(Object.keys(out.headers).map((k) => [k, REDACTED]));
      if (out.body !== undefined) out.body = REDACTED;
      if (typeof out.url === "string") out.url = withoutPassword(out.url);
      delete out.token;
      return out;
    }),
  };
}
