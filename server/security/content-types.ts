/** The formats with their own endpoint under /api/v1/ingest/. */
export type NativeFormat = "suricata" | "fast" | "syslog" | "transactions";

const TEXT = ["text/plain", "application/octet-stream"];
const NDJSON = ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/jsonlines", "application/x-jsonlines"];

/** Content-Types each endpoint reads (anything else is 415). */
export const ACCEPTED_TYPES: Record<NativeFormat, string[]> = {
  suricata: [...NDJSON, "application/json", ...TEXT],
  // Snort 3's alert_json is NDJSON, read line by line beside fast.log and alert_csv
  fast: [...TEXT, ...NDJSON],
  // journalctl -o json and NXLog's to_json() records are read line by line as syslog is
  syslog: [...TEXT, ...NDJSON],
  transactions: ["application/json", ...NDJSON, "text/csv"],
};

