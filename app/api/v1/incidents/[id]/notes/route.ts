// POST /api/v1/incidents/:id/notes – {note: "plain text"}: a note on the timeline
import { incidentAction } from "@/server/api/incident-action";
import { noteInputSchema } from "@/lib/contracts/incidents";

export const POST = incidentAction((core, id, who, input) => core.changeIncident(id, { action: "note" }, who, input), noteInputSchema);
