import { severityRank } from "../../../lib/contracts/common";
import type { FlowRecord, SecurityDetection, SecurityRule, StoredEvent } from "../types";

/** A rule that also reads flow records (scans and sweeps). */
export interface FlowRule {
  observeFlows(flows: readonly FlowRecord[]): SecurityDetection[];
}

const MAX_EVIDENCE = 100;

/**
 * Runs every rule over a stored batch and folds what they report into one detection per
 * (rule, entity): increments summed, the earliest first and latest last time, the worst severity,
 * the newest explanation. The incident service then writes once per key and batch.
 */
export class DetectionEngine {
  constructor(
    private eventRules: readonly SecurityRule[],
    private flowRules: readonly FlowRule[] = [],
  ) {}

  get rules(): readonly SecurityRule[] {
    return this.eventRules;
  }

  /** Runs these rules from the next batch on (a rules file reloaded: see RuleSet.update). */
  replace(rules: readonly SecurityRule[], flowRules: readonly FlowRule[] = []): void {
    this.eventRules = rules;
    this.flowRules = flowRules;
  }

  observe(events: readonly StoredEvent[], flows: readonly FlowRecord[] = []): SecurityDetection[] {
    const out: SecurityDetection[] = [];
    if (events.length) for (const rule of this.eventRules) out.push(...rule.observe(events));
    if (flows.length) for (const rule of this.flowRules) out.push(...rule.observeFlows(flows));
    return foldDetections(out);
  }
}

export function foldDetections(detections: readonly SecurityDetection[]): SecurityDetection[] {
  const byKey = new Map<string, SecurityDetection>();
  for (const d of detections) {
    const key = `${d.rule}:${d.entity}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...d, evidence: d.evidence.slice(0, MAX_EVIDENCE) });
      continue;
    }
    byKey.set(key, {
      ...d,
      severity: severityRank[d.severity] < severityRank[seen.severity] ? d.severity : seen.severity,
      firstSeen: Math.min(seen.firstSeen, d.firstSeen),
      lastSeen: Math.max(seen.lastSeen, d.lastSeen),
      increment: seen.increment + d.increment,
      mitre: d.mitre ?? seen.mitre,
      evidence: [...seen.evidence, ...d.evidence].slice(0, MAX_EVIDENCE),
      ...(seen.notes || d.notes ? { notes: [...(seen.notes ?? []), ...(d.notes ?? [])] } : {}),
    });
  }
  return [...byKey.values()];
}
