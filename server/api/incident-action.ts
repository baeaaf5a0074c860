import { incidentActionSchema } from "../../lib/contracts/incidents";
import type { ActionResult } from "../incidents/service";
import type { Core } from "../core";
import { ApiError, apiRoute, parseId, parseJsonBody } from "./route";

/** Who acts, until accounts exist: `actor` in the body, else the X-Vigil-Actor header, else "operator". */
function actorOf(req: Request, bodyActor: string | undefined): string {
  const header = req.headers.get("x-vigil-actor")?.trim().slice(0, 64);
  return bodyActor ?? (header || "operator");
}

/** POST handler for an incident state change; a lost race is 409 naming the winner. */
export function incidentAction(act: (core: Core, id: number, actor: string, input: { note?: string; version?: number }) => ActionResult) {
  return apiRoute(async ({ req, core, params }) => {
    const id = parseId(params.id);
    const input = await parseJsonBody(req, incidentActionSchema);
    const result = act(core, id, actorOf(req, input.actor), input);
    if (!result.ok) {
      if (result.code === "not_found") throw new ApiError(404, "not_found", result.message);
      return Response.json({ error: { code: "conflict", message: result.message }, incident: result.incident }, { status: 409 });
    }
    return { incident: result.incident };
  });
}
