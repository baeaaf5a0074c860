// GET /api/v1/events/:id – one security event with its raw line and the incidents it is evidence of
// (takes no query parameters: an unknown one is a 400 naming it, as on the other triage routes)
import { z } from "zod";
import { ApiError, apiRoute, parseId, parseQuery } from "@/server/api/route";

export const GET = apiRoute("read", ({ core, params, req }) => {
  parseQuery(req, z.strictObject({}));
  const found = core.eventDetail(parseId(params.id, "event"));
  if (!found) throw new ApiError(404, "not_found", `event ${params.id} not found`);
  return found;
});
