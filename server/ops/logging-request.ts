import { performance } from "node:perf_hooks";
import { cleanText, getLogger, isClientAbort, requestIdOf } from "./logging";

/** What the route wrapper learns while it handles a request, for its log line. */
export interface RequestSeen {
  reqId: string;
  /** who called, once authenticated: an email, `key:<name>`, or `loopback` */
  actor?: string;
  /** the client went away mid-request: its one line is at debug */
  aborted?: boolean;
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
 * Runs an API request and writes its one log line: method, path, status, duration, actor, client
 * address and request id (the one the custom server stamped and sent back as X-Request-Id).
 */
export async function loggedRequest(req: Request, run: (seen: RequestSeen) => Promise<Response>): Promise<Response> {
  const started = performance.now();
  const seen: RequestSeen = { reqId: requestIdOf(req.headers) };
  const response = await run(seen);
  const path = pathOf(req);
  const ms = Math.round((performance.now() - started) * 10) / 10;
  if (seen.aborted) {
    getLogger().debug({ reqId: seen.reqId, method: cleanText(req.method, 16), path, ms, actor: seen.actor }, "client aborted the request");
    return response;
  }
  // the caller's address as the custom server stamped it (the peer, or the trusted proxy's report)
  const ip = req.headers.get("x-vigil-remote-addr") ?? undefined;
  const line = { reqId: seen.reqId, method: cleanText(req.method, 16), path, status: response.status, ms, actor: seen.actor, ip };
  if (PROBES.has(path)) getLogger().debug(line, "api request");
  else getLogger().info(line, "api request");
  return response;
}

/**
 * A route handler's unexpected failure: an error with its stack; or, when the client went away,
 * nothing here (the request's own line says so, once, at debug).
 */
export function logRouteFailure(req: Request, seen: RequestSeen, error: unknown): void {
  if (isClientAbort(error) || req.signal?.aborted) {
    seen.aborted = true;
    return;
  }
  getLogger().error({ reqId: seen.reqId, method: cleanText(req.method, 16), path: pathOf(req), actor: seen.actor, err: error }, "request failed");
}
