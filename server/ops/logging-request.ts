import { performance } from "node:perf_hooks";
import { cleanText, getLogger, isClientAbort, requestIdOf } from "./logging";

/** What the route wrapper learns while it handles a request, for its log line. */
export interface RequestSeen {
  reqId: string;
  /** who called, once authenticated: an email, `key:<name>`, or `loopback` */
  actor?: string;
}

/** Polled by monitoring every few seconds: their lines are debug, not info. */
const PROBES = new Set(["/healthz", "/readyz", "/metrics", "/api/health"]);

function pathOf(req: Request): string {
  try {
    return cleanText(new URL(req.url).pathname, 512);
  } catch {
    return "?";
  }
}

/**
 * Runs an API request and writes its one log line: method, path, status, duration, actor and
 * request id (the one the custom server stamped and sent back as X-Request-Id).
 */
export async function loggedRequest(req: Request, run: (seen: RequestSeen) => Promise<Response>): Promise<Response> {
  const started = performance.now();
  const seen: RequestSeen = { reqId: requestIdOf(req.headers) };
  const response = await run(seen);
  const path = pathOf(req);
  const line = { reqId: seen.reqId, method: cleanText(req.method, 16), path, status: response.status, ms: Math.round((performance.now() - started) * 10) / 10, actor: seen.actor };
  if (PROBES.has(path)) getLogger().debug(line, "api request");
  else getLogger().info(line, "api request");
  return response;
}

/** A route handler's unexpected failure: an error with its stack, or one debug line when the client went away. */
export function logRouteFailure(req: Request, seen: RequestSeen, error: unknown): void {
  const where = { reqId: seen.reqId, method: cleanText(req.method, 16), path: pathOf(req), actor: seen.actor };
  if (isClientAbort(error) || req.signal?.aborted) getLogger().debug(where, "client aborted the request");
  else getLogger().error({ ...where, err: error }, "request failed");
}
