import type { z } from "zod";
import { incidentActionSchema, type IncidentActionInput } from "../../lib/contracts/incidents";
import type { ActionResult } from "../incidents/service";
import type { Identity } from "../auth/actor";
import type { Core } from "../core";
import { ApiError, apiRoute, parseId, parseJsonBody } from "./route";

/**
 * POST handler for an incident state change. Whether the caller may act on this incident's pane
 * is the core's decision (403). A lost race is 409 naming the winner, with the incident as it is.
 * Repeating what is already so (your own acknowledgement) is a harmless 200.
 */
export function incidentAction<S extends z.ZodType<IncidentActionInput>>(
  act: (core: Core, id: number, who: Identity, input: z.output<S>) => ActionResult,
  schema: S = incidentActionSchema as unknown as S,
) {
  return apiRoute("incident-action", async ({ req, core, params, identity }) => {
    const id = parseId(params.id);
    // who may act on this incident's pane is known before the body is read
    const denied = core.incidentAccess(id, identity);
    if (denied) throw new ApiError(denied.code === "not_found" ? 404 : 403, denied.code, denied.message);
    const input = await parseJsonBody(req, schema);
    const result = act(core, id, identity, input);
    if (!result.ok) {
      if (result.code === "not_found") throw new ApiError(404, "not_found", result.message);
      if (result.code === "forbidden") throw new ApiError(403, "forbidden", result.message);
      if (result.code === "invalid") throw new ApiError(400, "invalid_request", result.message);
      return Response.json({ error: { code: "conflict", message: result.message }, incident: result.incident }, { status: 409 });
    }
    return { incident: result.incident, changed: result.changed ?? true };
  });
}
