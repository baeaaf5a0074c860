import type { z } from "zod";
import type { Core } from "../core";
import { getCore, CoreUnavailableError } from "../registry";
import { BodyError, checkContentType, DEFAULT_BATCH_LIMITS, parseBatchBody, readBodyBytes, readBodyText, type BatchLimits, type ParsedItems } from "../ingest/body";
import { describeZodError, type ApiErrorBody } from "../../lib/contracts/common";
import type { Identity } from "../auth/actor";
import { hostAllowed, originAllowed, type HostPolicy } from "../origin";
import type { Permission } from "../auth/permissions";
import { loggedRequest, logRouteFailure, type RequestSeen } from "../ops/logging-request";
import { fromLoopback } from "../ops/metrics-access";

/** An answer with a status and a uniform error body `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function errorResponse(status: number, code: string, message: string): Response {
  const headers: Record<string, string> = { "cache-control": "no-store" };
  // the rest of an oversized body is never read: the connection cannot be reused
  if (status === 413) headers.connection = "close";
  return Response.json({ error: { code, message } } satisfies ApiErrorBody, { status, headers });
}

/**
 * What a route requires: a permission; `incident-action`, the acting permission of the incident's
 * pane (checked by the core once the incident is known); any signed-in caller, even one who must
 * still enrol MFA (`authenticated`); or nothing (`public`).
 */
export type RouteAccess = Permission | "incident-action" | "authenticated" | "public";

const INCIDENT_ACTION: Permission[] = ["incidents:network", "incidents:security"];

interface RouteContext {
  req: Request;
  core: Core;
  params: Record<string, string>;
  /** the caller; absent only on public routes */
  identity: Identity;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request comes from Vigil's own pages: its Origin is one of Vigil's configured
 * origins (server/origin.ts), never judged against the request's own Host; without an Origin,
 * Sec-Fetch-Site must say same-origin. `strict: false` lets a request with no Origin at all
 * through (curl, sensors), still refusing one that names another site.
 */
export function sameOrigin(req: Request, hosts: HostPolicy, strict = true): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return !strict || req.headers.get("sec-fetch-site") === "same-origin";
  return originAllowed(hosts, origin, req.headers.get("host"));
}

export type RouteHandler = ((req: Request, context?: { params?: Promise<Record<string, string>> }) => Promise<Response>) & { access: RouteAccess };

/**
 * The one wrapper for route handlers: finds the core, authenticates the caller (session cookie
 * or API key), checks same-origin and the route's permission, turns known failures into the
 * uniform error body, and serializes plain results as JSON. Handlers stay adapters: parse,
 * call one domain function, shape the answer.
 */
