// POST /api/v1/incidents/:id/assign – {assignee: "email or name" | null, note?, version?}
import { incidentAction } from "@/server/api/incident-action";
import { assignInputSchema } from "@/lib/contracts/incidents";

export const POST = incidentAction((core, id, who, input) => core.changeIncident(id, { action: "assign", assignee: input.assignee }, who, input), assignInputSchema);
