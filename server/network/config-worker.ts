// The nodes file's parse worker (server/network/config-parse.ts starts one per large read): the YAML
// parse and schema check of a file of a thousand nodes take most of a second, and are pure (text →
// nodes or problems), so they run here while the event loop serves the panes.
import { parentPort, workerData } from "node:worker_threads";
import { parseConfig } from "./config";
import type { ConfigParseJob } from "./config-parse";

const job = workerData as ConfigParseJob;
const known = new Set(job.known);
let reply;
try {
  reply = { parsed: parseConfig(job.text, job.file, (key) => known.has(key)) };
} catch (error) {
  reply = { failure: error instanceof Error ? error.message : String(error) };
}
parentPort!.postMessage(reply);
