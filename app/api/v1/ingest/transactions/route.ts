// POST /api/v1/ingest/transactions – payment events as a JSON array, NDJSON or CSV with a header row
import { apiRoute, readUpload } from "@/server/api/route";
import { ACCEPTED_TYPES } from "@/server/security/content-types";

export const POST = apiRoute("ingest", async ({ req, core }) => Response.json(await core.ingestLogAsync("transactions", await readUpload(req, core.bodyLimit, ACCEPTED_TYPES.transactions), req.headers.get("content-type")), { status: 202 }));
