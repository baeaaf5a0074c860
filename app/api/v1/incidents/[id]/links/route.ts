// POST /api/v1/incidents/:id/links – {other, kind?: related|caused_by|duplicate_of, note?}: link to another incident of either pane
import { ApiError, apiRoute, parseId, parseJsonBody } from "@/server/api/route";
import { linkInputSchema } from "@/lib/contracts/incidents";

export const POST = apiRoute("incident-action", async ({ req, core, params, identity }) => {
  const id = parseId(params.id);
  const denied = core.incidentAccess(id, identity);
  if (denied) throw new ApiError(denied.code === "not_found" ? 404 : 403, denied.code, denied.message);
  const input = await parseJsonBody(req, linkInputSchema);
  const r = core.linkIncidents(id, input.other, input.kind, identity, input.note);
  if (!r.ok) throw new ApiError(r.code === "forbidden" ? 403 : r.code === "invalid" ? 400 : 404, r.code === "invalid" ? "invalid_request" : r.code, r.message);
  return { links: core.incident(id)?.links ?? [] };
});
