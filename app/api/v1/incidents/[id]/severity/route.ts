// POST /api/v1/incidents/:id/severity – {severity, note?, version?}
import { incidentAction } from "@/server/api/incident-action";
import { severityInputSchema } from "@/lib/contracts/incidents";

export const POST = incidentAction((core, id, who, input) => core.changeIncident(id, { action: "severity", severity: input.severity }, who, input), severityInputSchema);
