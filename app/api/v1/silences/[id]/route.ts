// DELETE /api/v1/silences/:id – end a pending or active silence now
import { ApiError, apiRoute, parseId } from "@/server/api/route";

export const DELETE = apiRoute("incident-action", ({ core, params, identity }) => {
  const r = core.endSilence(parseId(params.id, "silence"), identity);
  if ("error" in r) throw new ApiError(r.status, r.status === 403 ? "forbidden" : "not_found", r.error);
  return { silence: r };
});
