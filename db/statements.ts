import type Database from "better-sqlite3";

/**
 * Prepared statements for the hot ingest path. drizzle's array insert runs at about half the
 * speed of these on better-sqlite3, so the writer uses them directly; everything else reads and
 * writes through drizzle.
 */
export function prepareWriter(sqlite: Database.Database) {
  return {
    insertEvent: sqlite.prepare<[number, number, string, string, string, string | null, string | null, string | null, string | null, string | null, string | null]>(
      `INSERT INTO security_events (time, received_at, kind, severity, source, src_ip, dst_ip, user, signature, message, attributes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    addEventMinute: sqlite.prepare<[number, string, number]>(
      `INSERT INTO event_minutes (minute, severity, count) VALUES (?, ?, ?)
       ON CONFLICT(minute, severity) DO UPDATE SET count = count + excluded.count`,
    ),
    insertHeartbeat: sqlite.prepare<[number, number, number, number | null, string | null]>(
      `INSERT INTO heartbeats (node_id, time, ok, latency_ms, message) VALUES (?, ?, ?, ?, ?)`,
    ),
    // status, failures, latency, check time, id: a change of status dates it from `since` (the check's time,
    // or for down the first failure of the run that took the node down) and says why (`reason`)
    updateNodeHealth: sqlite.prepare<{ status: string; failures: number; latency: number | null; time: number; since: number; reason: string | null; id: number }>(
      `UPDATE nodes SET status_since = CASE WHEN status = @status THEN status_since ELSE @since END,
       status_reason = CASE WHEN status = @status THEN status_reason ELSE @reason END, status = @status, consecutive_failures = @failures,
       last_latency_ms = @latency, last_check_at = max(coalesce(last_check_at, 0), @time) WHERE id = @id`,
    ),
  };
}
export type Writer = ReturnType<typeof prepareWriter>;
