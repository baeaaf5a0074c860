// GET /api/v1/audit – one page of the audit log, newest first, filtered (action, actor, q, since, until, before, limit), with the chain's state; format=csv or ndjson streams an export (admin)
import { apiRoute, parseQuery } from "@/server/api/route";
import { auditQuerySchema } from "@/lib/contracts/access";
import { auditExportStream } from "@/server/audit/audit-export";

export const GET = apiRoute("audit:read", ({ req, core }) => {
  const q = parseQuery(req, auditQuerySchema);
  const filters = { action: q.action, actor: q.actor, text: q.q, since: q.since, until: q.until };
  const audit = core.access.audit;
  if (q.format === "json") {
    const page = audit.page({ ...filters, before: q.before, limit: q.limit ?? 200 });
    // the chain's state comes from the stored checkpoint: no walk on the request path
    return { ...page, chain: audit.chainState() };
  }
  const type = q.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
  return new Response(auditExportStream(audit, filters, q.format, q.limit, q.before), {
    headers: { "content-type": type, "content-disposition": `attachment; filename="vigil-audit.${q.format}"`, "cache-control": "no-store" },
  });
});
