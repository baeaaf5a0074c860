import { z } from "zod";
import { canonicalIp } from "../net/ip";
import { parseInstant } from "../time/instant";
import { SEVERITIES, severityRank, type Severity } from "./values/common";

export { SEVERITIES, severityRank, type Severity };
export const severitySchema = z.enum(SEVERITIES);

/**
 * A real instant (see `parseInstant`): ISO-8601 with an offset, epoch milliseconds or epoch
 * seconds, as a number or a string of digits; normalized to epoch milliseconds. Whether it falls
 * inside what Vigil stores is the ingest's check (`outsideWindow`), which knows the clock.
 */
export const timeSchema = z.union([z.number(), z.string().max(64)]).transform((value, ctx) => {
  const r = parseInstant(value);
  if (r.ok) return r.ms;
  ctx.addIssue({ code: "custom", message: r.reason });
  return z.NEVER;
});

/** An IPv4 or IPv6 address in any spelling, stored in one canonical form (see `canonicalIp`). */
export const ipSchema = z
  .string({ error: "expected an IPv4 or IPv6 address" })
  .max(64, "expected an IPv4 or IPv6 address")
  .transform((value, ctx) => {
    const ip = canonicalIp(value);
    if (ip) return ip;
    ctx.addIssue({ code: "custom", message: `not an IPv4 or IPv6 address: ${JSON.stringify(value.slice(0, 64))}` });
    return z.NEVER;
  });

/** A query parameter holding a whole number in decimal digits (no sign, exponent, hex or spaces). */
export const decimalParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,16}$/, "expected a whole number in decimal digits")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** One-line description of a zod error, naming the field: `severity: expected one of ...`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ")
    .slice(0, 300);
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}
