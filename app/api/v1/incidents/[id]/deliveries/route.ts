// GET /api/v1/incidents/:id/deliveries – the notifications sent about an incident, with every attempt, newest first
import { ApiError, apiRoute, parseId } from "@/server/api/route";

export const GET = apiRoute("read", ({ core, params }) => {
  const id = parseId(params.id);
  if (!core.incident(id)) throw new ApiError(404, "not_found", `incident ${id} not found`);
  return { deliveries: core.notify.incidentDeliveries(id) };
});
