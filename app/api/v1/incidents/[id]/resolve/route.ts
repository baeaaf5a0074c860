// POST /api/v1/incidents/:id/resolve – resolve an incident ({note?, version?, actor?})
import { incidentAction } from "@/server/api/incident-action";

export const POST = incidentAction((core, id, who, input) => core.resolveIncident(id, who, input));
