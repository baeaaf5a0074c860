import type { SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { priorityOf, signatureKey, sourceOf, textAttr, intAttr } from "./ids-fields";
import { clip, fmtDuration, mitreFor, plural, quote } from "./ids-format";
import { earliestIds, MAX_EVIDENCE, pushEvidence, TopCounter, type EvidenceList } from "./ids-support";

export const IDS_PRIORITY_RULE = "ids_priority";

export interface IdsPriorityConfig {
  /** alerts of this priority or worse (lower) open an incident at once */
  maxPriority: number;
  /** destinations listed in details */
  topN: number;
}

/** Defaults: priority 1 (Suricata `alert.severity` 1, Snort `[Priority: 1]`) opens at once. */
export const IDS_PRIORITY_DEFAULTS: IdsPriorityConfig = { maxPriority: 1, topN: 10 };

interface Group {
  first: StoredEvent;
  alerts: number;
  firstSeen: number;
  lastSeen: number;
  worst: number;
  targets: TopCounter;
  evidence: EvidenceList;
}

/**
 * A severity-1 IDS alert opens a critical incident at once, keyed by signature and source
 * (`${sid or signature}:${source}`); later alerts of the pair grow it. Keeps no state: each batch
 * reports what it holds, one report per pair.
 */
export class IdsPriorityRule implements SecurityRule {
  readonly name = IDS_PRIORITY_RULE;
  readonly config: IdsPriorityConfig;

  /** it fires at once and keeps no state: nothing to replay */
  get horizonMs(): number {
    return 0;
  }

  constructor(config: Partial<IdsPriorityConfig> = {}) {
    this.config = { ...IDS_PRIORITY_DEFAULTS, ...config };
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    const groups = new Map<string, Group>();
    for (const e of batch) {
      if (e.kind !== "ids_alert") continue;
      const priority = priorityOf(e);
      if (priority === null || priority > this.config.maxPriority) continue;
      const entity = `${signatureKey(e)}:${sourceOf(e) ?? "unknown"}`;
      let g = groups.get(entity);
      if (!g) groups.set(entity, (g = { first: e, alerts: 0, firstSeen: e.time, lastSeen: e.time, worst: priority, targets: new TopCounter(), evidence: [] }));
      if (e.time < g.first.time || (e.time === g.first.time && e.id < g.first.id)) g.first = e;
      g.alerts += e.occurrences;
      g.firstSeen = Math.min(g.firstSeen, e.time);
      g.lastSeen = Math.max(g.lastSeen, e.time);
      g.worst = Math.min(g.worst, priority);
      if (e.dst_ip) g.targets.add(e.dst_ip, e.occurrences);
      pushEvidence(g.evidence, e.time, e.id);
    }
    const out: SecurityDetection[] = [];
    for (const [entity, g] of groups) out.push(this.report(entity, g));
    return out.sort((a, b) => a.firstSeen - b.firstSeen || (a.entity < b.entity ? -1 : 1));
  }

  private report(entity: string, g: Group): SecurityDetection {
    const e = g.first;
    const signature = e.signature ?? `sid ${intAttr(e, "sid") ?? "?"}`;
    const category = textAttr(e, "category");
    const source = sourceOf(e) ?? "an unknown source";
    const targets = g.targets.top(this.config.topN);
    const toWhom = targets.length === 0 ? "" : targets.length === 1 ? ` to ${targets[0].value}` : ` to ${plural(g.targets.distinct, "host")}`;
    return {
      rule: IDS_PRIORITY_RULE,
      entity,
      title: `Priority-${g.worst} IDS alert ${quote(signature, 100)} from ${clip(source, 64)}`,
      severity: "critical",
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
      increment: g.alerts,
      explanation:
        `${plural(g.alerts, `priority-${g.worst} alert`)} ${quote(signature)} from ${clip(source, 64)}${toWhom} ` +
        `in ${fmtDuration(g.lastSeen - g.firstSeen)}; threshold: any alert of priority ${this.config.maxPriority} or worse opens at once`,
      mitre: mitreFor(signature, category),
      evidence: earliestIds([g.evidence], MAX_EVIDENCE),
      details: {
        signature,
        sid: intAttr(e, "sid"),
        gid: intAttr(e, "gid"),
        category,
        priority: g.worst,
        source: sourceOf(e),
        alerts: g.alerts,
        distinctTargets: g.targets.distinct,
        topTargets: targets,
      },
    };
  }
}
