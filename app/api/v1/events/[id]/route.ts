// GET /api/v1/events/:id – one security event with its raw line and the incidents it is evidence of
import { ApiError, apiRoute, parseId } from "@/server/api/route";

export const GET = apiRoute("read", ({ core, params }) => {
  const found = core.eventDetail(parseId(params.id, "event"));
  if (!found) throw new ApiError(404, "not_found", `event ${params.id} not found`);
  return found;
});
