// The parse worker's entry (server/security/parse-pool.ts starts it): native uploads parsed off the
// main thread. Parsing is pure (bytes → outcomes), so nothing here touches the database or the hub.
import { parentPort } from "node:worker_threads";
import { BodyError } from "../ingest/body";
import { parseUpload } from "./formats";
import type { ParseJob, ParseReply } from "./parse-pool";

parentPort!.on("message", (job: ParseJob) => {
  let reply: ParseReply;
  try {
    reply = { id: job.id, outcomes: parseUpload(job.format, job.bytes, job.contentType, job.ctx) };
  } catch (error) {
    reply =
      error instanceof BodyError
        ? { id: job.id, bodyError: { status: error.status, code: error.code, message: error.message } }
        : { id: job.id, failure: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
