// GET /api/v1/incidents – incidents by status (open, acknowledged, resolved, active, all) and pane
import { apiRoute, parseQuery } from "@/server/api/route";
import { incidentQuerySchema } from "@/lib/contracts/incidents";

export const GET = apiRoute("read", ({ req, core }) => core.incidentsSnapshot(parseQuery(req, incidentQuerySchema)));
