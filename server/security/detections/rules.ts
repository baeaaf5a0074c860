import { BruteForceDetector, type BruteForceOptions } from "../../detect/brute-force";
import type { SecurityDetection, SecurityRule, StoredEvent } from "../types";
import type { FlowRule } from "./engine";

/** Thresholds of every rule; README "Detections" lists the defaults. */
export interface RulesConfig {
  bruteForce?: BruteForceOptions;
}

/** The rules Vigil runs, with their thresholds. */
export function defaultRules(config: RulesConfig = {}): { events: SecurityRule[]; flows: FlowRule[] } {
  return { events: [new LegacyBruteForce(config.bruteForce)], flows: [] };
}

/** Until the new authentication rules land: the old per-address burst rule behind the new interface. */
class LegacyBruteForce implements SecurityRule {
  readonly name = "brute_force";
  private readonly detector: BruteForceDetector;
  constructor(options?: BruteForceOptions) {
    this.detector = new BruteForceDetector(options);
  }
  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    const out: SecurityDetection[] = [];
    for (const e of batch) {
      if (e.kind !== "auth_failure") continue;
      const d = this.detector.observe(e);
      if (d) out.push({ ...d, firstSeen: d.time, lastSeen: d.time, explanation: d.title, mitre: "T1110.001", evidence: [e.id] });
    }
    return out;
  }
}
