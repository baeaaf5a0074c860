// Detection windows live in memory: a restart would forget every one, so a brute force split by
// the restart (5 failures before, 3 after) would never fire. At boot, before the first batch, the
// stored events of the longest rule horizon are replayed through the same rules, oldest first, so
// their windows and open bursts are as they were. What the replay reports is dropped: those
// detections were recorded before the restart (events and incidents commit together), so nothing
// is opened, grown, reopened or paged twice; the next batch grows the incidents under their dedup
// keys as if there had been no restart.
import type Database from "better-sqlite3";
import type { SecurityRule, StoredEvent } from "./types";

/** Rows replayed at most by default (VIGIL_WARM_ROWS): about 2 s of boot here (bench/warm-windows.ts). */
export const DEFAULT_WARM_ROWS = 200_000;
/**
 * Rows handed to the rules at a time: memory holds one chunk (about 10 MB) besides the rules' own
 * (capped) windows. Large, because a rule reports a growing burst once per chunk, and the replay's
 * cost is mostly those reports (100,000 failures of 2,000 sources: 164,000 reports in chunks of
 * 2,000, 20,000 in chunks of 20,000, and less than half the time).
 */
export const WARM_CHUNK = 20_000;
/** Active incidents a rule is told of at most (SecurityRule.resume), newest first. */
export const MAX_RESUMED = 10_000;

export interface WarmReport {
  /** stored events replayed */
  rows: number;
  /** the earliest event time replayed from, or null when nothing was */
  since: number | null;
  /** the row cap left out older events within the longest horizon */
  capped: boolean;
  /** rules whose whole horizon was replayed */
  warmed: string[];
  /** rules left with empty windows, as before this existed: the cap let in less history than they need */
  cold: string[];
  /** detections the replay made and dropped (recorded before the restart) */
  dropped: number;
  ms: number;
}

const COLUMNS = `id, time, kind, severity, src_ip, dst_ip, user, signature, message, attributes, service, src_host, src_port, dst_port, proto, occurrences, fingerprint`;

/** A row as read, made into a StoredEvent in place (a copy per row cost a third more). */
type Row = Omit<StoredEvent, "attributes" | "fingerprint"> & { attributes: string | Record<string, unknown> | null; fingerprint: string | null };

/**
 * Replays the stored events of the last `max(rule.horizonMs)` (the newest `maxRows` at most) into
 * the rules, oldest first, in chunks. A rule needing more history than the cap let in (its
 * `leastReplayMs`) is left cold: a burst cut by where the replay starts, completed again by new
 * events, would count its part already reported a second time.
 */
export function warmRules(sqlite: Database.Database, rules: readonly SecurityRule[], now: number, maxRows = DEFAULT_WARM_ROWS, chunkRows = WARM_CHUNK): WarmReport {
  const started = performance.now();
  const report: WarmReport = { rows: 0, since: null, capped: false, warmed: [], cold: [], dropped: 0, ms: 0 };
  const windowed = rules.filter((r) => r.horizonMs > 0);
  if (windowed.length === 0) return report;
  if (maxRows <= 0) {
    report.cold = windowed.map((r) => r.name);
    return report;
  }
  const longest = Math.max(...windowed.map((r) => r.horizonMs));
  let from = now - longest;
  // the (maxRows + 1)-th newest event of the horizon: only what is newer is replayed
  const cut = sqlite.prepare(`SELECT time FROM security_events WHERE time >= ? ORDER BY time DESC LIMIT 1 OFFSET ?`).pluck().get(from, maxRows) as number | undefined;
  if (cut !== undefined) {
    report.capped = true;
    from = cut + 1;
  }
  // the rules that file bursts by the order keys crossed learn which incidents are still active
  const active = sqlite.prepare(`SELECT entity, details FROM incidents WHERE rule = ? AND status <> 'resolved' ORDER BY id DESC LIMIT ${MAX_RESUMED}`);
  const resume = (rule: SecurityRule) =>
    rule.resume?.(
      (active.all(rule.name) as { entity: string; details: string | null }[]).map((r) => ({ entity: r.entity, details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>) })),
    );
  const starts: { rule: SecurityRule; from: number }[] = [];
  for (const rule of windowed) {
    if (now - (rule.leastReplayMs ?? rule.horizonMs) >= from) starts.push({ rule, from: Math.max(from, now - rule.horizonMs) });
    else report.cold.push(rule.name);
  }
  report.warmed = starts.map((s) => s.rule.name);
  if (starts.length === 0) return finish(report, started);
  for (const { rule } of starts) resume(rule);
  const since = Math.min(...starts.map((s) => s.from));
  let chunk: StoredEvent[] = [];
  const feed = () => {
    for (const { rule, from: start } of starts) {
      const batch = start <= chunk[0].time ? chunk : chunk.filter((e) => e.time >= start);
      if (batch.length) report.dropped += rule.observe(batch).length;
    }
    report.rows += chunk.length;
    chunk = [];
  };
  for (const row of sqlite.prepare(`SELECT ${COLUMNS} FROM security_events WHERE time >= ? ORDER BY time, id`).iterate(since) as IterableIterator<Row>) {
    if (report.since === null) report.since = row.time;
    row.attributes = typeof row.attributes === "string" ? (JSON.parse(row.attributes) as Record<string, unknown>) : null;
    row.fingerprint ??= "";
    row.raw = "";
    chunk.push(row as StoredEvent);
    if (chunk.length === chunkRows) feed();
  }
  if (chunk.length) feed();
  for (const { rule } of starts) rule.resume?.([]);
  return finish(report, started);
}

function finish(report: WarmReport, started: number): WarmReport {
  report.ms = Math.round(performance.now() - started);
  return report;
}

/** The boot log line. */
export function warmMessage(r: WarmReport, maxRows: number): string {
  const what =
    r.rows === 0
      ? "no stored event to replay into the detection windows"
      : `replayed ${r.rows} stored events since ${new Date(r.since!).toISOString()} into the detection windows in ${r.ms} ms (${r.dropped} detections already recorded before the restart dropped)`;
  if (maxRows <= 0) return "VIGIL_WARM_ROWS=0: every detection rule starts with empty windows";
  const cold = r.cold.length ? `; ${r.capped ? `capped at ${maxRows} rows (VIGIL_WARM_ROWS): ` : ""}${r.cold.join(", ")} start with empty windows` : "";
  return `${what}${cold}`;
}
