// DELETE /api/v1/incidents/:id/links/:other – remove the link between two incidents
import { ApiError, apiRoute, parseId } from "@/server/api/route";

export const DELETE = apiRoute("incident-action", ({ core, params, identity }) => {
  const id = parseId(params.id);
  const denied = core.incidentAccess(id, identity);
  if (denied) throw new ApiError(denied.code === "not_found" ? 404 : 403, denied.code, denied.message);
  const r = core.unlinkIncidents(id, parseId(params.other), identity);
  if (!r.ok) throw new ApiError(r.code === "forbidden" ? 403 : 404, r.code, r.message);
  return { links: core.incident(id)?.links ?? [] };
});
