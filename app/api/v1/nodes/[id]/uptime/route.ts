// GET /api/v1/nodes/:id/uptime?from=&to= – uptime weighted by time over 24 h, 7 d, 30 d (and from/to), maintenance and no-data apart
import { apiRoute, parseQuery } from "@/server/api/route";
import { parseNodeRef } from "@/server/api/node-action";
import { uptimeQuerySchema } from "@/lib/contracts/figures";

export const GET = apiRoute("read", ({ req, core, params }) => {
  const ref = parseNodeRef(params.id);
  return core.nodeUptime(ref, parseQuery(req, uptimeQuerySchema));
});
