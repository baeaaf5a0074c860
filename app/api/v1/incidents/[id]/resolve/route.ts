// POST /api/v1/incidents/:id/resolve – resolve an incident ({reason?: fixed|false_positive|duplicate|expected, note?, version?})
import { incidentAction } from "@/server/api/incident-action";
import { resolveInputSchema } from "@/lib/contracts/incidents";

export const POST = incidentAction((core, id, who, input) => core.resolveIncident(id, who, input), resolveInputSchema);
