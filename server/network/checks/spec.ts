// The settings of each check type as the config file and /api/v1/nodes write them, parsed once:
// durations become milliseconds, expected statuses become ranges, a JSON query is compiled, so
// that a bad setting is reported with its path and reason before anything runs.
import { z } from "zod";
import { canonicalIp } from "../../../lib/net/ip";
import { DurationError, durationMs } from "../duration";
import { compileJsonQuery, JsonQueryError } from "./json-query";
import { DEFAULT_FLAP } from "../flapping";

const duration = (min: number, max: number) =>
  z.union([z.string().max(32), z.number()]).transform((value, ctx) => {
    try {
      const ms = durationMs(value);
      if (ms >= min && ms <= max) return ms;
      ctx.addIssue({ code: "custom", message: `must be between ${min} ms and ${max} ms` });
    } catch (error) {
      ctx.addIssue({ code: "custom", message: error instanceof DurationError ? error.message : String(error) });
    }
    return z.NEVER;
  });

/** A host name (RFC 1123 labels) or an IP address; never starts with "-", so it cannot become an option. */
export const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/;
export function isHost(text: string): boolean {
  return canonicalIp(text) !== null || HOST_NAME.test(text);
}
const host = z.string().max(253).refine(isHost, "expected a host name or an IP address");
const port = z.number().int().min(1).max(65_535);
const days = z.number().int().min(0).max(3650);
const pem = z.string().max(64 * 1024).regex(/-----BEGIN CERTIFICATE-----/, "expected PEM certificates");

/** Settings every check shares: when it runs and how its results count. */
const common = {
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "id: 1-128 characters of letters, digits, . _ : -").optional(),
  interval: duration(1000, 86_400_000).default(60_000),
  timeout: duration(100, 300_000).default(10_000),
  failures_before_down: z.number().int().min(1).max(100).default(3),
  successes_before_up: z.number().int().min(1).max(100).default(2),
  latency_threshold_ms: z.number().positive().max(600_000).optional(),
  /** the latency baseline's window: the last N passing results whose median and MAD judge the next (default 288) */
  baseline_window: z.number().int().min(12).max(2016).optional(),
  /**
   * flap detection over the check's last 21 results (weighted percent state change, as Nagios):
   * flapping from `flap_high_percent` (default 50), settled at or below `flap_low_percent` (default 25)
   */
  flap_high_percent: z.number().gt(0, "flap_high_percent: a percent over 0, at most 100").max(100, "flap_high_percent: a percent over 0, at most 100").optional(),
  flap_low_percent: z.number().min(0, "flap_low_percent: a percent from 0, under 100").lt(100, "flap_low_percent: a percent from 0, under 100").optional(),
};
type Common = { id?: string; interval: number; timeout: number };
/** interval and timeout leave the schema as interval_ms and timeout_ms, so a unit is never guessed. */
const renameTimes = <T extends Common>({ interval, timeout, ...rest }: T) => ({ ...rest, interval_ms: interval, timeout_ms: timeout });

export interface StatusRange {
  from: number;
  to: number;
}
const statusEntry = z.union([z.number().int().min(100).max(599), z.string().max(16)]).transform((value, ctx): StatusRange => {
  const text = String(value).trim().toLowerCase();
  let m = /^([1-5])xx$/.exec(text);
  if (m) return { from: Number(m[1]) * 100, to: Number(m[1]) * 100 + 99 };
  m = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(text);
  if (m) {
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from >= 100 && to <= 599 && from <= to) return { from, to };
  }
  ctx.addIssue({ code: "custom", message: `expected a status (200), a class (2xx) or a range (200-299), not ${JSON.stringify(text)}` });
  return z.NEVER;
});

const jsonQuery = z
  .string()
  .max(256)
  .transform((text, ctx) => {
    try {
      return compileJsonQuery(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: error instanceof JsonQueryError ? error.message : String(error) });
      return z.NEVER;
    }
  });

const httpUrl = z
  .string()
  .max(2048)
  .refine((text) => URL.canParse(text) && ["http:", "https:"].includes(new URL(text).protocol), "expected an http:// or https:// URL");

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export const httpCheckSchema = z
  .strictObject({
    type: z.literal("http"),
    ...common,
    url: httpUrl,
    method: z.enum(HTTP_METHODS).default("GET"),
    headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/, "not a header name"), z.string().max(4096).regex(/^[^\r\n\0]*$/, "no line breaks")).default({}),
    body: z.string().max(64 * 1024).optional(),
    expected_status: z.array(statusEntry).min(1).max(32).default([{ from: 200, to: 299 }]),
    keyword: z.string().min(1).max(1024).optional(),
    keyword_absent: z.string().min(1).max(1024).optional(),
    json_query: jsonQuery.optional(),
    /** 0 refuses redirects: a 3xx answer is then the final status */
    max_redirects: z.number().int().min(0).max(20).default(10),
    max_body_bytes: z.number().int().min(0).max(1024 * 1024).default(DEFAULT_MAX_BODY_BYTES),
    cert_min_days: days.optional(),
    cert_warn_days: days.optional(),
    ca: pem.optional(),
    ignore_tls_errors: z.boolean().default(false),
  })
  .transform(renameTimes);

