// The nodes the network service manages, by id and key, with their children, and how the status
// machine and the incident rules see any node: managed ones from memory, others (heartbeat nodes,
// judged by the ingest) from their rows.
import { storedStatus } from "../../db/queries/network";
import type { NodeStatus } from "../../lib/contracts/network";
import type { LiveNode } from "./model";
import type { OutageContext, OutageNode } from "./outages";
import type { ParentStatus } from "./status";
import type { NetworkStore } from "./store";

export class LiveNodes {
  private readonly byId = new Map<number, LiveNode>();
  private readonly byKey = new Map<string, LiveNode>();
  private readonly children = new Map<number, Set<number>>();

  /** heartbeat nodes as the ingest judges them (set by it); their rows otherwise */
  private external: ((id: number) => ParentStatus | undefined) | null = null;

  constructor(private readonly store: NetworkStore) {}

  readExternal(read: (id: number) => ParentStatus | undefined): void {
    this.external = read;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): LiveNode | undefined {
    return this.byId.get(id);
  }

  key(key: string): LiveNode | undefined {
    return this.byKey.get(key.toLowerCase());
  }

  values(): IterableIterator<LiveNode> {
    return this.byId.values();
  }

  set(node: LiveNode): void {
    this.byId.set(node.id, node);
    this.byKey.set(node.key, node);
    this.reindex();
  }

  /** Forgets a node; answers its managed children, who no longer have a parent. */
  /**
   * Forgets a node and answers its managed children, whose parent it was (they have none now). The
   * node need not be a managed one: a deleted heartbeat node orphans the managed nodes under it too.
   */
  delete(id: number): LiveNode[] {
    const node = this.byId.get(id);
    if (node) {
      this.byId.delete(id);
      this.byKey.delete(node.key);
    }
    const orphans = this.childrenOf(id).map((c) => this.byId.get(c)).filter((c): c is LiveNode => c !== undefined);
    for (const child of orphans) child.parentId = null;
    this.reindex();
    return orphans;
  }

  /** The managed children of a node (managed or not). */
  childrenOf(id: number): number[] {
    return [...(this.children.get(id) ?? [])];
  }

  private reindex(): void {
    this.children.clear();
    for (const n of this.byId.values()) {
      if (n.parentId === null) continue;
      (this.children.get(n.parentId) ?? this.children.set(n.parentId, new Set()).get(n.parentId)!).add(n.id);
    }
  }

  /** What a node shows: pending while paused. */
  statusOf(node: LiveNode): NodeStatus {
    return node.paused ? "pending" : node.state.status;
  }

  /** The parent as the status machine reads it (none while paused). */
  parentStatus(node: LiveNode): ParentStatus | null {
    if (node.parentId === null) return null;
    const live = this.byId.get(node.parentId);
    if (live) return live.paused ? null : { status: live.state.status, base: live.state.base, since: live.state.since, base_since: live.state.base_since };
    const external = this.external?.(node.parentId);
    if (external) return external;
    const row = this.store.statusOf(node.parentId);
    return row ? { status: storedStatus(row.status), since: row.status_since } : null;
  }

  view(n: LiveNode): OutageNode {
    return { id: n.id, key: n.key, name: n.name, critical: n.critical, tags: n.tags, status: this.statusOf(n), parentId: n.parentId, paused: n.paused, state: n.paused ? null : n.state, failures: 0 };
  }

  /** What the incident rules may look at. */
  context(): OutageContext {
    return {
      get: (id) => {
        const live = this.byId.get(id);
        if (live) return this.view(live);
        const row = this.store.statusOf(id);
        if (!row) return undefined;
        return { id: row.id, key: row.key, name: row.name, critical: !!row.critical, tags: JSON.parse(row.tags || "{}"), status: storedStatus(row.status), parentId: row.parent_id, paused: !!row.paused, state: null, failures: row.consecutive_failures };
      },
      managed: () => [...this.byId.values()].map((n) => this.view(n)),
    };
  }
}
