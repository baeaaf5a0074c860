// POST|GET /api/v1/push/:token?status=up|down&msg=&ping= – a push check's call (cron job, agent); the token is the credential
import { ApiError, apiRoute, parseJsonBody, parseQuery } from "@/server/api/route";
import { pushBodySchema, pushQuerySchema, type PushCall } from "@/lib/contracts/network";
import type { Core } from "@/server/core";

function record(core: Core, token: string | undefined, call: PushCall) {
  const hit = token ? core.recordPush(token, call) : null;
  // one answer for a token that is malformed, unknown or paused: nothing to learn by guessing
  if (!hit) throw new ApiError(404, "not_found", "no running push check has this token");
  return { ok: true, node: hit.node, check: hit.check };
}

export const GET = apiRoute("public", ({ req, core, params }) => record(core, params.token, parseQuery(req, pushQuerySchema)));

export const POST = apiRoute("public", async ({ req, core, params }) => {
  const query = parseQuery(req, pushQuerySchema);
  const body = await parseJsonBody(req, pushBodySchema, 4096);
  return record(core, params.token, { ...query, ...body });
});
