// GET /api/v1/incidents/:id – one incident with its timeline
import { ApiError, apiRoute, parseId } from "@/server/api/route";

export const GET = apiRoute("read", ({ core, params }) => {
  const found = core.incident(parseId(params.id));
  if (!found) throw new ApiError(404, "not_found", `incident ${params.id} not found`);
  return found;
});
