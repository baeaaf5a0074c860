import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { format } from "node:util";
import pino, { type DestinationStream, type Logger, type LevelWithSilent } from "pino";

export type { Logger } from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const satisfies readonly LevelWithSilent[];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The header carrying the request id: set by the custom server on every request and answer. */
export const REQUEST_ID_HEADER = "x-request-id";

/**
 * The process-wide logger lives on globalThis: Next bundles route handlers with their own copy of
 * this module, and a module-level variable would give them a second, unconfigured logger.
 */
const KEY = Symbol.for("vigil.logger");
type Registry = typeof globalThis & { [KEY]?: Logger };

// C0 controls (CR, LF, ESC…), DEL, C1 controls, and the Unicode line/paragraph separators and
// bidi overrides that can make one log line look like two or reorder what a reader sees
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for a log line: control characters, ANSI escapes and line breaks become visible `\xNN` /
 * `\uNNNN` escapes, so attacker-controlled text can neither start a fake line nor colour a
 * terminal; long text is cut at `max` characters with a marker.
 */
export function cleanText(value: unknown, max = 2048): string {
  const text = typeof value === "string" ? value : String(value);
  const cut = text.length > max ? `${text.slice(0, max)}…(${text.length - max} more)` : text;
  return cut.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * A JSON logger: one object per line, ISO time, and every message string and top-level string
 * field passed through `cleanText`. Without a destination it writes to standard output.
 */
export function createLogger(options: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "vigil", pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => {
          for (const [key, value] of Object.entries(object)) if (typeof value === "string") object[key] = cleanText(value);
          return object;
        },
      },
      hooks: {
        // format (%s, %d) first, then clean the finished message
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          if (typeof first === "string") return method.call(this, cleanText(rest.length ? format(first, ...rest) : first, 8192));
          if (typeof rest[0] === "string") return method.call(this, first as object, cleanText(format(...(rest as [string, ...unknown[]])), 8192));
          return method.apply(this, args);
        },
      },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination,
  );
}

/** Installs the process-wide logger (the custom server does this at boot). */
export function setLogger(logger: Logger | undefined): void {
  (globalThis as Registry)[KEY] = logger;
}

/**
 * The process-wide logger. When no server installed one (the CLI, unit tests, a route imported on
 * its own), one is made from VIGIL_LOG_LEVEL (default `info`; tests default to `silent`) writing
 * to standard error, so it never mixes into a command's output (`KEY=$(npm run -s vigil -- key create …)`).
 */
export function getLogger(): Logger {
  const registry = globalThis as Registry;
  if (!registry[KEY]) {
    const wanted = process.env.VIGIL_LOG_LEVEL;
    const level = isLogLevel(wanted) ? wanted : process.env.VITEST ? "silent" : "info";
    registry[KEY] = createLogger({ level, destination: pino.destination({ fd: 2, sync: true }) });
  }
  return registry[KEY];
}

/** A fresh request id: the client's own is never used, so it cannot forge or collide one. */
export function newRequestId(): string {
  return randomUUID();
}

/**
 * Gives an HTTP request its id: any copy sent by the client is dropped, a new one is put on the
 * request (where route handlers read it) and on the answer as `X-Request-Id`.
 */
export function stampRequestId(req: IncomingMessage, res: { setHeader(name: string, value: string): unknown }): string {
  const id = newRequestId();
  req.headers[REQUEST_ID_HEADER] = id;
  res.setHeader("X-Request-Id", id);
  return id;
}

/** The id the custom server stamped on a (Fetch API) request; a fresh one outside the server. */
export function requestIdOf(headers: Headers): string {
  const id = headers.get(REQUEST_ID_HEADER);
  // the custom server always overwrites the header; only a well-formed id is taken as given
  return id && /^[0-9a-f-]{36}$/.test(id) ? id : newRequestId();
}

const ABORT_CODES = new Set(["ECONNRESET", "ECONNABORTED", "EPIPE", "ERR_STREAM_PREMATURE_CLOSE", "ERR_STREAM_DESTROYED", "UND_ERR_ABORTED"]);

/** Whether an error only says the client went away mid-request (logged as one debug line, no stack). */
export function isClientAbort(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === "string" && ABORT_CODES.has(code)) return true;
    if (name === "AbortError" || name === "ResponseAborted") return true;
    if (message === "aborted" || message === "socket hang up") return true;
  }
  return false;
}
