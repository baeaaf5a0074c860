// GET /api/v1/nodes/:id?checks= – one node with its recent checks (oldest first, with messages), its parent, and its checks and maintenance as written (secrets redacted)
// PATCH /api/v1/nodes/:id – change a node (id or key) made over the API or by heartbeats: threshold, interval, parent, tags, checks…
// DELETE /api/v1/nodes/:id – delete a node, its checks and its stored results
import { ApiError, apiRoute, parseId, parseJsonBody, parseQuery } from "@/server/api/route";
import { nodeAnswer, parseNodeRef } from "@/server/api/node-action";
import { can } from "@/server/auth/actor";
import { nodeDetailQuerySchema } from "@/lib/contracts/network";
import { nodePatchSchema } from "@/server/network/definition";

export const GET = apiRoute("read", ({ req, core, params, identity }) => {
  const id = parseId(params.id, "node");
  const found = core.node(id, parseQuery(req, nodeDetailQuerySchema));
  if (!found) throw new ApiError(404, "not_found", `node ${id} not found`);
  // where a config node is defined is for those who would edit it
  if (found.definition?.file !== undefined && !can(identity, "nodes:manage")) delete found.definition.file;
  return found;
});

export const PATCH = apiRoute("nodes:manage", async ({ req, core, params, identity }) =>
  nodeAnswer(core.updateNode(parseNodeRef(params.id), await parseJsonBody(req, nodePatchSchema, 256 * 1024), identity)),
);

export const DELETE = apiRoute("nodes:manage", ({ core, params, identity }) => nodeAnswer(core.deleteNode(parseNodeRef(params.id), identity)));
