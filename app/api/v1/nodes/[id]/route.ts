// GET /api/v1/nodes/:id?checks= – one node with its recent checks (oldest first, with messages) and its parent
import { ApiError, apiRoute, parseId, parseQuery } from "@/server/api/route";
import { nodeDetailQuerySchema } from "@/lib/contracts/network";

export const GET = apiRoute("read", ({ req, core, params }) => {
  const id = parseId(params.id, "node");
  const found = core.node(id, parseQuery(req, nodeDetailQuerySchema));
  if (!found) throw new ApiError(404, "not_found", `node ${id} not found`);
  return found;
});
