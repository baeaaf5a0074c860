import fs from "node:fs";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { hostAllowed, type HostPolicy } from "./origin";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const PAGE_METHODS = ["GET", "HEAD", "OPTIONS"];

/** A route handler file's URL pattern and the methods it exports. */
export interface RouteEntry {
  pattern: RegExp;
  methods: Set<string>;
  /** per path segment: 2 static, 1 dynamic, 0 catch-all (which route wins when several match) */
  rank?: number[];
}

/**
 * The route handlers under `appDir` (app/**\/route.ts) with the methods each exports, read from
 * the source once at start: `[id]` is one path segment, `[...all]` the rest of the path.
 */
export function loadRouteTable(appDir: string): RouteEntry[] {
  const entries: RouteEntry[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        walk(path.join(dir, entry.name), /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name]);
      } else if (/^route\.(ts|js)$/.test(entry.name)) {
        const source = fs.readFileSync(path.join(dir, entry.name), "utf8");
        const methods = new Set<string>();
        for (const m of source.matchAll(/export\s+(?:const|async\s+function|function)\s+([A-Z]+)\b/g)) methods.add(m[1]);
        for (const m of source.matchAll(/export\s+const\s*\{([^}]*)\}/g)) for (const name of m[1].split(",")) methods.add(name.trim().split(/\s/)[0]);
        const regex = segments
          .map((s) => (/^\[\.\.\..+\]$/.test(s) ? "/.+" : /^\[.+\]$/.test(s) ? "/[^/]+" : `/${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`))
          .join("");
        entries.push({ pattern: new RegExp(`^${regex}/?$`), methods: new Set([...methods].filter((x) => (METHODS as readonly string[]).includes(x))), rank: segments.map((s) => (/^\[\.\.\./.test(s) ? 0 : /^\[/.test(s) ? 1 : 2)) });
      }
    }
  };
  // a deployment without the sources still serves: unknown methods are refused, the rest is Next's
  if (fs.existsSync(appDir)) walk(appDir, []);
  // as Next routes: a static segment wins over a dynamic one at the same place (/incidents/bulk before /incidents/[id])
  return entries.sort((a, b) => compareRank(b.rank ?? [], a.rank ?? []));
}

function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The methods a path answers, as an Allow header lists them. */
export function allowedMethods(routes: readonly RouteEntry[], pathname: string): string[] {
  const route = routes.find((r) => r.pattern.test(pathname));
  if (!route) return PAGE_METHODS;
  const allowed = new Set(route.methods);
  if (allowed.has("GET")) allowed.add("HEAD");
  allowed.add("OPTIONS");
  return [...allowed].sort();
}

/** Whether every %-escape of the request target decodes (path and query). */
export function targetDecodes(target: string): boolean {
  const q = target.indexOf("?");
  const parts = [q < 0 ? target : target.slice(0, q), ...(q < 0 ? [] : target.slice(q + 1).split(/[&=]/))];
  try {
    for (const part of parts) decodeURIComponent(part.replace(/\+/g, " "));
    return true;
  } catch {
    return false;
  }
}

export type GateVerdict = { ok: true } | { ok: false; status: number; code: string; message: string; allow?: string[] };

/**
 * What every HTTP request must pass before Next sees it: a Host that names Vigil (421), a target
 * that decodes (400), and a method the path answers (405 with Allow). Unknown methods such as
 * TRACE never reach a handler.
 */
export function checkRequest(req: Pick<IncomingMessage, "method" | "url" | "headers">, hosts: HostPolicy, routes: readonly RouteEntry[]): GateVerdict {
  if (!hostAllowed(hosts, req.headers.host)) {
    return { ok: false, status: 421, code: "unknown_host", message: "this server does not answer to that host name (see VIGIL_PUBLIC_URL and VIGIL_ALLOWED_HOSTS)" };
  }
  const target = req.url ?? "/";
  if (!target.startsWith("/") || !targetDecodes(target)) return { ok: false, status: 400, code: "bad_url", message: "the request URL does not decode (a malformed %-escape)" };
  const pathname = target.split("?")[0];
  const method = req.method ?? "GET";
  // Next's own assets and pages answer GET and HEAD; route handlers what they export
  if (pathname.startsWith("/_next/") || pathname.startsWith("/socket.io")) {
    return (METHODS as readonly string[]).includes(method) ? { ok: true } : notAllowed(method, PAGE_METHODS);
  }
  const allow = allowedMethods(routes, pathname);
  const isRoute = routes.some((r) => r.pattern.test(pathname));
  if (!allow.includes(method) && (isRoute || !(METHODS as readonly string[]).includes(method))) return notAllowed(method, allow);
  return { ok: true };
}

function notAllowed(method: string, allow: string[]): GateVerdict {
  return { ok: false, status: 405, code: "method_not_allowed", message: `${method.slice(0, 20)} is not allowed here; use ${allow.join(", ")}`, allow };
}

/** Answers a refused request with the uniform error body. */
export function refuse(res: ServerResponse, verdict: Extract<GateVerdict, { ok: false }>): void {
  const headers: Record<string, string> = { "content-type": "application/json", "cache-control": "no-store" };
  if (verdict.allow) headers.allow = verdict.allow.join(", ");
  res.writeHead(verdict.status, headers).end(JSON.stringify({ error: { code: verdict.code, message: verdict.message } }));
}
