// GET /api/v1/audit/verify – the audit chain's state with the progress of a running full verification (admin)
// POST /api/v1/audit/verify – start a full re-verification on a worker thread; 202 with the run's state (a second start joins the running one)
import { apiRoute } from "@/server/api/route";

export const GET = apiRoute("audit:read", ({ core }) => ({ chain: core.access.audit.chainState() }));

export const POST = apiRoute("audit:read", ({ core }) => Response.json({ chain: core.access.audit.chain.startFull() }, { status: 202, headers: { "cache-control": "no-store" } }));
