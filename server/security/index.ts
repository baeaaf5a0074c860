import type Database from "better-sqlite3";
import { eventInputSchema, type NormalizedEvent } from "../../lib/contracts/events";
import type { Clock } from "../clock";
import type { Hub } from "../live/hub";
import type { IncidentService } from "../incidents/service";
import { validateBatch, type IngestResult, type Rejection, type TimeWindow } from "../ingest/validate";
import { DetectionEngine } from "./detections/engine";
import { defaultRules, type RulesConfig } from "./detections/rules";
import { SecurityStore } from "./ingest";
import type { ParsedEvent } from "./types";

export interface SecurityOptions {
  window: TimeWindow;
  rules?: RulesConfig;
}

/**
 * The security domain: native and JSON ingest, storage with dedup, and the detections. Made from
 * (sqlite, clock, hub, incidents, options); server/core.ts only wires it.
 */
export function createSecurity(sqlite: Database.Database, clock: Clock, hub: Hub, incidents: IncidentService, options: SecurityOptions) {
  const rules = defaultRules(options.rules);
  const engine = new DetectionEngine(rules.events, rules.flows);
  const store = new SecurityStore(sqlite, hub, incidents, engine, clock, options.window);

  /** POST /api/v1/events: Vigil's own JSON items, answered by index. */
  const ingestJson = (items: readonly unknown[], source: string, malformed: readonly Rejection[] = []): IngestResult => {
    const { valid, rejected } = validateBatch(items, eventInputSchema, malformed, (value) => (value.time === undefined ? null : store.timeError(value.time)));
    if (valid.length === 0) return rejected.result(0);
    const now = clock.now();
    const batch = store.store(
      valid.map((v) => fromJson(v.value, now)),
      valid.map((v) => v.index),
      source,
    );
    // a JSON item has no fingerprint, so none is a duplicate
    return rejected.result(batch.stored.length);
  };

  return { store, engine, rules, ingestJson };
}

export type Security = ReturnType<typeof createSecurity>;

function fromJson(e: NormalizedEvent, receivedAt: number): ParsedEvent {
  return {
    time: e.time ?? receivedAt,
    kind: e.kind,
    severity: e.severity,
    service: null,
    src_ip: e.src_ip ?? null,
    src_host: null,
    src_port: null,
    dst_ip: e.dst_ip ?? null,
    dst_port: null,
    proto: null,
    user: e.user ?? null,
    signature: e.signature ?? null,
    message: e.message ?? null,
    attributes: e.attributes ?? null,
    occurrences: 1,
    fingerprint: "",
    raw: "",
  };
}
