import { countsOfGroups } from "../contracts/values/incidents";
import type { IncidentGroup, IncidentsSnapshot, Incident } from "../contracts/incidents";
import type { IncidentDelta } from "../contracts/live";
import { severityRank, type Severity } from "../contracts/values/common";
import { compareText } from "@/lib/text-order";

/**
 * The active incidents as the browser holds them: the snapshot's page plus the incidents deltas
 * told of since (`incidents`, each counted in `groups` in the state it has here), and rows of
 * older pages loaded on demand whose state the counts may not know (`older`). Together they are
 * at most `held_limit` rows (HELD_LIMIT unless pages loaded on demand raised it), the most
 * recently active; the counts cover every active incident, held or not. In the live list `max_id`
 * is the highest id counted so far: the snapshot's, then raised by each new incident a delta
 * counts, so a row dropped from what is held is never counted as new again. `unsure` says a delta
 * could not be counted exactly: the counts are to be fetched again.
 */
export type LiveIncidents = IncidentsSnapshot & { older?: Incident[]; unsure?: true; held_limit?: number; pinned?: GroupRef[] };

/**
 * A group by rule, as a person opens it in the list (`pinned`): while it is open its held rows are
 * the last to go when the held limit drops rows, so newer incidents of other groups (a storm, a
 * stream of repeat hits) do not take away the rows a person is looking at. Rows of open groups
 * are kept up to the limit; the rest of the limit holds the most recently active of the others.
 */
export type GroupRef = Pick<IncidentGroup, "pane" | "rule">;

/** Opens (`open`) or closes a group: its rows are kept first while it is open (see `GroupRef`). */
export function pinGroup(data: LiveIncidents, group: GroupRef, open: boolean): LiveIncidents {
  const others = (data.pinned ?? []).filter((g) => groupKey(g) !== groupKey(group));
  return { ...data, pinned: open ? [...others, { pane: group.pane, rule: group.rule }] : others };
}

/** Whether the group is open in the list. */
export function isPinned(data: LiveIncidents | undefined, group: GroupRef): boolean {
  return !!data?.pinned?.some((g) => groupKey(g) === groupKey(group));
}

/**
 * Rows the live list holds at most (more than the flood threshold of 50 and the first page of 60):
 * past it the least recently active are dropped, so a wall screen that runs for days holds a
 * bounded list however many incidents open and stay open.
 */
export const HELD_LIMIT = 300;
/** What pages loaded on demand may raise the limit to. */
export const HELD_MAX = 1_000;

/** Order of a short list: open before acknowledged, then most severe, then most recent. */
export function compareIncidents(a: Incident, b: Incident): number {
  const status = (a.status === "open" ? 0 : 1) - (b.status === "open" ? 0 : 1);
  if (status) return status;
  const severity = (severityRank[a.severity as Severity] ?? 9) - (severityRank[b.severity as Severity] ?? 9);
  return severity || b.last_seen - a.last_seen;
}

/** The server's list order: most recently active first, ties by id. */
export function byRecency(a: Incident, b: Incident): number {
  return b.last_seen - a.last_seen || b.id - a.id;
}

const groupKey = (i: { pane: string; rule: string }) => `${i.pane}\u0000${i.rule}`;

