// PATCH /api/v1/notifications/endpoints/:id – change an endpoint (any field; a new secret is not answered) (admin)
// DELETE /api/v1/notifications/endpoints/:id – delete it; its pending deliveries are cancelled, its history kept (admin)
import { apiRoute, parseId, parseJsonBody } from "@/server/api/route";
import { endpointPatchSchema } from "@/lib/contracts/notify";

export const PATCH = apiRoute("settings:manage", async ({ req, core, params, identity }) => {
  const id = parseId(params.id, "endpoint");
  const patch = await parseJsonBody(req, endpointPatchSchema);
  return { endpoint: core.notify.endpoints.update(id, patch, identity) };
});

export const DELETE = apiRoute("settings:manage", ({ core, params, identity }) => ({ endpoint: core.notify.endpoints.remove(parseId(params.id, "endpoint"), identity) }));
