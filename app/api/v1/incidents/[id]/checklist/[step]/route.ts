// POST /api/v1/incidents/:id/checklist/:step – {done: boolean, note?}: tick or untick a step of the incident's response plan
import { ApiError, apiRoute, parseId, parseJsonBody } from "@/server/api/route";
import { checklistTickSchema } from "@/lib/contracts/incidents";

export const POST = apiRoute("incident-action", async ({ req, core, params, identity }) => {
  const id = parseId(params.id);
  const denied = core.incidentAccess(id, identity);
  if (denied) throw new ApiError(denied.code === "not_found" ? 404 : 403, denied.code, denied.message);
  const step = String(params.step ?? "");
  if (!/^[a-z0-9_-]{1,40}$/.test(step)) throw new ApiError(400, "invalid_request", "expected a step id (a-z, 0-9, _ or -)");
  const input = await parseJsonBody(req, checklistTickSchema);
  const r = core.tickChecklist(id, step, input.done, identity, input.note);
  if (!r.ok) throw new ApiError(r.code === "forbidden" ? 403 : 404, r.code, r.message);
  return { checklist: core.incident(id)?.checklist };
});
