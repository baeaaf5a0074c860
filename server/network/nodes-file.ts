// Applies the nodes file (VIGIL_CONFIG) to the running set: at start and on every change. A file
// that does not parse, or names a parent or token it cannot have, changes nothing: the running
// set is kept and the problems (file:line:col and reason) are logged and shown by
// GET /api/v1/network/config. A valid file is applied node by node: nodes it no longer defines
// are removed (with their history); nodes it takes over from the API or from heartbeats become
// config nodes; unchanged nodes are left running untouched. A large file is parsed on a worker
// thread and applied in slices, so a reload never holds the event loop for long.
import { performance } from "node:perf_hooks";
import { formatProblem, readConfigFile, watchConfigFile, type ConfigNode, type ConfigParse, type ConfigProblem, type ConfigWatch } from "./config";
import { parseConfigOffThread } from "./config-parse";
import type { NodeSpec } from "./definition";
import { checkValues, definitionOf, nodeValues } from "./model";
import type { NodeChangeActor, NodeManager } from "./manage";
import type { CheckRow, NetworkStore, NodeRow } from "./store";

export interface NodesFileStatus {
  /** the file Vigil reads (absolute), or null when none is configured */
  file: string | null;
  /** when the file was last applied */
  applied_at: number | null;
  /** nodes the file defines (as last applied) */
  nodes: number;
  /** why the last read was not applied (empty when it was) */
  problems: ConfigProblem[];
  /** what the last applied read changed */
  changes: { created: number; updated: number; removed: number; unchanged: number } | null;
}

export interface NodesFileOptions {
  watch?: ConfigWatch | false;
  log?: (level: "info" | "warn" | "error", message: string, detail?: Record<string, unknown>) => void;
  now?: () => number;
  /** parses the file's text (default: parseConfigOffThread, on a worker thread for a large file) */
  parse?: (text: string, file: string, known: readonly string[]) => Promise<ConfigParse>;
}

/** Longest stretch an apply holds the event loop before yielding, ms. */
const SLICE_MS = 20;

export class NodesFile {
  private lines = new Map<string, number>();
  private state: NodesFileStatus;
  private stopWatch: (() => void) | null = null;
  private applied = false;
  private running: Promise<NodesFileStatus> | null = null;
  private again = false;

  constructor(
    readonly file: string | null,
    private readonly manager: NodeManager,
    private readonly store: NetworkStore,
    private readonly who: NodeChangeActor,
    private readonly options: NodesFileOptions = {},
  ) {
    this.state = { file, applied_at: null, nodes: 0, problems: [], changes: null };
  }

  status(): NodesFileStatus {
    return this.state;
  }

  /** Where the file defines a node (for the API's 409). */
  locate(key: string): { file: string; line: number | null } | null {
    return this.file ? { file: this.file, line: this.lines.get(key) ?? null } : null;
  }