/** Counts of the groups, editable: copies a group before its first change. */
class GroupTally {
  private readonly byKey: Map<string, IncidentGroup>;
  private readonly copied = new Set<string>();
  constructor(groups: readonly IncidentGroup[]) {
    this.byKey = new Map(groups.map((g) => [groupKey(g), g]));
  }
  get(i: Incident): IncidentGroup | undefined {
    return this.byKey.get(groupKey(i));
  }
  /** adds (+1) or removes (-1) an active incident in its state */
  add(i: Incident, sign: 1 | -1) {
    if (i.status === "resolved") return;
    const key = groupKey(i);
    let g = this.byKey.get(key);
    if (!g) g = { rule: i.rule, pane: i.pane, open: 0, acknowledged: 0, open_severity: {}, acknowledged_severity: {}, last_seen: 0 };
    if (!this.copied.has(key)) {
      g = { ...g, open_severity: { ...g.open_severity }, acknowledged_severity: { ...g.acknowledged_severity } };
      this.copied.add(key);
    }
    this.byKey.set(key, g);
    g[i.status] += sign;
    const bySeverity = i.status === "open" ? g.open_severity : g.acknowledged_severity;
    bySeverity[i.severity] = (bySeverity[i.severity] ?? 0) + sign;
    if (!bySeverity[i.severity]) delete bySeverity[i.severity];
    if (sign > 0) g.last_seen = Math.max(g.last_seen, i.last_seen);
  }
  groups(): IncidentGroup[] {
    return [...this.byKey.values()].filter((g) => g.open + g.acknowledged > 0).sort((a, b) => b.last_seen - a.last_seen || compareText(a.rule, b.rule));
  }
}

/**
 * Folds incident deltas into the live list and keeps the true counts with it. A delta for an
 * incident held here moves it from the state it was counted in to its new one. A delta for an
 * incident not held: one with an id past `max_id` is new since the counts were read, so it is
 * counted (and `max_id` rises to it); an older one was counted in a state not held here (it was
 * in the snapshot's counts, or it was held and dropped). If it is still open and untouched
 * (version 1) and its group holds open incidents of its severity only, it is counted already as
 * it is; otherwise the counts cannot be kept exactly and `unsure` asks for a refetch. Then the
 * least recently active rows past the held limit are dropped (their counts stay).
 */
export function applyIncidents(snapshot: LiveIncidents, items: readonly IncidentDelta[]): LiveIncidents {
  const byId = new Map(snapshot.incidents.map((i) => [i.id, i]));
  // when every delta replaces a held incident in place (an acknowledgement, a repeat hit that did
  // not move it), the list keeps its order and is copied, not sorted again
  let inPlace = true;
  let older = snapshot.older;
  const tally = new GroupTally(snapshot.groups);
  let unsure = snapshot.unsure;
  // ids are given out in commit order and every delta follows its commit, so an incident counted
  // as new in an earlier fold has an id at most the raised max_id; within this fold, new ones are
  // held (byId) until the fold ends, whatever their order in the batch
  let maxId = snapshot.max_id;
  for (const { incident } of items) {
    const known = byId.get(incident.id);
    // a delta can overtake a fresher HTTP answer of our own; keep the newer version
    if (known && known.version > incident.version) continue;
    if (!known || known.last_seen !== incident.last_seen || incident.status === "resolved") inPlace = false;
    if (known) tally.add(known, -1);
    else if (incident.id > snapshot.max_id) {
      // new since the counts were read: nothing to take back
      maxId = Math.max(maxId, incident.id);
    } else if (incident.status === "open" && incident.version === 1 && onlyOpenSeverity(tally.get(incident), incident.severity)) {
      tally.add(incident, -1); // counted already, in this very state
    } else {
      // shown, but not counted from: its next delta is as unsure as this one
      unsure = true;
      older = (older ?? []).filter((o) => o.id !== incident.id);
      if (incident.status !== "resolved") older = [...older, incident].sort(byRecency);
      continue;
    }
    if (older?.some((o) => o.id === incident.id)) older = older.filter((o) => o.id !== incident.id);
    tally.add(incident, 1);
    if (incident.status === "resolved") byId.delete(incident.id);
    else byId.set(incident.id, incident);
  }
  const groups = tally.groups();
  const counts = countsOfGroups(groups);
  const held = keepRecent(inPlace ? snapshot.incidents.map((i) => byId.get(i.id) ?? i) : [...byId.values()].sort(byRecency), older, snapshot.held_limit ?? HELD_LIMIT, snapshot.pinned);
  return {
    ...snapshot,
    incidents: held.incidents,
    groups,
    counts,
    total: counts.open + counts.acknowledged,
    max_id: maxId,
    ...(held.older ? { older: held.older } : {}),
    ...(unsure ? { unsure } : {}),
  };
}

