/** Audit entries as CSV. Cells that a spreadsheet would run as a formula are quoted with a leading '. */
export function auditToCsv(entries: { id: number; time: number; actor: string; action: string; target: string | null; source_ip: string | null; before: unknown; after: unknown; hash: string }[]): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return `"${s.replace(/"/g, '""')}"`;
  };
  const head = ["id", "time", "actor", "action", "target", "source_ip", "before", "after", "hash"].join(",");
  const rows = entries.map((e) => [e.id, new Date(e.time).toISOString(), e.actor, e.action, e.target, e.source_ip, e.before, e.after, e.hash].map(cell).join(","));
  return [head, ...rows].join("\r\n") + "\r\n";
}
