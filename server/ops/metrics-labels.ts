/**
 * A coarse, bounded label for an ingest rejection, from its message: the field at fault
 * (`severity: expected one of …` → `severity`, `attributes.x: …` → `attributes`), `json` for a
 * line that is not JSON, `utf8` for invalid UTF-8, `unknown_field` for a field the schema does
 * not know, and `invalid` for anything else. Never the caller's text itself.
 */
export function rejectionReason(error: string): string {
  if (/not valid JSON/i.test(error)) return "json";
  if (/UTF-?8/i.test(error)) return "utf8";
  if (/^unrecognized key/i.test(error)) return "unknown_field";
  const field = /^([A-Za-z_][A-Za-z0-9_]{0,31})(?:[.[][^:]*)?:\s/.exec(error)?.[1];
  return field ? field.toLowerCase() : "invalid";
}
