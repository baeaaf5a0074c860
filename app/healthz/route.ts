// GET /healthz – liveness: 200 {"ok":true} whenever the process serves HTTP (no database, no auth)
import type { RouteHandler } from "@/server/api/route";

export const dynamic = "force-dynamic";

export const GET: RouteHandler = Object.assign(
  async () => Response.json({ ok: true }, { headers: { "cache-control": "no-store" } }),
  { access: "public" as const },
);
