import { afterEach, describe, expect, it } from "vitest";
import { cleanText, createLogger, getLogger, isClientAbort, requestIdOf, setLogger, stampRequestId, type LogLevel } from "./logging";
import { routeConsoleToLogger } from "./logging-console";
import { betterAuthLogger } from "./logging-better-auth";
import { loggedRequest, logRouteFailure } from "./logging-request";

/** A logger writing into an array: one entry per write, as pino writes one line per call. */
function capture(level: LogLevel = "debug") {
  const writes: string[] = [];
  const logger = createLogger({ level, destination: { write: (s: string) => void writes.push(s) } });
  const lines = () => writes.map((w) => JSON.parse(w) as Record<string, unknown>);
  return { logger, writes, lines };
}

const HOSTILE = "admin\n{\"level\":\"error\",\"msg\":\"forged\"}\r\n\u001b[31mRED\u001b[0m\u0007\u2028tail";

afterEach(() => setLogger(undefined));

describe("attacker-controlled text in the log", () => {
  it("cleanText turns line breaks, ANSI escapes and other controls into visible escapes", () => {
    const out = cleanText(HOSTILE);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(out).toContain("\\x0a");
    expect(out).toContain("\\x1b[31mRED");
    expect(out).toContain("\\u2028");
  });

  it("cleanText cuts long text and says how much was dropped", () => {
    expect(cleanText("x".repeat(5000), 100)).toBe(`${"x".repeat(100)}…(4900 more)`);
  });

  it("a message and top-level fields carrying line breaks and escapes stay one line, with no raw control character", () => {
    const { logger, writes, lines } = capture();
    logger.warn({ user: HOSTILE }, `sign-in refused for ${HOSTILE}`);
    logger.info("formatted %s", HOSTILE);
    expect(writes).toHaveLength(2);
    for (const w of writes) {
      expect(w.trimEnd().split("\n")).toHaveLength(1);
      // JSON escapes would already hide them from the file; the decoded text is clean as well
      expect(w).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    }
    const [first, second] = lines();
    expect(first.msg).not.toMatch(/[\u0000-\u001f]/);
    expect(first.user).not.toMatch(/[\u0000-\u001f]/);
    expect(first.msg).toContain("\\x1b[31mRED");
    expect(second.msg).toContain("formatted admin\\x0a");
    expect(first.level).toBe("warn");
    expect(typeof first.time).toBe("string");
  });

  it("respects the level: debug lines are dropped at info", () => {
    const { logger, writes } = capture("info");
    logger.debug("hidden");
    logger.info("shown");
    expect(writes.map((w) => JSON.parse(w).msg)).toEqual(["shown"]);
  });
});

describe("request ids", () => {
  function fakeExchange(headers: Record<string, string>) {
    const set: Record<string, string> = {};
    const req = { headers: { ...headers } } as unknown as Parameters<typeof stampRequestId>[0];
    const res = { setHeader: (name: string, value: string) => void (set[name.toLowerCase()] = value) };
    return { req, res, set };
  }

  it("ignores the client's X-Request-Id, stamps a fresh one on the request and sends it back", () => {
    const { req, res, set } = fakeExchange({ "x-request-id": "forged\nid" });
    const id = stampRequestId(req, res);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(req.headers["x-request-id"]).toBe(id);
    expect(set["x-request-id"]).toBe(id);
  });

  it("gives every request its own id", () => {
    const ids = new Set(Array.from({ length: 50 }, () => stampRequestId(fakeExchange({}).req, fakeExchange({}).res)));
    expect(ids.size).toBe(50);
  });

  it("route handlers take the stamped id, and make one when a request never passed the server", () => {
    const stamped = "0b5c2a52-2d8e-4d2a-9c33-5b0a7a1e4f10";
    expect(requestIdOf(new Headers({ "x-request-id": stamped }))).toBe(stamped);
    const made = requestIdOf(new Headers({ "x-request-id": "not-an-id\u001b" }));
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    expect(made).not.toBe("not-an-id\u001b");
  });

  it("writes one line per API request with method, path, status, duration, actor and request id", async () => {
    const { logger, lines } = capture("info");
    setLogger(logger);
    const id = "6f1d0c8e-6a43-4f53-9b1e-3c3e2f0b9a77";
    const res = await loggedRequest(new Request("http://vigil.test/api/v1/events?x=1", { method: "POST", headers: { "x-request-id": id, "x-vigil-remote-addr": "203.0.113.9" } }), async (seen) => {
      seen.actor = "key:sensor-1";
      return new Response(null, { status: 202 });
    });
    expect(res.status).toBe(202);
    const [line] = lines();
    expect(line).toMatchObject({ level: "info", msg: "api request", reqId: id, method: "POST", path: "/api/v1/events", status: 202, actor: "key:sensor-1", ip: "203.0.113.9" });
    expect(typeof line.ms).toBe("number");
  });

  it("logs probe requests (/healthz, /readyz, /metrics) at debug, not info", async () => {
    const { logger, lines } = capture("info");
    setLogger(logger);
    await loggedRequest(new Request("http://vigil.test/readyz"), async () => new Response("{}"));
    expect(lines()).toEqual([]);
  });
});

