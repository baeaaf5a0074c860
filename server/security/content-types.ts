/** The formats with their own endpoint under /api/v1/ingest/. */
export type NativeFormat = "suricata" | "fast" | "syslog" | "transactions";

const TEXT = ["text/plain", "application/octet-stream"];
const NDJSON = ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/jsonlines", "application/x-jsonlines"];
/** RFC 7464 JSON text sequences (`jq --seq`, `journalctl -o json-seq`): each record after an RS byte. */
export const JSON_SEQ = "application/json-seq";

/**
 * Content-Types each endpoint reads (anything else is 415). The first two are the ones a 415 names
 * (server/ingest/body.ts checkContentType): each list starts with its usual ones.
 */
export const ACCEPTED_TYPES: Record<NativeFormat, string[]> = {
  suricata: ["application/x-ndjson", "text/plain", "application/json", JSON_SEQ, ...NDJSON.slice(1), ...TEXT.slice(1)],
  // Snort 3's alert_json is NDJSON, read line by line beside fast.log and alert_csv
  fast: ["text/plain", "application/x-ndjson", JSON_SEQ, ...NDJSON.slice(1), ...TEXT.slice(1)],
  // journalctl -o json (and -o json-seq) and NXLog's to_json() records are read line by line as syslog is
  syslog: ["text/plain", "application/x-ndjson", JSON_SEQ, ...NDJSON.slice(1), ...TEXT.slice(1)],
  transactions: ["text/csv", "application/json", ...NDJSON, JSON_SEQ],
};
