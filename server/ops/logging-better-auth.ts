import { getLogger, type Logger } from "./logging";

type AuthLevel = "debug" | "info" | "warn" | "error";

/** The shape of better-auth 1.7's `logger` option (`Logger` in @better-auth/core/env). */
export interface BetterAuthLoggerOptions {
  level: Exclude<AuthLevel, "info">;
  disableColors: true;
  log: (level: AuthLevel, message: string, ...args: unknown[]) => void;
}

/** A failure of the server itself, as opposed to better-auth refusing a caller (an APIError below 500). */
function serverFault(arg: unknown): arg is Error {
  if (!(arg instanceof Error)) return false;
  const status = (arg as { statusCode?: unknown }).statusCode;
  return typeof status !== "number" || status >= 500;
}

/**
 * better-auth's logger routed into Vigil's JSON log. better-auth reports every refused request
 * (wrong password, bad origin, no session) at its `error` level with the caller's text in the
 * message; those are debug lines here, since the API request line already records the status
 * and Vigil records failed sign-ins itself. A real fault (an exception, a 500) stays an error.
 */
export function betterAuthLogger(logger: () => Logger = getLogger): BetterAuthLoggerOptions {
  let child: Logger | undefined;
  const log = () => (child ??= logger().child({ component: "better-auth" }));
  return {
    // at info, nothing below its errors: its warnings are per failed sign-in ("Invalid password"),
    // which Vigil records itself (audit log, security pane)
    level: logger().isLevelEnabled("debug") ? "debug" : "error",
    disableColors: true,
    log: (level, message, ...args) => {
      const fault = args.find(serverFault);
      const detail = args.filter((a) => a !== fault && a !== undefined);
      const fields = { ...(fault ? { err: fault } : {}), ...(detail.length ? { detail: detail.map((d) => (d instanceof Error ? d.message : d)) } : {}) };
      if (level === "error") return fault ? log().error(fields, message) : log().debug(fields, message);
      log()[level](fields, message);
    },
  };
}
