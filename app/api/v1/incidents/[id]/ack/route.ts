// POST /api/v1/incidents/:id/ack – acknowledge an incident ({note?, version?, actor?})
import { incidentAction } from "@/server/api/incident-action";

export const POST = incidentAction((core, id, actor, input) => core.acknowledgeIncident(id, actor, input));
