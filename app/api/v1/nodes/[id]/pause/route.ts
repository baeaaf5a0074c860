// POST /api/v1/nodes/:id/pause – stop a node's checks; its status is pending ("paused") and its heartbeats judge nothing until resumed
import { apiRoute } from "@/server/api/route";
import { nodeAnswer, parseNodeRef } from "@/server/api/node-action";

export const POST = apiRoute("nodes:manage", ({ core, params, identity }) => nodeAnswer(core.pauseNode(parseNodeRef(params.id), true, identity)));
