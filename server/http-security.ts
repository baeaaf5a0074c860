import { randomBytes } from "node:crypto";
import { canonicalIp } from "../lib/net/ip";
import type { IncomingMessage, ServerResponse } from "node:http";
import { REMOTE_ADDR_HEADER } from "./auth/better-auth";

/** The canonical form (`::ffff:10.0.0.1` → `10.0.0.1`, RFC 5952 for IPv6), so one address has one spelling. */
export function normalizeIp(address: string | undefined): string {
  if (!address) return "unknown";
  return canonicalIp(address) ?? "unknown";
}

/**
 * The caller's address. Behind a trusted proxy it is the last X-Forwarded-For entry (the one the
 * proxy appended; entries to its left are whatever the client sent), and only if it is an IP.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const last = String(req.headers["x-forwarded-for"] ?? "").split(",").pop()?.trim() ?? "";
    const ip = canonicalIp(last);
    if (ip) return ip;
  }
  return normalizeIp(req.socket.remoteAddress);
}

/** Sets the caller's address as a header Vigil trusts; any copy sent by the client is dropped. */
export function stampRemoteAddress(req: IncomingMessage, trustProxy: boolean): void {
  delete req.headers[REMOTE_ADDR_HEADER];
  req.headers[REMOTE_ADDR_HEADER] = clientAddress(req, trustProxy);
}

/**
 * Strict response headers. The CSP carries a fresh nonce per response; Next reads it from the
 * request's own Content-Security-Policy header and puts it on every script it emits, so no
 * inline script runs without it. Styles allow inline attributes (charts set them); scripts don't.
 */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, options: { dev: boolean; tls: boolean }): void {
  const nonce = randomBytes(16).toString("base64");
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  req.headers["content-security-policy"] = csp;
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (options.tls) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}
