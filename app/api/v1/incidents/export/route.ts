// GET /api/v1/incidents/export?format=csv|ndjson&<the list's filter, sort and order>&limit? – every matching incident with its timeline, in the list's order, streamed
import { z } from "zod";
import { apiRoute, parseQuery } from "@/server/api/route";
import { incidentFilterSchema, orderFits, orderFitsIssue } from "@/lib/contracts/incidents";
import { decimalParam } from "@/lib/contracts/common";

const exportQuery = incidentFilterSchema
  .extend({
    format: z.enum(["csv", "ndjson"]).default("csv"),
    /** the most incidents written (default: every match) */
    limit: decimalParam(1, Number.MAX_SAFE_INTEGER).optional(),
  })
  .refine(orderFits, orderFitsIssue);

export const GET = apiRoute("read", ({ req, core }) => {
  const { format, limit, ...filter } = parseQuery(req, exportQuery);
  const type = format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
  return new Response(core.exportIncidents(filter, format, limit), {
    headers: { "content-type": type, "content-disposition": `attachment; filename="vigil-incidents.${format}"`, "cache-control": "no-store" },
  });
});
