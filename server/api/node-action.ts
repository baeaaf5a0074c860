import { NODE_KEY } from "../../lib/contracts/network";
import type { NodeResult } from "../network/manage";
import { ApiError } from "./route";

const STATUS = { not_found: 404, conflict: 409, version_conflict: 409, invalid: 400, forbidden: 403 } as const;

/** A node named in a path: its numeric id, or its key (`edge-router-1`); anything else is 400. */
export function parseNodeRef(raw: string | undefined): number | string {
  if (raw && /^[1-9][0-9]{0,15}$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  if (raw && NODE_KEY.test(raw)) return raw.toLowerCase();
  throw new ApiError(400, "invalid_id", `not a node id or key: ${JSON.stringify(String(raw).slice(0, 40))}`);
}

/** A node change's answer, or its failure as the uniform error body. */
export function nodeAnswer<T>(r: NodeResult<T>, status = 200): Response {
  if (!r.ok) throw new ApiError(STATUS[r.code], r.code, r.message);
  return Response.json(r.value, { status, headers: { "cache-control": "no-store" } });
}
