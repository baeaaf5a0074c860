// PUT /api/v1/response-plans/:id – replace a plan (incidents already showing its steps keep them); DELETE – remove it
import { ApiError, apiRoute, parseId, parseJsonBody } from "@/server/api/route";
import { responsePlanInputSchema } from "@/lib/contracts/incidents";

export const PUT = apiRoute("settings:manage", async ({ req, core, params, identity }) => {
  const id = parseId(params.id);
  const plan = core.updateResponsePlan(id, await parseJsonBody(req, responsePlanInputSchema), identity);
  if (plan === "missing") throw new ApiError(404, "not_found", `response plan ${id} not found`);
  if (plan === "clash") throw new ApiError(409, "conflict", "another plan covers this rule and severity");
  return { plan };
});

export const DELETE = apiRoute("settings:manage", ({ core, params, identity }) => {
  const id = parseId(params.id);
  if (!core.deleteResponsePlan(id, identity)) throw new ApiError(404, "not_found", `response plan ${id} not found`);
  return { deleted: id };
});
