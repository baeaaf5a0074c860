// GET /api/v1/nodes/:id/latency?range=1h|24h|7d|30d or ?from=&to= – latency p50/p95/p99/max points from the node's roll-ups
import { apiRoute, parseQuery } from "@/server/api/route";
import { parseNodeRef } from "@/server/api/node-action";
import { latencyQuerySchema } from "@/lib/contracts/figures";

export const GET = apiRoute("read", ({ req, core, params }) => {
  const ref = parseNodeRef(params.id);
  return core.nodeLatency(ref, parseQuery(req, latencyQuerySchema));
});
