import type { z } from "zod";
import type { Core } from "../core";
import { getCore, CoreUnavailableError } from "../registry";
import { BodyError, parseBatchBody, readBodyText, type ParsedItems } from "../ingest/body";
import { describeZodError, type ApiErrorBody } from "../../lib/contracts/common";

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

interface RouteContext {
  req: Request;
  core: Core;
  params: Record<string, string>;
}

/**
 * The one wrapper for route handlers: finds the core, turns known failures into the uniform error
 * body, and serializes plain results as JSON. Handlers stay adapters: parse, call one domain
 * function, shape the answer.
 */
export function apiRoute(handler: (ctx: RouteContext) => unknown | Promise<unknown>) {
  return async (req: Request, context?: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      const core = getCore();
      const params = (await context?.params) ?? {};
      const result = await handler({ req, core, params });
      if (result instanceof Response) return result;
      return Response.json(result, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      if (error instanceof ApiError || error instanceof BodyError) return errorResponse(error.status, error.code, error.message);
      if (error instanceof CoreUnavailableError) return errorResponse(503, "core_unavailable", error.message);
      console.error(`[vigil] ${req.method} ${new URL(req.url).pathname} failed:`, error);
      return errorResponse(500, "internal", "internal error; the server log has details");
    }
  };
}

/** Query-string parameters through a zod schema; a bad one is 400 naming it. */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new ApiError(400, "invalid_query", describeZodError(parsed.error));
  return parsed.data;
}

/** A JSON object body through a zod schema; an empty body counts as `{}`. */
export async function parseJsonBody<S extends z.ZodType>(req: Request, schema: S, limit = 64 * 1024): Promise<z.output<S>> {
  const text = await readBodyText(req.body, limit);
  let value: unknown = {};
  if (text.trim()) {
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
export async function readBatch(req: Request, limit: number): Promise<ParsedItems> {
  return parseBatchBody(await readBodyText(req.body, limit));
}

export function parseId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new ApiError(400, "invalid_id", `not an incident id: ${JSON.stringify(raw)}`);
  return id;
}
