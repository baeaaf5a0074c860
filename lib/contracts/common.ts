import { z } from "zod";

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

/** Lower is more severe; used for sorting. */
export const severityRank: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** An ISO-8601 string or epoch milliseconds, normalized to epoch milliseconds. */
export const timeSchema = z
  .union([z.number().int().nonnegative(), z.string().max(64)])
  .transform((value, ctx) => {
    const ms = typeof value === "number" ? value : Date.parse(value);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: "custom", message: `not a date: ${JSON.stringify(value).slice(0, 70)}` });
      return z.NEVER;
    }
    return ms;
  });

export const ipSchema = z.union([z.ipv4(), z.ipv6()], { error: "expected an IPv4 or IPv6 address" });

/** One-line description of a zod error, naming the field: `severity: expected one of ...`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}
