// The check types and their common face. A push check has no runner: see PushMonitor.
import type { Check, CheckEnv } from "./check";
import { dnsCheck } from "./dns";
import { httpCheck } from "./http";
import { icmpCheck, type PingOptions } from "./icmp";
import type { CheckSpec } from "./spec";
import { tcpCheck } from "./tcp";
import { tlsCheck } from "./tls";

export * from "./check";
export * from "./spec";
export { PushMonitor, PushRegistry, newPushToken, type PushInput, type PushSettings } from "./push";
export { httpCheck, dnsCheck, tcpCheck, tlsCheck, icmpCheck };

/** The runner for parsed settings (`checkSpecSchema`), or null for a push check, which has none. */
export function createCheck(spec: CheckSpec, env?: CheckEnv, ping?: PingOptions): Check | null {
  switch (spec.type) {
    case "http":
      return httpCheck(spec, env);
    case "tcp":
      return tcpCheck(spec, env);
    case "dns":
      return dnsCheck(spec, env);
    case "tls":
      return tlsCheck(spec, env);
    case "icmp":
      return icmpCheck(spec, ping);
    case "push":
      return null;
  }
}
