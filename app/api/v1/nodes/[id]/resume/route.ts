// POST /api/v1/nodes/:id/resume – run a paused node's checks again (its status starts afresh)
import { apiRoute } from "@/server/api/route";
import { nodeAnswer, parseNodeRef } from "@/server/api/node-action";

export const POST = apiRoute("nodes:manage", ({ core, params, identity }) => nodeAnswer(core.pauseNode(parseNodeRef(params.id), false, identity)));