/**
 * The `limit` most recently active of two lists kept most recent first (an emptied `older` goes);
 * rows of `pinned` groups are taken first (the most recent of them, up to the limit), the rest of
 * the limit goes to the most recent of the others.
 */
function keepRecent(incidents: Incident[], older: Incident[] | undefined, limit: number, pinned?: readonly GroupRef[]): { incidents: Incident[]; older?: Incident[] } {
  const extra = older?.length ?? 0;
  if (incidents.length + extra <= limit) return { incidents, ...(extra ? { older } : {}) };
  if (pinned?.length) {
    const keys = new Set(pinned.map(groupKey));
    const inPinned = (i: Incident) => keys.has(groupKey(i));
    let pinnedLeft = Math.min(limit, incidents.filter(inPinned).length + (older?.filter(inPinned).length ?? 0));
    let othersLeft = limit - pinnedLeft;
    // most recent first across both lists: each kind takes its most recent rows up to its share
    const kept = new Set<Incident>();
    for (const i of mergeByRecency(incidents, older ?? [])) {
      if (inPinned(i) ? pinnedLeft-- > 0 : othersLeft-- > 0) kept.add(i);
    }
    const keptOlder = older?.filter((i) => kept.has(i)) ?? [];
    return { incidents: incidents.filter((i) => kept.has(i)), ...(keptOlder.length ? { older: keptOlder } : {}) };
  }
  if (!extra) return { incidents: incidents.slice(0, limit) };
  // walk both from their most recent ends: how many of each are among the first `limit`
  let i = 0;
  let j = 0;
  while (i + j < limit) {
    if (j >= extra || (i < incidents.length && byRecency(incidents[i], older![j]) <= 0)) i++;
    else j++;
  }
  return { incidents: incidents.slice(0, i), ...(j ? { older: older!.slice(0, j) } : {}) };
}

/** Two lists kept most recent first, merged (most recent first). */
export function mergeByRecency(a: readonly Incident[], b: readonly Incident[]): Incident[] {
  const out: Incident[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(byRecency(a[i], b[j]) <= 0 ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

function onlyOpenSeverity(group: IncidentGroup | undefined, severity: string): boolean {
  if (!group || !group.open_severity[severity]) return false;
  return Object.keys(group.open_severity).every((s) => s === severity || !group.open_severity[s]);
}

/**
 * Adds a further page (older rows of the active set, e.g. of one group) to the live list. Rows held
 * already are kept as they are (deltas keep them current); rows past the snapshot's `max_id` are
 * left for their own delta, which counts them. Open, untouched rows (version 1) are in the state
 * the counts hold them in, so they join the counted list; others are shown but not counted from.
 * The rows a person asked for stay: the held limit rises to what is held now (up to HELD_MAX), and
 * the least recently active go again only as deltas bring newer ones.
 */
export function mergeIncidentPage(snapshot: LiveIncidents, page: readonly Incident[]): LiveIncidents {
  const held = new Set(snapshot.incidents.map((i) => i.id));
  for (const o of snapshot.older ?? []) held.add(o.id);
  const counted: Incident[] = [];
  const shown: Incident[] = [];
  for (const i of page) {
    if (held.has(i.id) || i.id > snapshot.max_id || i.status === "resolved") continue;
    if (i.status === "open" && i.version === 1) counted.push(i);
    else shown.push(i);
  }
  if (!counted.length && !shown.length) return snapshot;
  const limit = Math.min(HELD_MAX, Math.max(snapshot.held_limit ?? HELD_LIMIT, held.size + counted.length + shown.length));
  const kept = keepRecent(
    counted.length ? [...snapshot.incidents, ...counted].sort(byRecency) : snapshot.incidents,
    shown.length || snapshot.older ? [...(snapshot.older ?? []), ...shown].sort(byRecency) : undefined,
    limit,
    snapshot.pinned,
  );
  const { older: _, ...rest } = snapshot;
  return { ...rest, incidents: kept.incidents, ...(kept.older ? { older: kept.older } : {}), held_limit: limit };
}
