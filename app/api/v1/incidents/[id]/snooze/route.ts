// POST /api/v1/incidents/:id/snooze – {until: epoch ms or ISO 8601, note?, version?}: held until then, then open and notified again
import { incidentAction } from "@/server/api/incident-action";
import { snoozeInputSchema } from "@/lib/contracts/incidents";

export const POST = incidentAction((core, id, who, input) => core.changeIncident(id, { action: "snooze", until: input.until }, who, input), snoozeInputSchema);
