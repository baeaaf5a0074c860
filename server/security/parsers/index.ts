// The native ingest parsers: pure functions from one line (or object) to an event, a skip or a
// rejection with its reason. Masking of card numbers happens inside, before anything leaves.
export { parseEveLine } from "./eve";
export { parseFastLine } from "./fast";
export { parseSyslogLine } from "./syslog";
export { parseTransactionRecord, parseTransactionLine, parseTransactionCsv, transactionCsvParser, CSV_COLUMNS } from "./transactions";
export { MAX_LINE_BYTES, MAX_RAW_BYTES } from "./common";
