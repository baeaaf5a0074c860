import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { BodyError } from "../ingest/body";
import type { NativeFormat } from "./content-types";
import type { NumberedOutcome } from "./ingest";
import type { ParseContext } from "./types";

/** One upload to parse, as posted to the worker. */
export interface ParseJob {
  id: number;
  format: NativeFormat;
  bytes: Uint8Array;
  contentType: string | null;
  ctx: ParseContext;
}

/** The worker's answer: the outcomes, or the request's refusal (BodyError), or a failure. */
export type ParseReply =
  | { id: number; outcomes: NumberedOutcome[]; bodyError?: undefined; failure?: undefined }
  | { id: number; bodyError: { status: 400 | 413 | 415; code: string; message: string }; outcomes?: undefined; failure?: undefined }
  | { id: number; failure: string; outcomes?: undefined; bodyError?: undefined };

interface Pending {
  job: ParseJob;
  resolve: (outcomes: NumberedOutcome[]) => void;
  reject: (error: Error) => void;
}

/** Uploads handed to the worker at once: one parsing and one waiting, so it never idles and the rest wait here as bytes. */
const IN_WORKER = 2;

/**
 * Parses native uploads (server/security/formats.ts parseUpload) on one worker thread, so that the
 * event loop spends an upload's time only on storing it: while it stores one upload, the worker
 * parses the next. Parsing is pure, so this changes no answer and no guarantee: the rows are still
 * written in one transaction on the main thread, and a request is answered after its commit. A
 * request refused while parsing (415, 413, 400) throws the same BodyError as parsing in place.
 * A worker that dies fails the uploads it held (500) and is started again for the next one.
 */
export class ParsePool {
  private worker: Worker | null = null;
  private readonly queue: Pending[] = [];
  private readonly inWorker = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly maxHeapMb = 256) {}

  parse(format: NativeFormat, bytes: Uint8Array, contentType: string | null, ctx: ParseContext): Promise<NumberedOutcome[]> {
    if (this.closed) return Promise.reject(new Error("the parse worker is stopped"));
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { id: this.nextId++, format, bytes, contentType, ctx }, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker; uploads not yet parsed fail. */
  async stop(): Promise<void> {
    this.closed = true;
    this.failAll(new Error("the parse worker is stopped"));
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private pump(): void {
    while (this.queue.length && this.inWorker.size < IN_WORKER) {
      const p = this.queue.shift()!;
      this.inWorker.set(p.job.id, p);
      this.start().postMessage(p.job);
    }
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerEntry(), { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } });
    worker.unref();
    worker.on("message", (reply: ParseReply) => this.settle(reply));
    worker.on("error", (error) => this.died(worker, error));
    worker.on("exit", (code) => this.died(worker, new Error(`the parse worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: ParseReply): void {
    const p = this.inWorker.get(reply.id);
    if (!p) return;
    this.inWorker.delete(reply.id);
    if (reply.outcomes) p.resolve(reply.outcomes);
    else if (reply.bodyError) p.reject(new BodyError(reply.bodyError.status, reply.bodyError.code, reply.bodyError.message));
    else p.reject(new Error(`parsing failed: ${reply.failure}`));
    this.pump();
  }

  private died(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    for (const p of this.inWorker.values()) p.reject(error);
    this.inWorker.clear();
    if (!this.closed) this.pump();
  }

  private failAll(error: Error): void {
    for (const p of [...this.inWorker.values(), ...this.queue]) p.reject(error);
    this.inWorker.clear();
    this.queue.length = 0;
  }
}

/**
 * The worker's script: beside the server bundle in production (.next/vigil/parse-worker.mjs, made
 * by scripts/ensure-build.mjs), else the TypeScript source, loaded through tsx's loader (dev
 * server, tests): a worker does not inherit the loader, and `--import tsx` in its execArgv is not
 * applied, so a small module registers it first.
 */
function workerEntry(): URL {
  const self = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(self).pathname)) return new URL("./parse-worker.mjs", self);
  // require's resolution gives the CommonJS build (index.cjs); its ES module sits beside it
  const tsx = pathToFileURL(createRequire(self).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const source = new URL("./parse-worker.ts", self).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}
