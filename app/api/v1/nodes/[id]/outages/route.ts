// GET /api/v1/nodes/:id/outages?limit=&offset=&from=&to= – the node's outages, newest first, with the true total
import { apiRoute, parseQuery } from "@/server/api/route";
import { parseNodeRef } from "@/server/api/node-action";
import { outagesQuerySchema } from "@/lib/contracts/figures";

export const GET = apiRoute("read", ({ req, core, params }) => {
  const ref = parseNodeRef(params.id);
  return core.nodeOutages(ref, parseQuery(req, outagesQuerySchema));
});