describe("client aborts", () => {
  it("recognises a reset or aborted request, also as the cause of another error", () => {
    expect(isClientAbort(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(true);
    expect(isClientAbort(new Error("aborted"))).toBe(true);
    expect(isClientAbort(new TypeError("terminated", { cause: Object.assign(new Error("other side closed"), { code: "ECONNRESET" }) }))).toBe(true);
    expect(isClientAbort(new Error("SQLITE_BUSY"))).toBe(false);
  });

  /** a request through the wrapper whose handler fails with `error` (the wrapper answers 500) */
  const failing = (error: Error) => {
    const req = new Request("http://vigil.test/api/v1/events", { method: "POST" });
    return loggedRequest(req, async (seen) => {
      logRouteFailure(req, seen, error);
      return new Response(null, { status: 500 });
    });
  };

  it("is one debug line without a stack, and no request line at info", async () => {
    const { logger, lines } = capture("debug");
    setLogger(logger);
    await failing(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ level: "debug", msg: "client aborted the request", method: "POST", path: "/api/v1/events" });
    expect(JSON.stringify(lines()[0])).not.toContain("stack");
  });

  it("a real failure is an error with its stack, besides the request line", async () => {
    const { logger, lines } = capture("debug");
    setLogger(logger);
    await failing(new Error("disk I/O error"));
    const [fault, request] = lines();
    expect(fault).toMatchObject({ level: "error", msg: "request failed" });
    expect((fault.err as { stack: string }).stack).toContain("disk I/O error");
    expect(request).toMatchObject({ level: "info", msg: "api request", status: 500, reqId: fault.reqId });
  });
});

describe("better-auth's logger", () => {
  it("turns a refused caller (an APIError below 500, a bad origin) into a debug line, cleaned", () => {
    const { logger, lines } = capture("debug");
    const auth = betterAuthLogger(() => logger);
    auth.log("error", `Invalid origin: https://evil.example\n\u001b[31mERROR forged`);
    auth.log("error", "Invalid email or password", Object.assign(new Error("Invalid email or password"), { statusCode: 401 }));
    expect(lines().map((l) => [l.level, l.component])).toEqual([
      ["debug", "better-auth"],
      ["debug", "better-auth"],
    ]);
    expect(lines()[0].msg).toBe("Invalid origin: https://evil.example\\x0a\\x1b[31mERROR forged");
  });

  it("keeps a real fault (an exception, a 500) as an error with the error attached", () => {
    const { logger, lines } = capture("debug");
    betterAuthLogger(() => logger).log("error", "INTERNAL_SERVER_ERROR", Object.assign(new Error("no such table: session"), { statusCode: 500 }));
    betterAuthLogger(() => logger).log("error", "TypeError", new TypeError("x is undefined"));
    expect(lines().map((l) => l.level)).toEqual(["error", "error"]);
    expect((lines()[0].err as { message: string }).message).toBe("no such table: session");
  });

  it("asks better-auth for debug messages only when Vigil logs at debug (errors only at info), and never for colours", () => {
    expect(betterAuthLogger(() => capture("info").logger)).toMatchObject({ level: "error", disableColors: true });
    expect(betterAuthLogger(() => capture("debug").logger).level).toBe("debug");
  });
});

describe("console", () => {
  it("console.* goes through the JSON logger (an Error as err, an abort as debug)", () => {
    const saved = { error: console.error, warn: console.warn, log: console.log, info: console.info, debug: console.debug };
    const { logger, lines } = capture("debug");
    try {
      routeConsoleToLogger(logger);
      console.log("ready in %dms", 12);
      console.error("render failed:", new Error("boom"));
      console.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
    } finally {
      Object.assign(console, saved);
    }
    const [log, error, abort] = lines();
    expect(lines()).toHaveLength(3);
    expect(log).toMatchObject({ level: "info", msg: "ready in 12ms", component: "console" });
    expect(error).toMatchObject({ level: "error", msg: "render failed:" });
    expect((error.err as { message: string }).message).toBe("boom");
    expect(abort.level).toBe("debug");
  });

  it("better-auth's own coloured ERROR lines (written outside its logger option) become plain debug lines", () => {
    // every method routeConsoleToLogger replaces: the worker runs further test files after this one
    const saved = { error: console.error, warn: console.warn, log: console.log, info: console.info, debug: console.debug };
    const { logger, lines } = capture("debug");
    try {
      routeConsoleToLogger(logger);
      console.error("\u001b[2m2026-12-01T07:29:52.539Z\u001b[0m \u001b[31mERROR\u001b[0m \u001b[1m[Better Auth]:\u001b[0m Invalid origin");
    } finally {
      Object.assign(console, saved);
    }
    expect(lines()).toEqual([expect.objectContaining({ level: "debug", component: "better-auth", msg: "Invalid origin" })]);
  });

  it("the process-wide logger is shared through globalThis (route handlers' bundle sees the server's)", () => {
    const { logger } = capture();
    setLogger(logger);
    const key = Symbol.for("vigil.logger");
    expect((globalThis as Record<symbol, unknown>)[key]).toBe(logger);
    expect(getLogger()).toBe(logger);
  });
});
