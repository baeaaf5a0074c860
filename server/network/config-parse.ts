// Parsing the nodes file off the event loop: a file larger than a few pages is parsed and checked
// on a worker thread (config-worker.ts), a small one in place (a worker's start costs more).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { parseConfig, type ConfigParse } from "./config";

/** What the worker is given: the file's text, its name (for problems) and the keys known outside it. */
export interface ConfigParseJob {
  text: string;
  file: string;
  known: string[];
}

/** Files of at least this many bytes are parsed on a worker (about 70 nodes; in place that is under ~20 ms). */
export const OFF_THREAD_BYTES = 16 * 1024;

/**
 * parseConfig, on a worker thread when the text is at least `offThreadBytes` long. Same answer as
 * in place; a worker that fails (cannot start, dies) is an error the caller reports, never a
 * half-read file.
 */
export async function parseConfigOffThread(text: string, file: string, known: readonly string[], offThreadBytes = OFF_THREAD_BYTES): Promise<ConfigParse> {
  if (Buffer.byteLength(text) < offThreadBytes) {
    const set = new Set(known);
    return parseConfig(text, file, (key) => set.has(key));
  }
  const job: ConfigParseJob = { text, file, known: [...known] };
  const worker = new Worker(workerEntry(), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 256 } });
  try {
    return await new Promise<ConfigParse>((resolve, reject) => {
      worker.once("message", (reply: { parsed?: ConfigParse; failure?: string }) => (reply.parsed ? resolve(reply.parsed) : reject(new Error(`parsing ${file} failed: ${reply.failure}`))));
      worker.once("error", (error) => reject(new Error(`parsing ${file} failed: ${error.message}`)));
      worker.once("exit", (code) => reject(new Error(`parsing ${file} failed: its worker stopped (exit code ${code})`)));
    });
  } finally {
    void worker.terminate();
  }
}

/**
 * The worker's script: beside the server bundle in production (.next/vigil/config-worker.mjs, made
 * by scripts/ensure-build.mjs), else the TypeScript source through tsx's loader (tests, dev), as
 * server/security/parse-pool.ts does.
 */
function workerEntry(): URL {
  const self = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(self).pathname)) return new URL("./config-worker.mjs", self);
  const tsx = pathToFileURL(createRequire(self).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const source = new URL("./config-worker.ts", self).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}
