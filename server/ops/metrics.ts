import fs from "node:fs";
import { performance } from "node:perf_hooks";
import type Database from "better-sqlite3";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { getLogger } from "./logging";
import { rejectionReason } from "./metrics-labels";
import type { RuleState } from "../security/types";

export type IngestEndpoint = "events" | "heartbeats" | "suricata" | "fast" | "syslog" | "transactions";

/** What an ingest answered: the first rejections listed, `rejected_total` counting all of them. */
export interface IngestOutcome {
  accepted: number;
  /** JSON ingest names the item by index with an `error`; log ingest by line with a `reason` */
  rejected: readonly ({ index: number; error: string } | { line: number; reason: string })[];
  rejected_total?: number;
  /** log ingest: lines well-formed but not security-relevant, and lines already stored */
  skipped?: number;
  duplicates?: number;
}

/** Live-connection figures, from the socket layer once it is attached. */
export interface LiveFigures {
  clients: number;
  /** delta items delivered to clients (one per client in the room), replays included */
  sent: number;
  /** delta items replayed to reconnecting clients */
  replayed: number;
  /** resync orders sent to clients whose gap could not be replayed */
  resyncs: number;
}

export interface MetricsSources {
  sqlite: Database.Database;
  /** the database file (":memory:" for none): its WAL file is measured beside it */
  file: string;
  /** Node's own metrics (event-loop lag, heap, GC) under `vigil_`; once per process */
  processMetrics?: boolean;
  /** open incidents are counted this many rows at a time (tests make it small) */
  incidentSlice?: number;
  /** the windowed detections' memory and drops, by rule (server/security/detections/rules.ts) */
  detections?: () => Record<string, RuleState>;
}

/** Labels beyond this many per metric and endpoint collapse into `other`: cardinality stays bounded. */
const MAX_LABEL_VALUES = 24;

const INCIDENT_PANES = ["network", "security"] as const;

/** One slice of unresolved incidents of a pane and status, after a (last_seen, id) position. */
export const OPEN_INCIDENTS_SLICE = `SELECT id, last_seen AS t, severity FROM incidents
  WHERE pane = ? AND status = ? AND (last_seen, id) > (?, ?) ORDER BY last_seen, id LIMIT ?`;
const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;

/**
 * Vigil's Prometheus metrics, on a registry of its own (never prom-client's global one: a second
 * core in the same process, as in tests, gets its own figures). Counters are moved by the core as
 * work happens; gauges that describe stored state are read by a query when scraped.
 */
