// POST /api/v1/incidents/:id/ack – acknowledge an incident ({note?, version?, actor?})
import { incidentAction } from "@/server/api/incident-action";

export const POST = incidentAction((core, id, who, input) => core.acknowledgeIncident(id, who, input));