export const tcpCheckSchema = z.strictObject({ type: z.literal("tcp"), ...common, host, port }).transform(renameTimes);

export const DNS_RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "NS"] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];
/** `1.1.1.1`, `1.1.1.1:5353`, `[2606:4700::1111]:53`: resolvers are addressed by IP, as c-ares needs. */
export function parseResolverAddress(text: string): { host: string; port: number } | null {
  const m = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text) ?? /^([^:]+)(?::(\d{1,5}))?$/.exec(text) ?? (canonicalIp(text) ? [text, text] : null);
  if (!m) return null;
  const ip = canonicalIp(m[1]);
  const portNumber = m[2] === undefined ? 53 : Number(m[2]);
  return ip && portNumber >= 1 && portNumber <= 65_535 ? { host: ip, port: portNumber } : null;
}
export const dnsCheckSchema = z
  .strictObject({
    type: z.literal("dns"),
    ...common,
    name: host,
    record_type: z.enum(DNS_RECORD_TYPES).default("A"),
    server: z.string().max(64).refine((s) => parseResolverAddress(s) !== null, "expected a resolver IP, optionally with :port").optional(),
    expected: z.array(z.string().min(1).max(512)).max(32).optional(),
    /** all: every expected answer is present; any: one of them; exact: the answers are exactly these */
    match: z.enum(["all", "any", "exact"]).default("all"),
  })
  .transform(renameTimes);

export const tlsCheckSchema = z
  .strictObject({
    type: z.literal("tls"),
    ...common,
    host,
    port: port.default(443),
    servername: z.string().max(253).regex(HOST_NAME, "expected a host name").optional(),
    cert_min_days: days.optional(),
    cert_warn_days: days.optional(),
    ca: pem.optional(),
    ignore_tls_errors: z.boolean().default(false),
  })
  .transform(renameTimes);

/** `count` echoes go one second apart, so they must fit in the timeout. */
export const icmpCheckSchema = z
  .strictObject({ type: z.literal("icmp"), ...common, host, count: z.number().int().min(1).max(10).default(1) })
  .transform(renameTimes)
  .refine((s) => (s.count - 1) * 1000 < s.timeout_ms, { message: "count: echoes go 1 s apart, so count - 1 seconds must be under the timeout", path: ["count"] });

export const PUSH_TOKEN = /^[A-Za-z0-9_-]{16,128}$/;
export const pushCheckSchema = z
  .strictObject({
    type: z.literal("push"),
    ...common,
    /** the secret in the push URL; the config loader makes one when absent and keeps it */
    token: z.string().regex(PUSH_TOKEN, "token: 16-128 characters of letters, digits, _ and -").optional(),
    grace: duration(0, 86_400_000).default(10_000),
  })
  .transform(({ grace, ...rest }) => ({ ...renameTimes(rest), grace_ms: grace }));

const { high: DEFAULT_FLAP_HIGH, low: DEFAULT_FLAP_LOW } = DEFAULT_FLAP;

/** Any check's settings, told apart by `type`. */
export const checkSpecSchema = z
  .discriminatedUnion("type", [httpCheckSchema, tcpCheckSchema, dnsCheckSchema, tlsCheckSchema, icmpCheckSchema, pushCheckSchema])
  .superRefine((spec, ctx) => {
    const high = spec.flap_high_percent ?? DEFAULT_FLAP_HIGH;
    const low = spec.flap_low_percent ?? DEFAULT_FLAP_LOW;
    if (low >= high) {
      const which = (given: number | undefined, fallback: number) => (given === undefined ? `${fallback} by default` : String(given));
      ctx.addIssue({
        code: "custom",
        path: [spec.flap_low_percent === undefined ? "flap_high_percent" : "flap_low_percent"],
        message: `flap_low_percent (${which(spec.flap_low_percent, DEFAULT_FLAP_LOW)}) must be under flap_high_percent (${which(spec.flap_high_percent, DEFAULT_FLAP_HIGH)}): flapping starts at the high one and stops at the low one`,
      });
    }
  });

export type HttpCheckSpec = z.output<typeof httpCheckSchema>;
export type TcpCheckSpec = z.output<typeof tcpCheckSchema>;
export type DnsCheckSpec = z.output<typeof dnsCheckSchema>;
export type TlsCheckSpec = z.output<typeof tlsCheckSchema>;
export type IcmpCheckSpec = z.output<typeof icmpCheckSchema>;
export type PushCheckSpec = z.output<typeof pushCheckSchema>;
export type CheckSpec = z.output<typeof checkSpecSchema>;
export type CheckSpecInput = z.input<typeof checkSpecSchema>;
