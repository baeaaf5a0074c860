// POST /api/v1/incidents/:id/reopen – a resolved incident back to open ({note?, version?}); 409 when a newer one of the same problem is active
import { incidentAction } from "@/server/api/incident-action";

export const POST = incidentAction((core, id, who, input) => core.changeIncident(id, { action: "reopen" }, who, input));
