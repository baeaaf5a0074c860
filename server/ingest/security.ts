import type { Writer } from "../../db/statements";
import type Database from "better-sqlite3";
import { eventInputSchema, type SecurityEvent } from "../../lib/contracts/events";
import type { Clock } from "../clock";
import type { Hub } from "../live/hub";
import { mergeDetections, type Detection, type IncidentService } from "../incidents/service";
import { BruteForceDetector } from "../detect/brute-force";
import { DEFAULT_TIME_WINDOW, timeWindowCheck, validateBatch, type IngestResult, type Rejection, type TimeWindow } from "./validate";

export const MINUTE = 60_000;

/**
 * Ingest of security events from every source: validate each item, store the valid ones in one
 * transaction (plus the per-minute rollup), announce them, then run detections.
 */
export class SecurityIngest {
  readonly bruteForce: BruteForceDetector;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly writer: Writer,
    private readonly hub: Hub,
    private readonly incidents: IncidentService,
    private readonly clock: Clock,
    bruteForce = new BruteForceDetector(),
    private readonly window: TimeWindow = DEFAULT_TIME_WINDOW,
  ) {
    this.bruteForce = bruteForce;
  }

  ingest(items: readonly unknown[], source: string, malformed: readonly Rejection[] = []): IngestResult {
    const { valid, rejected } = validateBatch(items, eventInputSchema, malformed, timeWindowCheck(() => this.clock.now(), this.window));
    if (valid.length === 0) return rejected.result(0);
    const receivedAt = this.clock.now();
    // events, rollups and the incidents they open commit together, and only then are announced
    const { stored, changed } = this.sqlite.transaction(() => {
      const stored = this.store(valid.map((v) => v.value), source, receivedAt);
      return { stored, changed: this.detect(stored) };
    })();
    this.hub.publish("security", stored.map((event) => ({ type: "event" as const, event })));
    if (changed.length) this.hub.publish("incidents", changed.map((incident) => ({ type: "incident" as const, incident })));
    return rejected.result(stored.length);
  }

  private store(events: ReturnType<typeof eventInputSchema.parse>[], source: string, receivedAt: number): SecurityEvent[] {
    const w = this.writer;
    return this.sqlite.transaction(() => {
      const minutes = new Map<string, number>();
      const stored = events.map((e): SecurityEvent => {
        const time = e.time ?? receivedAt;
        const attributes = e.attributes ?? null;
        const info = w.insertEvent.run(
          time,
          receivedAt,
          e.kind,
          e.severity,
          source,
          e.src_ip ?? null,
          e.dst_ip ?? null,
          e.user ?? null,
          e.signature ?? null,
          e.message ?? null,
          attributes ? JSON.stringify(attributes) : null,
        );
        const bucket = `${Math.floor(time / MINUTE) * MINUTE}|${e.severity}`;
        minutes.set(bucket, (minutes.get(bucket) ?? 0) + 1);
        return {
          id: Number(info.lastInsertRowid),
          time,
          kind: e.kind,
          severity: e.severity,
          source,
          src_ip: e.src_ip ?? null,
          dst_ip: e.dst_ip ?? null,
          user: e.user ?? null,
          signature: e.signature ?? null,
          message: e.message ?? null,
          attributes,
          service: null,
          src_host: null,
          src_port: null,
          dst_port: null,
          proto: null,
          occurrences: 1,
        };
      });
      for (const [bucket, count] of minutes) {
        const [minute, severity] = bucket.split("|");
        w.addEventMinute.run(Number(minute), severity, count);
      }
      return stored;
    })();
  }

  private detect(events: SecurityEvent[]) {
    const detections: Detection[] = [];
    for (const e of events) {
      if (e.kind !== "auth_failure") continue;
      const d = this.bruteForce.observe(e);
      if (d) detections.push(d);
    }
    return mergeDetections(detections).map((d) => this.incidents.record(d));
  }
}
