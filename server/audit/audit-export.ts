import { AUDIT_CSV_HEADER, auditCsvRows } from "../../lib/audit-csv";
import type { AuditLog, AuditQuery } from "./audit-log";

/** Entries read per step of an export. */
export const EXPORT_PAGE = 1_000;

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/**
 * An export as a byte stream that pages through the log (newest first) as the client reads it:
 * memory stays at one page whatever the size of the log, and each step is one bounded query,
 * with a turn of the event loop between steps that found nothing (a search window without a match).
 * `cap` is the most entries written.
 */
export function auditExportStream(audit: AuditLog, query: Omit<AuditQuery, "limit" | "before">, format: "csv" | "ndjson", cap = Number.MAX_SAFE_INTEGER, start?: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before: number | null | undefined = start;
  let written = 0;
  let headerSent = format !== "csv";
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(AUDIT_CSV_HEADER));
          return;
        }
        for (;;) {
          if (before === null || written >= cap) {
            controller.close();
            return;
          }
          const page = audit.page({ ...query, before, limit: Math.min(EXPORT_PAGE, cap - written) });
          before = page.next_before;
          if (page.entries.length > 0) {
            written += page.entries.length;
            controller.enqueue(encoder.encode(format === "csv" ? auditCsvRows(page.entries) : page.entries.map((e) => JSON.stringify(e)).join("\n") + "\n"));
            return;
          }
          await nextTurn();
        }
      },
    },
    { highWaterMark: 1 },
  );
}
