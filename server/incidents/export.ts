// Incidents with their timelines as a CSV or NDJSON stream: pages through the filter by cursor as
// the client reads, so memory is one page whatever the number of incidents.
import { incidentCursorParam, type Incident, type IncidentCursor, type IncidentFilter, type TimelineEntry } from "../../lib/contracts/incidents";

/** Incidents read per step of an export. */
export const INCIDENT_EXPORT_PAGE = 500;

export const INCIDENT_CSV_COLUMNS = [
  "id", "title", "rule", "entity", "pane", "severity", "status", "first_seen", "last_seen", "count", "assignee",
  "acknowledged_by", "acknowledged_at", "resolved_by", "resolved_at", "resolution", "explanation", "mitre", "previous_id", "timeline",
] as const;

const iso = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());

/** A CSV cell: quoted, quotes doubled, and text a spreadsheet would run as a formula (= + - @, tab, CR, LF, NUL first) led by a '. */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? "" : typeof v === "string" ? v : typeof v === "number" ? String(v) : JSON.stringify(v);
  if (/^[=+\-@\t\r\n\0]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** One incident as a CSV line (CRLF): its timeline in one cell, an entry a line ("time actor action [from → to]: note"). */
export function incidentCsvRow(i: Incident, timeline: readonly TimelineEntry[]): string {
  const t = timeline
    .map((e) => `${iso(e.time)} ${e.actor} ${e.action}${e.from_status && e.to_status ? ` [${e.from_status} → ${e.to_status}]` : ""}${e.note ? `: ${e.note}` : ""}`)
    .join("\n");
  const cells = [i.id, i.title, i.rule, i.entity, i.pane, i.severity, i.status, iso(i.first_seen), iso(i.last_seen), i.count, i.assignee, i.acknowledged_by, iso(i.acknowledged_at), i.resolved_by, iso(i.resolved_at), i.resolution, i.explanation, i.mitre, i.previous_id, t];
  return cells.map(csvCell).join(",") + "\r\n";
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/** The stream of GET /api/v1/incidents/export: every incident of the filter in the list's order (`sort`, `order`), `cap` at most. */
export function incidentExportStream(
  page: (q: IncidentFilter & { limit: number; before?: IncidentCursor }) => { incidents: Incident[]; next_before: string | null },
  timeline: (id: number) => TimelineEntry[],
  filter: IncidentFilter,
  format: "csv" | "ndjson",
  cap = Number.MAX_SAFE_INTEGER,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before: IncidentCursor | null | undefined = undefined;
  let written = 0;
  let headerSent = format !== "csv";
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(INCIDENT_CSV_COLUMNS.join(",") + "\r\n"));
          return;
        }
        if (before === null || written >= cap) {
          controller.close();
          return;
        }
        const limit = Math.min(INCIDENT_EXPORT_PAGE, cap - written);
        const { incidents: rows, next_before } = page({ ...filter, limit, before: before ?? undefined });
        written += rows.length;
        before = next_before === null ? null : incidentCursorParam.parse(next_before);
        if (rows.length === 0) {
          controller.close();
          return;
        }
        const text = rows.map((i) => (format === "csv" ? incidentCsvRow(i, timeline(i.id)) : JSON.stringify({ incident: i, timeline: timeline(i.id) }) + "\n")).join("");
        controller.enqueue(encoder.encode(text));
        await nextTurn();
      },
    },
    { highWaterMark: 1 },
  );
}
