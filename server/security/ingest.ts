import type Database from "better-sqlite3";
import type { SecurityEvent } from "../../lib/contracts/events";
import type { Incident } from "../../lib/contracts/incidents";
import { outsideWindow } from "../../lib/time/instant";
import type { Clock } from "../clock";
import type { Hub } from "../live/hub";
import type { IncidentService } from "../incidents/service";
import type { TimeWindow } from "../ingest/validate";
import type { DetectionEngine } from "./detections/engine";
import { EventWriter } from "./event-writer";
import { prepareTallies, type Tally } from "./tallies";
import type { TallySums } from "../../db/queries/tally-sums";
import type { FlowRecord, ParseOutcome, ParsedEvent, StoredEvent } from "./types";
import { RecentKeys } from "./recent-keys";
import { LogOutcomes, type LogIngestResult } from "./result";

const MINUTE = 60_000;
/**
 * A flow record is recognised as re-sent for at least this many newer flows; twice as many at most
 * are held (about 15 MB of heap measured with 131,072 keys).
 */
export const FLOW_KEYS_PER_GENERATION = 65_536;

/** One line's parse, with its 1-based number in the upload (or index + 1 for JSON arrays). */
export interface NumberedOutcome {
  line: number;
  outcome: ParseOutcome;
}

/** What one stored batch produced: the events as shown, and the incidents it opened or grew. */
export interface StoredBatch {
  stored: StoredEvent[];
  /** the line number of each stored event, same order */
  lines: number[];
  /** lines that were already stored (same fingerprint) */
  duplicates: number;
  incidents: Incident[];
}

/**
 * Stores parsed security events and runs the detections over them. A batch is one transaction:
 * events, the per-minute and per-key rollups, and the incidents the detections open or grow commit
 * together, and only then are announced. A line whose fingerprint is already stored is a duplicate
 * and costs nothing else.
 */
export class SecurityStore {
  private readonly writer: EventWriter;
  private readonly addMinute: Database.Statement;
  private readonly tallies: ReturnType<typeof prepareTallies>;
  /** keys of the EVE flow records fed to the detections lately (bounded: FLOW_KEYS_PER_GENERATION) */
  private readonly seenFlows = new RecentKeys(FLOW_KEYS_PER_GENERATION);

  constructor(
    private readonly sqlite: Database.Database,
    private readonly hub: Hub,
    private readonly incidents: IncidentService,
    private readonly engine: DetectionEngine,
    private readonly clock: Clock,
    private readonly window: TimeWindow,
    /** the in-memory per-key sums the pane's top and groupings read, told of every committed batch */
    private readonly sums?: TallySums,
  ) {
    this.writer = new EventWriter(sqlite);
    this.addMinute = sqlite.prepare(
      `INSERT INTO event_minutes (minute, severity, count) VALUES (?, ?, ?)
       ON CONFLICT(minute, severity) DO UPDATE SET count = count + excluded.count`,
    );
    this.tallies = prepareTallies(sqlite);
  }

  /** Why an event's time cannot be stored (older than the retention, too far ahead), or null. */
  timeError(time: number): string | null {
    const error = outsideWindow(time, this.clock.now(), this.window.retentionMs, this.window.skewMs);
    return error ? `time: ${error}` : null;
  }

