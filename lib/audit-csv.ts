type CsvEntry = { id: number; time: number; actor: string; action: string; target: string | null; source_ip: string | null; before: unknown; after: unknown; hash: string };

/** The CSV header line (with its CRLF). */
export const AUDIT_CSV_HEADER = ["id", "time", "actor", "action", "target", "source_ip", "before", "after", "hash"].join(",") + "\r\n";

/** CSV lines (each ending in CRLF) for entries. Cells that a spreadsheet would run as a formula are quoted with a leading '. */
export function auditCsvRows(entries: readonly CsvEntry[]): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return `"${s.replace(/"/g, '""')}"`;
  };
  let out = "";
  for (const e of entries) out += [e.id, new Date(e.time).toISOString(), e.actor, e.action, e.target, e.source_ip, e.before, e.after, e.hash].map(cell).join(",") + "\r\n";
  return out;
}

/** Audit entries as one CSV document (header included). */
export function auditToCsv(entries: readonly CsvEntry[]): string {
  return AUDIT_CSV_HEADER + auditCsvRows(entries);
}