export function createMetrics(sources: MetricsSources) {
  const { sqlite, file } = sources;
  const registry = new Registry();
  let live: (() => LiveFigures) | undefined;

  const accepted = new Counter({ name: "vigil_ingest_accepted_total", help: "Items stored by ingest, by endpoint and source.", labelNames: ["endpoint", "source"], registers: [registry] });
  const rejected = new Counter({
    name: "vigil_ingest_rejected_total",
    help: "Items refused by ingest, by endpoint and a coarse reason (the field at fault, json, or unlisted for rejections past the answer's list).",
    labelNames: ["endpoint", "reason"],
    registers: [registry],
  });
  const unstored = new Counter({
    name: "vigil_ingest_lines_not_stored_total",
    help: "Log lines read but not stored: skipped (not security-relevant) or duplicate (already stored).",
    labelNames: ["endpoint", "outcome"],
    registers: [registry],
  });
  const failures = new Counter({ name: "vigil_ingest_failures_total", help: "Ingest batches that failed with a server error (nothing stored).", labelNames: ["endpoint"], registers: [registry] });
  const latency = new Histogram({
    name: "vigil_ingest_duration_seconds",
    help: "Time to validate, store and announce one ingest batch.",
    labelNames: ["endpoint"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  const seen = new Map<string, Set<string>>();
  /** `value`, or `other` once a metric has already seen MAX_LABEL_VALUES distinct ones */
  const bounded = (scope: string, value: string) => {
    let values = seen.get(scope);
    if (!values) seen.set(scope, (values = new Set()));
    if (values.has(value)) return value;
    if (values.size >= MAX_LABEL_VALUES) return "other";
    values.add(value);
    return value;
  };

  // state read at scrape time; a failing query leaves its metric empty rather than failing the scrape
  const guarded = (what: string, read: (this: Gauge) => void | Promise<void>) =>
    async function (this: Gauge) {
      try {
        await read.call(this);
      } catch (error) {
        // unknown, not zero: an unlabelled gauge reads NaN, a labelled one has no series
        this.reset();
        if ((this as unknown as { labelNames: string[] }).labelNames.length === 0) this.set(NaN);
        getLogger().debug({ metric: what, err: error }, "metric not collected");
      }
    };

  const liveGauge = (name: string, help: string, pick: (f: LiveFigures) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        if (live) this.set(pick(live()));
      },
    });
  new Gauge({
    name: "vigil_detection_state",
    help: "Windowed security detections: keys, entries and connections held now, and keys evicted, late entries ignored and connections forgotten since start (caps in README \"Authentication\"; counts restart when a rules file change rebuilds the rule).",
    labelNames: ["rule", "what"],
    registers: [registry],
    collect() {
      if (!sources.detections) return;
      this.reset();
      for (const [rule, state] of Object.entries(sources.detections())) for (const [what, n] of Object.entries(state)) this.set({ rule, what }, n);
    },
  });
  liveGauge("vigil_live_clients", "Socket clients connected and admitted.", (f) => f.clients);
  // monotonic figures kept by the socket layer, exposed as counters
  const liveCounter = (name: string, help: string, pick: (f: LiveFigures) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        if (!live) return;
        this.reset();
        this.inc(pick(live()));
      },
    });
  liveCounter("vigil_live_deltas_sent_total", "Delta items delivered to socket clients (once per receiving client), replays included.", (f) => f.sent);
  liveCounter("vigil_live_deltas_replayed_total", "Delta items replayed to reconnecting clients from the replay buffer.", (f) => f.replayed);
  liveCounter("vigil_live_resyncs_total", "Resync orders sent to clients whose gap was no longer buffered.", (f) => f.resyncs);

  // Counted in slices along the (pane, status, last_seen) index, yielding between them: with
  // 100,000 open incidents one COUNT would hold the event loop for about 60 ms, a slice ~15 ms.
  const incidentSlice = lazy(sqlite, OPEN_INCIDENTS_SLICE);
  const sliceRows = sources.incidentSlice ?? 10_000;
  new Gauge({
    name: "vigil_incidents_open",
    help: "Incidents not yet resolved (open or acknowledged), by pane and severity.",
    labelNames: ["pane", "severity"],
    registers: [registry],
    collect: guarded("vigil_incidents_open", async function (this: Gauge) {
      const counts = new Map<string, number>();
      for (const pane of INCIDENT_PANES) {
        for (const status of ["open", "acknowledged"]) {
          let after = { t: Number.MIN_SAFE_INTEGER, id: 0 };
          for (;;) {
            const rows = incidentSlice().all(pane, status, after.t, after.id, sliceRows) as { id: number; t: number; severity: string }[];
            for (const r of rows) counts.set(`${pane}\u0000${r.severity}`, (counts.get(`${pane}\u0000${r.severity}`) ?? 0) + 1);
            if (rows.length < sliceRows) break;
            after = rows[rows.length - 1];
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
      }
      this.reset();
      for (const pane of INCIDENT_PANES) for (const severity of SEVERITIES) this.set({ pane, severity }, 0);
      for (const [key, n] of counts) {
        const [pane, severity] = key.split("\u0000");
        this.inc({ pane, severity: bounded("incidents.severity", severity) }, n);
      }
    }),
  });

  const walFile = file === ":memory:" ? null : `${file}-wal`;
  const walBytes = () => {
    try {
      return walFile ? fs.statSync(walFile).size : 0;
    } catch {
      return 0; // no WAL file right after a truncating checkpoint
    }
  };
  new Gauge({
    name: "vigil_database_size_bytes",
    help: "Size of the SQLite database: pages in the main file plus the write-ahead log.",
    registers: [registry],
    collect: guarded("vigil_database_size_bytes", function (this: Gauge) {
      const pages = sqlite.pragma("page_count", { simple: true }) as number;
      const pageSize = sqlite.pragma("page_size", { simple: true }) as number;
      this.set(pages * pageSize + walBytes());
    }),
  });
  new Gauge({
    name: "vigil_database_wal_bytes",
    help: "Size of the SQLite write-ahead log file.",
    registers: [registry],
    collect() {
      this.set(walBytes());
    },
  });

  const checkpointRow = lazy(sqlite, "SELECT verified_id AS id, verified_at AS at FROM audit_checkpoint ORDER BY id DESC LIMIT 1");
  const auditHead = lazy(sqlite, "SELECT COALESCE(MAX(id), 0) AS id FROM audit_log");
  new Gauge({
    name: "vigil_audit_entries",
    help: "Id of the newest audit-log entry.",
    registers: [registry],
    collect: guarded("vigil_audit_entries", function (this: Gauge) {
      this.set((auditHead().get() as { id: number }).id);
    }),
  });
  new Gauge({
    name: "vigil_audit_checkpoint_verified_id",
    help: "The audit chain is verified up to this entry id (0 before any verification).",
    registers: [registry],
    collect: guarded("vigil_audit_checkpoint_verified_id", function (this: Gauge) {
      const row = checkpointRow().get() as { id: number; at: number } | undefined;
      this.set(row?.id ?? 0);
    }),
  });
  new Gauge({
    name: "vigil_audit_checkpoint_timestamp_seconds",
    help: "When the audit checkpoint was last advanced, Unix seconds (0 before any verification).",
    registers: [registry],
    collect: guarded("vigil_audit_checkpoint_timestamp_seconds", function (this: Gauge) {
      const row = checkpointRow().get() as { id: number; at: number } | undefined;
      this.reset();
      if (row) this.set(row.at / 1000);
    }),
  });

  if (sources.processMetrics) collectDefaultMetrics({ register: registry, prefix: "vigil_", eventLoopMonitoringPrecision: 10 });

  return {
    registry,
    /** Records one ingest answer: accepted and rejected counts, rejections by coarse reason. */
    ingest(endpoint: IngestEndpoint, source: string, result: IngestOutcome, seconds?: number): void {
      const src = bounded(`${endpoint}.source`, /^[a-z][a-z0-9_-]{0,31}$/.test(source) ? source : "other");
      if (result.accepted > 0) accepted.inc({ endpoint, source: src }, result.accepted);
      const byReason = new Map<string, number>();
      for (const r of result.rejected) {
        const reason = bounded(`${endpoint}.reason`, rejectionReason("error" in r ? r.error : r.reason));
        byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
      }
      const unlisted = (result.rejected_total ?? result.rejected.length) - result.rejected.length;
      if (unlisted > 0) byReason.set("unlisted", (byReason.get("unlisted") ?? 0) + unlisted);
      for (const [reason, n] of byReason) rejected.inc({ endpoint, reason }, n);
      if (result.skipped) unstored.inc({ endpoint, outcome: "skipped" }, result.skipped);
      if (result.duplicates) unstored.inc({ endpoint, outcome: "duplicate" }, result.duplicates);
      if (seconds !== undefined) latency.observe({ endpoint }, seconds);
    },
    /** Runs one ingest, timing it and recording its answer (a thrown error counts as a failure). */
    timeIngest<R extends IngestOutcome>(endpoint: IngestEndpoint, source: string, run: () => R): R {
      const started = performance.now();
      let result: R;
      try {
        result = run();
      } catch (error) {
        failures.inc({ endpoint });
        latency.observe({ endpoint }, (performance.now() - started) / 1000);
        throw error;
      }
      this.ingest(endpoint, source, result, (performance.now() - started) / 1000);
      return result;
    },
    /** Connects the socket layer's figures (the custom server does this once it is attached). */
    observeLive(figures: () => LiveFigures): void {
      live = figures;
    },
    contentType: registry.contentType,
    /** The Prometheus text exposition of every metric. */
    render: (): Promise<string> => registry.metrics(),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A statement prepared on first use: a missing table costs its metric, not the core's creation. */
function lazy(sqlite: Database.Database, sql: string): () => Database.Statement {
  let statement: Database.Statement | undefined;
  return () => (statement ??= sqlite.prepare(sql));
}
