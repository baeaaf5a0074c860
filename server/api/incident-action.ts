import { incidentActionSchema } from "../../lib/contracts/incidents";
import type { ActionResult } from "../incidents/service";
import type { Identity } from "../auth/actor";
import type { Core } from "../core";
import { ApiError, apiRoute, parseId, parseJsonBody } from "./route";

/**
 * POST handler for an incident state change. Whether the caller may act on this incident's pane
 * is the core's decision (403). A lost race is 409 naming the winner.
 */
export function incidentAction(act: (core: Core, id: number, who: Identity, input: { note?: string; version?: number }) => ActionResult) {
  return apiRoute("incident-action", async ({ req, core, params, identity }) => {
    const id = parseId(params.id);
    const input = await parseJsonBody(req, incidentActionSchema);
    const result = act(core, id, identity, input);
    if (!result.ok) {
      if (result.code === "not_found") throw new ApiError(404, "not_found", result.message);
      if (result.code === "forbidden") throw new ApiError(403, "forbidden", result.message);
      return Response.json({ error: { code: "conflict", message: result.message }, incident: result.incident }, { status: 409 });
    }
    return { incident: result.incident };
  });
}
