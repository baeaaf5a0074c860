import { STATUS_RANK } from "@/lib/contracts/values/network";
import type { NodeTileView, StatusCounts } from "@/lib/contracts/network";
import { emptyCounts, FAILING } from "./grouping";

/**
 * Why a node is a root of the tree although it names a parent: the parent is not among the
 * nodes (deleted, or not loaded in a truncated summary), or the parent chain loops back.
 */
export type RootMark = "orphan" | "cycle";

/** A node in the parent → children tree, with what its subtree holds. */
export interface TopologyNode {
  node: NodeTileView;
  children: TopologyNode[];
  /** counts by status over the node's descendants (not itself) */
  below: StatusCounts;
  /** descendants, all levels */
  size: number;
  /** the worst STATUS_RANK in the subtree, the node included */
  worst: number;
  mark?: RootMark;
}

const byWorstThenName = (a: TopologyNode, b: TopologyNode) =>
  a.worst - b.worst || (a.node.name < b.node.name ? -1 : a.node.name > b.node.name ? 1 : 0) || a.node.id - b.node.id;

/**
 * The dependency forest of `nodes` (parent_id → children): a node without a parent is a root; so
 * is one whose parent is not in `nodes` (mark "orphan"), and one node of each parent loop (mark
 * "cycle", the loop's other nodes under it), so every node appears exactly once and nothing
 * recurses. Siblings and roots are ordered worst subtree first, then by name. Iterative, O(n log n).
 */
export function buildForest(nodes: readonly NodeTileView[]): TopologyNode[] {
  const items = new Map<number, TopologyNode>();
  for (const node of nodes) if (!items.has(node.id)) items.set(node.id, { node, children: [], below: emptyCounts(), size: 0, worst: STATUS_RANK[node.status] });
  const childIds = new Map<number, number[]>();
  const roots: TopologyNode[] = [];
  for (const item of items.values()) {
    const p = item.node.parent_id;
    if (p === null || p === undefined) roots.push(item);
    else if (!items.has(p)) roots.push(Object.assign(item, { mark: "orphan" as const }));
    else {
      const list = childIds.get(p);
      if (list) list.push(item.node.id);
      else childIds.set(p, [item.node.id]);
    }
  }

  // preorder from the roots; the order list is walked backwards for the subtree sums
  const placed = new Set<number>();
  const order: TopologyNode[] = [];
  const descend = (root: TopologyNode) => {
    const stack = [root];
    placed.add(root.node.id);
    while (stack.length) {
      const item = stack.pop()!;
      order.push(item);
      for (const id of childIds.get(item.node.id) ?? []) {
        if (placed.has(id)) continue; // the edge back into a loop
        placed.add(id);
        const child = items.get(id)!;
        item.children.push(child);
        stack.push(child);
      }
    }
  };
  for (const root of roots) descend(root);
  // what is left hangs off a loop: walk up from it until a node repeats (that one is on the loop)
  for (const item of items.values()) {
    if (placed.has(item.node.id)) continue;
    const path = new Set<number>();
    let at = item;
    while (!path.has(at.node.id)) {
      path.add(at.node.id);
      at = items.get(at.node.parent_id!)!;
    }
    at.mark = "cycle";
    roots.push(at);
    descend(at);
  }

  for (let i = order.length - 1; i >= 0; i--) {
    const item = order[i];
    for (const child of item.children) {
      item.size += child.size + 1;
      item.below[child.node.status] += 1;
      for (const s in child.below) item.below[s as keyof StatusCounts] += child.below[s as keyof StatusCounts];
      if (child.worst < item.worst) item.worst = child.worst;
    }
    if (item.children.length > 1) item.children.sort(byWorstThenName);
  }
  return roots.sort(byWorstThenName);
}

/** Whether any descendant of the node is failing (down, unreachable, flapping, degraded). */
export function failingBelow(item: TopologyNode): boolean {
  for (const s of FAILING) if (item.below[s] > 0) return true;
  return false;
}

/** One visible row of the tree. */
export interface TopologyRow {
  item: TopologyNode;
  /** 0 for a root */
  depth: number;
  expanded: boolean;
}

/**
 * The rows to show: a node's children follow it when it is expanded. By default a node is
 * expanded when something below it is failing, so all-up subtrees start collapsed; `toggled`
 * holds the user's own choices by node id. With `match`, only matching nodes and their ancestors
 * are shown, the ancestors expanded so every match is in view.
 */
export function flattenForest(roots: readonly TopologyNode[], toggled: ReadonlyMap<number, boolean>, match?: (n: NodeTileView) => boolean): TopologyRow[] {
  let keep: Set<number> | null = null;
  if (match) {
    keep = new Set();
    // postorder: a node is kept when it matches or keeps a descendant
    const stack: { item: TopologyNode; done: boolean }[] = roots.map((item) => ({ item, done: false })).reverse();
    while (stack.length) {
      const top = stack.pop()!;
      if (!top.done) {
        stack.push({ item: top.item, done: true });
        for (let i = top.item.children.length - 1; i >= 0; i--) stack.push({ item: top.item.children[i], done: false });
      } else if (match(top.item.node) || top.item.children.some((c) => keep!.has(c.node.id))) keep.add(top.item.node.id);
    }
  }
  const rows: TopologyRow[] = [];
  const stack: { item: TopologyNode; depth: number }[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ item: roots[i], depth: 0 });
  while (stack.length) {
    const { item, depth } = stack.pop()!;
    if (keep && !keep.has(item.node.id)) continue;
    const hasChildren = item.children.length > 0;
    const shownChildren = keep ? item.children.some((c) => keep!.has(c.node.id)) : hasChildren;
    const expanded = hasChildren && (toggled.get(item.node.id) ?? (keep ? shownChildren : failingBelow(item)));
    rows.push({ item, depth, expanded });
    if (expanded) for (let i = item.children.length - 1; i >= 0; i--) stack.push({ item: item.children[i], depth: depth + 1 });
  }
  return rows;
}
