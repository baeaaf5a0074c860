// GET /api/v1/response-plans – every plan; POST – create {name, rule?, severity?, runbook_url?, steps: [{id, text, phase, required}]}
import { ApiError, apiRoute, parseJsonBody } from "@/server/api/route";
import { responsePlanInputSchema } from "@/lib/contracts/incidents";

export const GET = apiRoute("read", ({ core }) => ({ plans: core.responsePlans() }));

export const POST = apiRoute("settings:manage", async ({ req, core, identity }) => {
  const plan = core.createResponsePlan(await parseJsonBody(req, responsePlanInputSchema), identity);
  if (!plan) throw new ApiError(409, "conflict", "a plan for this rule and severity exists already: change that one");
  return Response.json({ plan }, { status: 201 });
});