export function apiRoute(access: RouteAccess, handler: (ctx: RouteContext) => unknown | Promise<unknown>, options: RouteOptions = {}): RouteHandler {
  const handle = async (req: Request, context: { params?: Promise<Record<string, string>> } | undefined, seen: RequestSeen): Promise<Response> => {
    try {
      const core = getCore();
      const params = (await context?.params) ?? {};
      let identity = undefined as unknown as Identity;
      const unsafe = !SAFE_METHODS.has(req.method);
      // a page on another site may not post here, signed in or not (first-run setup included)
      if (!hostAllowed(core.hosts.current, req.headers.get("host"))) {
        return errorResponse(421, "unknown_host", "this server does not answer to that host name (see VIGIL_PUBLIC_URL and VIGIL_ALLOWED_HOSTS)");
      }
      if (unsafe && !sameOrigin(req, core.hosts.current, false)) {
        return errorResponse(403, "cross_origin", "requests from other sites are refused");
      }
      if (options.loopback && fromLoopback(req)) seen.actor = "loopback";
      else if (access !== "public") {
        const who = await core.access.identity.fromHeaders(req.headers);
        if (!who.ok) return errorResponse(401, who.code, who.message);
        identity = who.identity;
        seen.actor = identity.name;
        if (identity.kind === "user" && unsafe && !sameOrigin(req, core.hosts.current)) {
          return errorResponse(403, "cross_origin", "state-changing requests with a session must come from Vigil's own pages");
        }
        if (access !== "authenticated") {
          if (identity.mfaPending) return errorResponse(403, "mfa_required", "set up two-factor authentication first (Account page)");
          const allowed = access === "incident-action" ? INCIDENT_ACTION.some((p) => identity.permissions.has(p)) : identity.permissions.has(access);
          if (!allowed) {
            const what = identity.kind === "key" ? `this API key (scopes of ${identity.email}, ${identity.role})` : `role ${identity.role}`;
            return errorResponse(403, "forbidden", `${what} lacks the ${access} permission`);
          }
        }
      }
      const result = await handler({ req, core, params, identity });
      if (result instanceof Response) return result;
      return Response.json(result, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      if (error instanceof ApiError || error instanceof BodyError) return errorResponse(error.status, error.code, error.message);
      if (error instanceof CoreUnavailableError) return errorResponse(503, "core_unavailable", error.message);
      if (isUserError(error)) return errorResponse(USER_ERROR_STATUS[error.code], error.code, error.message);
      logRouteFailure(req, seen, error);
      return errorResponse(500, "internal", "internal error; the server log has details");
    }
  };
  // one log line per request: method, path, status, duration, actor, request id
  const route = (req: Request, context?: { params?: Promise<Record<string, string>> }) => loggedRequest(req, (seen) => handle(req, context, seen));
  return Object.assign(route, { access });
}

export interface RouteOptions {
  /** also open, without credentials, to a direct connection from this machine (GET /metrics) */
  loopback?: boolean;
}

// UserError comes from the core's copy of the module (another bundle), so match it by shape
const USER_ERROR_STATUS = { conflict: 409, not_found: 404, invalid: 400, forbidden: 403 } as const;
function isUserError(e: unknown): e is { code: keyof typeof USER_ERROR_STATUS; message: string } {
  return e instanceof Error && e.constructor.name === "UserError" && typeof (e as unknown as { code?: unknown }).code === "string" && (e as unknown as { code: string }).code in USER_ERROR_STATUS;
}

/** Query-string parameters through a zod schema (strict: an unknown or repeated one is 400 naming it). */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const search = new URL(req.url).searchParams;
  const params: Record<string, string> = {};
  for (const [name, value] of search) {
    if (name in params) throw new ApiError(400, "invalid_query", `${name.slice(0, 40)}: given more than once`);
    params[name] = value;
  }
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new ApiError(400, "invalid_query", describeZodError(parsed.error));
  return parsed.data;
}

/**
 * A JSON object body through a zod schema; an empty body counts as `{}`. A non-empty body must be
 * sent as application/json, which a cross-site form or no-cors fetch cannot do without a preflight.
 */
export async function parseJsonBody<S extends z.ZodType>(req: Request, schema: S, limit = 64 * 1024): Promise<z.output<S>> {
  const text = await readBodyText(req.body, limit);
  let value: unknown = {};
  if (text.trim()) {
    if (!/^application\/json\b/i.test(req.headers.get("content-type") ?? "")) {
      throw new ApiError(415, "unsupported_media_type", "send the body as application/json");
    }
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiError(400, "invalid_json", "body is not valid JSON");
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(400, "invalid_body", describeZodError(parsed.error));
  return parsed.data;
}

/** A batch body (JSON array, object or NDJSON) within the configured size limit. */
export async function readBatch(req: Request, limit: number, limits: BatchLimits = DEFAULT_BATCH_LIMITS): Promise<ParsedItems> {
  checkContentType(req.headers.get("content-type"));
  return parseBatchBody(await readBodyBytes(req.body, limit), limits);
}

/** A positive decimal id (no sign, exponent, hex or leading zero); anything else is 400 naming it. */
export function parseId(raw: string | undefined, what = "incident"): number {
  if (!raw || !/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new ApiError(400, "invalid_id", `not a${/^[aeiou]/.test(what) ? "n" : ""} ${what} id: ${JSON.stringify(String(raw).slice(0, 40))} (a positive decimal number)`);
  }
  return Number(raw);
}

/** A log upload's bytes: the Content-Type checked against `allowed` (415) before the body is read (413 past `limit`). */
export async function readUpload(req: Request, limit: number, allowed: readonly string[]): Promise<Buffer> {
  checkContentType(req.headers.get("content-type"), allowed);
  return readBodyBytes(req.body, limit);
}
