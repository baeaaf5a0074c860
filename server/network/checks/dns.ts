import { promises as dns } from "node:dns";
import { canonicalIp } from "../../../lib/net/ip";
import { downResult, elapsed, errorText, guarded, systemCheckEnv, upResult, type Check, type CheckEnv } from "./check";
import { parseResolverAddress, type DnsCheckSpec, type DnsRecordType } from "./spec";

const DNS_ERRORS: Record<string, string> = {
  ENOTFOUND: "the name does not exist (NXDOMAIN)",
  ENODATA: "the name has no records of this type",
  ESERVFAIL: "the DNS server failed (SERVFAIL)",
  EREFUSED: "the DNS server refused the query (REFUSED)",
  ETIMEOUT: "the DNS server did not answer in time",
  ECONNREFUSED: "the DNS server refused the connection",
  EBADRESP: "the DNS answer was malformed",
};
const MAX_ANSWERS = 32;

/**
 * A DNS check: asks one resolver (`server`, else the system's) for one record type and compares
 * the answers with `expected` (all present, any present, or exactly these). Each run has its own
 * resolver, so nothing is answered from a cache of an earlier run.
 */
export function dnsCheck(spec: DnsCheckSpec, env: CheckEnv = systemCheckEnv): Check {
  const address = spec.server === undefined ? null : parseResolverAddress(spec.server);
  const server = address ? (address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`) : null;
  const expected = (spec.expected ?? []).map((e) => normalize(spec.record_type, e));
  return {
    type: "dns",
    run: (signal) =>
      guarded(signal, async () => {
        const resolver = new dns.Resolver({ timeout: spec.timeout_ms, tries: 1 });
        if (server) resolver.setServers([server]);
        const onAbort = () => resolver.cancel();
        signal.addEventListener("abort", onAbort, { once: true });
        const start = env.monotonic();
        const base = { record_type: spec.record_type, server };
        try {
          const answers = (await query(resolver, spec.name, spec.record_type)).slice(0, MAX_ANSWERS);
          const latency = elapsed(env, start);
          const details = { ...base, answers };
          if (answers.length === 0) return downResult("no answers", latency, details);
          const missing = expected.filter((e) => !answers.some((a) => same(spec.record_type, a, e)));
          const extra = answers.filter((a) => !expected.some((e) => same(spec.record_type, a, e)));
          const shown = `got ${answers.join(", ")}`;
          if (spec.match === "all" && missing.length > 0) return downResult(`expected ${missing.join(", ")} among the answers; ${shown}`, latency, details);
          if (spec.match === "any" && expected.length > 0 && missing.length === expected.length) return downResult(`expected one of ${expected.join(", ")}; ${shown}`, latency, details);
          if (spec.match === "exact" && (missing.length > 0 || extra.length > 0)) return downResult(`expected exactly ${expected.join(", ")}; ${shown}`, latency, details);
          return upResult(latency, details);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? "";
          const latency = code === "ECANCELLED" || code === "ETIMEOUT" ? null : elapsed(env, start);
          return downResult(DNS_ERRORS[code] ? `${DNS_ERRORS[code]} for ${spec.record_type} ${spec.name}` : errorText(error), latency, base);
        } finally {
          signal.removeEventListener("abort", onAbort);
        }
      }),
  };
}

async function query(resolver: dns.Resolver, name: string, type: DnsRecordType): Promise<string[]> {
  switch (type) {
    case "A":
      return (await resolver.resolve4(name)).map((ip) => canonicalIp(ip) ?? ip);
    case "AAAA":
      return (await resolver.resolve6(name)).map((ip) => canonicalIp(ip) ?? ip);
    case "CNAME":
      return (await resolver.resolveCname(name)).map(hostName);
    case "NS":
      return (await resolver.resolveNs(name)).map(hostName);
    case "MX":
      return (await resolver.resolveMx(name)).sort((a, b) => a.priority - b.priority).map((mx) => `${mx.priority} ${hostName(mx.exchange)}`);
    case "TXT":
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(""));
  }
}

function hostName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}
function normalize(type: DnsRecordType, text: string): string {
  const t = text.trim();
  if (type === "A" || type === "AAAA") return canonicalIp(t) ?? t;
  if (type === "CNAME" || type === "NS") return hostName(t);
  if (type === "MX") {
    const m = /^(\d+)\s+(\S+)$/.exec(t);
    return m ? `${Number(m[1])} ${hostName(m[2])}` : hostName(t);
  }
  return text;
}
/** An expected MX without a priority matches the exchange at any priority. */
function same(type: DnsRecordType, answer: string, expected: string): boolean {
  if (answer === expected) return true;
  return type === "MX" && !/^\d+ /.test(expected) && answer.slice(answer.indexOf(" ") + 1) === expected;
}
