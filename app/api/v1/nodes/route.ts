// GET /api/v1/nodes?limit=&after= – a page of nodes (id order) with status, last latency and recent checks, and the total
// POST /api/v1/nodes – create a node with its checks {id, name?, kind?, critical?, parent?, tags?, latency_threshold_ms?, failures_before_down?, successes_before_up?, checks?, maintenance?}
import { apiRoute, parseJsonBody, parseQuery } from "@/server/api/route";
import { nodeAnswer } from "@/server/api/node-action";
import { nodeQuerySchema } from "@/lib/contracts/network";
import { nodeInputSchema } from "@/server/network/definition";

export const GET = apiRoute("read", ({ req, core }) => core.nodesPage(parseQuery(req, nodeQuerySchema)));

export const POST = apiRoute("nodes:manage", async ({ req, core, identity }) => nodeAnswer(core.createNode(await parseJsonBody(req, nodeInputSchema, 256 * 1024), identity), 201));
