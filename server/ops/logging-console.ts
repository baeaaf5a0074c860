import { format } from "node:util";
import { isClientAbort, type Logger } from "./logging";
import { betterAuthLogger } from "./logging-better-auth";

// SGR colour sequences, as better-auth's fallback logger writes them
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
/** better-auth's own line format: `<time> LEVEL [Better Auth]: message` */
const BETTER_AUTH_LINE = /^\S+ (DEBUG|INFO|SUCCESS|WARN|ERROR) \[Better Auth\]: ([\s\S]*)$/;

/**
 * Sends `console.*` (Next's own messages, libraries) through the logger, so the whole process
 * speaks JSON. An Error argument becomes `err` (a client abort drops to one debug line).
 * better-auth writes some refusals with its own coloured console logger, outside the `logger`
 * option's reach; those lines are recognised and given the same levels as the option's.
 */
export function routeConsoleToLogger(logger: Logger): void {
  const child = logger.child({ component: "console" });
  const auth = betterAuthLogger(() => logger);
  const to = (level: "error" | "warn" | "info" | "debug") => (...args: unknown[]) => {
    const err = args.find((a): a is Error => a instanceof Error);
    if (typeof args[0] === "string" && args[0].includes("[Better Auth]")) {
      const line = BETTER_AUTH_LINE.exec(args[0].replace(ANSI, ""));
      if (line) {
        const authLevel = line[1] === "SUCCESS" ? "info" : (line[1].toLowerCase() as "debug" | "info" | "warn" | "error");
        return auth.log(authLevel, line[2], ...args.slice(1));
      }
    }
    const message = format(...args.filter((a) => a !== err)).replace(ANSI, "");
    if (err && isClientAbort(err)) return child.debug({ abort: err.message }, message || "client aborted the request");
    if (err) return child[level]({ err }, message || err.message);
    child[level](message);
  };
  console.error = to("error");
  console.warn = to("warn");
  console.log = to("info");
  console.info = to("info");
  console.debug = to("debug");
}