  /**
   * Reads and applies the file now (the watcher calls this; so do tests). A reload asked for while
   * one runs is done once more after it, so the last change is always the one applied.
   */
  async reload(): Promise<NodesFileStatus> {
    if (this.running) {
      this.again = true;
      return this.running.then(() => this.reload());
    }
    this.running = this.readAndApply();
    try {
      return await this.running;
    } finally {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.reload();
      }
    }
  }

  private async readAndApply(): Promise<NodesFileStatus> {
    if (!this.file) return this.state;
    const read = readConfigFile(this.file);
    if (read.kind === "error") return this.refuse([{ file: this.file, line: 0, col: 0, message: read.message }]);
    if (read.kind === "absent") {
      const kept = this.store.allNodes().filter((n) => n.source === "config").length;
      // a file gone missing (an editor's rename, a mount not ready) removes nothing
      if (kept > 0 || this.applied) return this.refuse([{ file: this.file, line: 0, col: 0, message: `the file is missing; the ${kept} node(s) it defined keep running (write \`nodes: []\` to remove them)` }]);
      this.applied = true;
      this.state = { ...this.state, applied_at: this.now(), nodes: 0, problems: [], changes: { created: 0, updated: 0, removed: 0, unchanged: 0 } };
      return this.state;
    }
    const outside = this.store
      .allNodes()
      .filter((n) => n.source !== "config")
      .map((n) => n.key);
    // the YAML parse and schema check of a large file take most of a second: off the event loop
    let parsed: ConfigParse;
    try {
      parsed = await (this.options.parse ?? parseConfigOffThread)(read.text, this.file, outside);
    } catch (error) {
      return this.refuse([{ file: this.file, line: 0, col: 0, message: (error as Error).message }]);
    }
    if (!parsed.ok) return this.refuse(parsed.problems);
    // each step below is tens of milliseconds at a thousand nodes: the loop gets a turn between them
    await nextTurn();
    // the rows as they are now: the loop served other requests while the file was parsed
    const rows = this.store.allNodes();
    const missingToken = this.tokenProblems(parsed.nodes, rows);
    if (missingToken.length) return this.refuse(missingToken);
    await nextTurn();
    return this.apply(parsed.nodes, rows);
  }

  async start(): Promise<void> {
    if (this.file && this.options.watch !== false) {
      this.stopWatch = (this.options.watch ?? watchConfigFile())(this.file, () =>
        this.reload().catch((error: unknown) => this.options.log?.("error", `applying ${this.file} failed: ${(error as Error).message}`)),
      );
    }
    await this.reload();
  }

  stop(): void {
    this.stopWatch?.();
    this.stopWatch = null;
  }

  private refuse(problems: ConfigProblem[]): NodesFileStatus {
    this.state = { ...this.state, problems };
    for (const p of problems) this.options.log?.("error", `config not applied, the running nodes are kept: ${formatProblem(p)}`, { config: p });
    return this.state;
  }

  /** A push check needs its token in the file unless Vigil already holds one for it (an exported file). */
  private tokenProblems(nodes: readonly ConfigNode[], rows: readonly NodeRow[]): ConfigProblem[] {
    const idOf = new Map(rows.map((r) => [r.key, r.id]));
    const held = new Set(this.store.pushChecks().map((c) => `${c.nodeId}/${c.name}`));
    const out: ConfigProblem[] = [];
    for (const { spec, line } of nodes) {
      for (const c of spec.checks) {
        if (c.spec.type === "push" && !c.token && !held.has(`${idOf.get(spec.key)}/${c.name}`)) {
          out.push({ file: this.file!, line, col: 1, message: `node ${spec.key}: push check ${c.name} needs a token (16-128 letters, digits, _ or -; e.g. \`openssl rand -base64 32 | tr '+/' '-_' | tr -d =\`)` });
        }
      }
    }
    return out;
  }

  /** Applies a valid file node by node, giving the event loop back every SLICE_MS (a file of 1,000 new nodes takes seconds). */
  private async apply(nodes: readonly ConfigNode[], rows: readonly NodeRow[]): Promise<NodesFileStatus> {
    const changes = { created: 0, updated: 0, removed: 0, unchanged: 0 };
    const problems: ConfigProblem[] = [];
    const wanted = new Set(nodes.map((n) => n.spec.key));
    let slice = performance.now();
    const breathe = async () => {
      if (performance.now() - slice < SLICE_MS) return;
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    };
    for (const { spec, line } of parentsFirst(nodes)) {
      await breathe();
      const existing = this.store.byKey(spec.key);
      if (existing?.source === "config" && this.unchanged(existing, spec)) {
        changes.unchanged++;
        continue;
      }
      const action = !existing ? "node_created" : existing.source === "config" ? "node_updated" : "node_taken_over";
      const r = this.manager.write(spec, existing, this.who, action, "config");
      if (!r.ok) problems.push({ file: this.file!, line, col: 1, message: `node ${spec.key}: ${r.message}` });
      else if (existing) changes.updated++;
      else changes.created++;
    }
    for (const row of rows) {
      if (row.source !== "config" || wanted.has(row.key)) continue;
      await breathe();
      const current = this.store.byId(row.id);
      if (current?.source === "config") {
        this.manager.removeRow(current, this.who, "node_deleted", "removed from the config file");
        changes.removed++;
      }
    }
    this.applied = true;
    this.lines = new Map(nodes.map((n) => [n.spec.key, n.line]));
    this.state = { file: this.file, applied_at: this.now(), nodes: nodes.length, problems, changes };
    this.options.log?.(problems.length ? "warn" : "info", `applied ${this.file}: ${changes.created} created, ${changes.updated} updated, ${changes.removed} removed, ${changes.unchanged} unchanged`, { config: changes });
    for (const p of problems) this.options.log?.("error", formatProblem(p));
    return this.state;
  }

  /** Whether a config node's stored definition is already what the file says. */
  private unchanged(row: NodeRow, spec: NodeSpec): boolean {
    const checks = this.store.checksOf(row.id);
    const parentKey = row.parentId === null ? null : (this.store.byId(row.parentId)?.key ?? null);
    if (parentKey !== spec.parent) return false;
    const stored = new Map(checks.map((c) => [c.name, c.pushTokenHash]));
    const { values } = checkValues(spec.checks, stored, () => "x".repeat(16));
    const pseudoChecks = values.map((v, i) => ({ ...v, id: i, nodeId: row.id, createdAt: 0 }) as CheckRow);
    const pseudoRow = { ...row, ...nodeValues(spec, "config", row.parentId) } as NodeRow;
    if (JSON.stringify(definitionOf(row, parentKey, checks)) !== JSON.stringify(definitionOf(pseudoRow, spec.parent, pseudoChecks))) return false;
    return values.every((v) => v.pushTokenHash === (stored.get(v.name) ?? null) || (v.pushTokenHash === null && !stored.get(v.name)));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The file's nodes with every parent before its children (the file has no loops: parseConfig checked). */
function parentsFirst(nodes: readonly ConfigNode[]): ConfigNode[] {
  const byKey = new Map(nodes.map((n) => [n.spec.key, n]));
  const out: ConfigNode[] = [];
  const done = new Set<string>();
  const visit = (n: ConfigNode, depth: number) => {
    if (done.has(n.spec.key) || depth > 10_000) return;
    const parent = n.spec.parent ? byKey.get(n.spec.parent) : undefined;
    if (parent) visit(parent, depth + 1);
    done.add(n.spec.key);
    out.push(n);
  };
  for (const n of nodes) visit(n, 0);
  return out;
}
