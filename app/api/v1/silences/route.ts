// GET /api/v1/silences – the newest 200 with state and hits; POST – {matcher: {rule?, entity?, source?, pane?, severity?}, reason, starts_at?, ends_at}
import { ApiError, apiRoute, parseJsonBody } from "@/server/api/route";
import { silenceInputSchema } from "@/lib/contracts/incidents";

export const GET = apiRoute("read", ({ core }) => ({ silences: core.silences() }));

export const POST = apiRoute("incident-action", async ({ req, core, identity }) => {
  const r = core.createSilence(await parseJsonBody(req, silenceInputSchema), identity);
  if ("error" in r) throw new ApiError(r.status, r.status === 403 ? "forbidden" : "invalid_request", r.error);
  return Response.json({ silence: r }, { status: 201 });
});
