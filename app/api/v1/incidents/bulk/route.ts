// POST /api/v1/incidents/bulk – {action, ids? | filter?, note?, assignee?, until?, reason?} → {matched, succeeded, failed: [{id, reason}]}
import { ApiError, apiRoute, parseJsonBody } from "@/server/api/route";
import { bulkInputSchema } from "@/lib/contracts/incidents";

// ids may number 100,000: a body of up to 1 MiB
export const POST = apiRoute("incident-action", async ({ req, core, identity }) => {
  const result = core.bulkIncidents(await parseJsonBody(req, bulkInputSchema, 1024 * 1024), identity);
  if ("forbidden" in result) throw new ApiError(403, "forbidden", result.forbidden);
  return result;
});