  /** Parses' outcomes of one upload → stored, skipped, duplicate or rejected, line by line. */
  ingestOutcomes(outcomes: readonly NumberedOutcome[], source: string): LogIngestResult {
    const result = new LogOutcomes();
    const events: ParsedEvent[] = [];
    const lines: number[] = [];
    const flows: FlowRecord[] = [];
    // flows are not stored: a re-sent flow record is found by its key among those seen lately
    const flowKeys = new Set<string>();
    let flowDuplicates = 0;
    // the same line twice in one upload is two events (a log may repeat itself within a second);
    // its k-th copy gets "#k", so re-sending the upload still matches every copy as a duplicate
    const copies = new Map<string, number>();
    for (const { line, outcome } of outcomes) {
      if (outcome.status === "rejected") result.reject(line, outcome.reason);
      else if (outcome.status === "skipped") {
        const flow = outcome.flow;
        if (flow?.key !== undefined && (flowKeys.has(flow.key) || this.seenFlows.has(flow.key))) flowDuplicates++;
        else {
          result.skip(outcome.reason);
          if (flow && !this.timeError(flow.time)) {
            flows.push(flow);
            if (flow.key !== undefined) flowKeys.add(flow.key);
          }
        }
      } else {
        const error = this.timeError(outcome.event.time);
        if (error) result.reject(line, error);
        else {
          const fp = outcome.event.fingerprint;
          if (fp) {
            const k = (copies.get(fp) ?? 0) + 1;
            copies.set(fp, k);
            if (k > 1) outcome.event.fingerprint = `${fp}#${k}`;
          }
          events.push(outcome.event);
          lines.push(line);
        }
      }
    }
    const batch = this.store(events, lines, source, flows);
    // remembered once committed: a batch that rolled back fed nothing
    for (const key of flowKeys) this.seenFlows.add(key);
    result.accepted = batch.stored.length;
    result.duplicates = batch.duplicates + flowDuplicates;
    return result.result();
  }

  /** Stores events (already checked, and taken over: each stored one gets its id set on it), runs detections, commits, then announces. */
  store(events: readonly ParsedEvent[], lines: readonly number[], source: string, flows: readonly FlowRecord[] = []): StoredBatch {
    if (events.length === 0 && flows.length === 0) return { stored: [], lines: [], duplicates: 0, incidents: [] };
    const receivedAt = this.clock.now();
    let tallied: Tally[] = [];
    const write = this.sqlite.transaction((): StoredBatch => {
      const { stored, indexes, duplicates } = this.writer.insert(events, receivedAt, source);
      const storedLines = indexes.map((i) => lines[i]);
      const minutes = new Map<string, number>();
      for (const e of stored) {
        const bucket = `${Math.floor(e.time / MINUTE) * MINUTE}|${e.severity}`;
        minutes.set(bucket, (minutes.get(bucket) ?? 0) + e.occurrences);
      }
      for (const [bucket, count] of minutes) {
        const [minute, severity] = bucket.split("|");
        this.addMinute.run(Number(minute), severity, count);
      }
      tallied = this.tallies(stored);
      const incidents = this.incidents.recordSecurityBatch(this.engine.observe(stored, flows));
      return { stored, lines: storedLines, duplicates, incidents };
    });
    let batch: StoredBatch;
    try {
      batch = write();
    } catch (error) {
      // rolled back: the incidents the service remembers as grown or opened were not
      this.incidents.forgetActive();
      throw error;
    }
    // committed: the cached sums take the batch's tallies (or forget everything if an outer
    // transaction may still roll it back: TallySums.apply)
    this.sums?.apply(tallied);
    if (batch.stored.length) this.hub.publish("security", batch.stored.map((e) => ({ type: "event" as const, event: shown(e, source) })));
    if (batch.incidents.length) this.hub.publish("incidents", batch.incidents.map((incident) => ({ type: "incident" as const, incident })));
    return batch;
  }
}

/** An event as lists and live deltas show it: no raw line, no fingerprint. */
export function shown(e: StoredEvent, source: string): SecurityEvent {
  return {
    id: e.id,
    time: e.time,
    kind: e.kind,
    severity: e.severity,
    source,
    src_ip: e.src_ip,
    dst_ip: e.dst_ip,
    user: e.user,
    signature: e.signature,
    message: e.message,
    attributes: e.attributes,
    service: e.service,
    src_host: e.src_host,
    src_port: e.src_port,
    dst_port: e.dst_port,
    proto: e.proto,
    occurrences: e.occurrences,
  };
}
