// GET /api/v1/audit – the audit log, filtered (action, actor, q, since, until, limit) as json, ndjson or csv (admin)
import { apiRoute, parseQuery } from "@/server/api/route";
import { auditQuerySchema } from "@/lib/contracts/access";
import { auditToCsv } from "@/lib/audit-csv";

export const GET = apiRoute("audit:read", ({ req, core }) => {
  const q = parseQuery(req, auditQuerySchema);
  const entries = core.access.audit.list({ action: q.action, actor: q.actor, text: q.q, since: q.since, until: q.until, limit: q.limit });
  const verify = core.access.audit.verify();
  if (q.format === "json") return { entries, chain: verify };
  const body = q.format === "csv" ? auditToCsv(entries) : entries.map((e) => JSON.stringify(e)).join("\n") + "\n";
  const type = q.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
  return new Response(body, { headers: { "content-type": type, "content-disposition": `attachment; filename="vigil-audit.${q.format}"`, "cache-control": "no-store" } });
});
