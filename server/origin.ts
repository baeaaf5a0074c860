// No imports: route handlers (bundled by Next) and the socket server both use this.

/**
 * Which names Vigil answers to, and which pages count as its own. Built once from the settings
 * (VIGIL_PUBLIC_URL, VIGIL_ALLOWED_HOSTS, the bind address and port), never from the request:
 * a page on `attacker.example` that rebinds its name to 127.0.0.1 sends `Host: attacker.example`
 * and is refused, and its Origin never matches.
 */
export interface HostPolicy {
  /** host names (lower case, IPv6 without brackets) a request's Host header may name */
  hostnames: ReadonlySet<string>;
  /** origins (scheme://host[:port]) whose pages may send state-changing requests */
  origins: ReadonlySet<string>;
  /** whether an IP-literal Host is accepted (no name to rebind) */
  ipLiterals: boolean;
  /** the scheme Vigil itself serves (https with TLS_CERT), for pages loaded from an IP literal */
  scheme: "http" | "https";
}

export interface HostPolicyInput {
  publicUrl?: string;
  /** names, `name:port` or full origins */
  allowedHosts?: readonly string[];
  /** the bind address (HOST) */
  bindHost: string;
  port: number;
  tls: boolean;
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];

export const isLoopbackHost = (host: string) => host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);

const stripBrackets = (h: string) => (h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h);
const isIpLiteral = (h: string) => /^\d+\.\d+\.\d+\.\d+$/.test(h) || h.includes(":");

/** The policy for the given settings. Loopback names are allowed when Vigil is bound to loopback. */
export function buildHostPolicy(input: HostPolicyInput): HostPolicy {
  const scheme: HostPolicy["scheme"] = input.tls || input.publicUrl?.startsWith("https:") ? "https" : "http";
  const hostnames = new Set<string>();
  const origins = new Set<string>();
  const add = (entry: string) => {
    const url = new URL(/^[a-z]+:\/\//i.test(entry) ? entry : `${scheme}://${entry.includes(":") && !entry.includes("]") && entry.split(":").length > 2 ? `[${entry}]` : entry}`);
    hostnames.add(stripBrackets(url.hostname.toLowerCase()));
    if (/^[a-z]+:\/\//i.test(entry) || url.port) origins.add(url.origin);
    else {
      origins.add(new URL(`${scheme}://${url.host}:${input.port}`).origin);
      origins.add(url.origin); // behind a proxy on the scheme's default port
    }
  };
  if (input.publicUrl) add(input.publicUrl);
  for (const h of input.allowedHosts ?? []) add(h);
  if (isLoopbackHost(input.bindHost)) for (const h of LOOPBACK_NAMES) add(h.includes(":") ? `[${h}]` : h);
  // a concrete bind address is reachable by its literal; a wildcard bind by any interface's
  const wildcard = input.bindHost === "0.0.0.0" || input.bindHost === "::";
  if (!wildcard && !isLoopbackHost(input.bindHost)) add(isIpLiteral(input.bindHost) && input.bindHost.includes(":") ? `[${input.bindHost}]` : input.bindHost);
  return { hostnames, origins, ipLiterals: true, scheme: input.tls ? "https" : "http" };
}

/** The host name of a Host header (port and IPv6 brackets removed, lower case), or null if malformed. */
export function hostnameOf(hostHeader: string | null | undefined): string | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/.exec(hostHeader ?? "");
  return m && m[1].length <= 253 ? stripBrackets(m[1].toLowerCase()) : null;
}

/**
 * Whether a request's Host header names Vigil. Any IP literal is accepted: DNS rebinding needs a
 * name the attacker controls, and a literal is no such name.
 */
export function hostAllowed(policy: HostPolicy, hostHeader: string | null | undefined): boolean {
  const name = hostnameOf(hostHeader);
  if (!name) return false;
  return policy.hostnames.has(name) || (policy.ipLiterals && isIpLiteral(name));
}

/**
 * Whether a browser's Origin is one of Vigil's own: scheme, host and port compared with the
 * configured origins, never with a name from the request. A page loaded from an IP literal is
 * Vigil's own when its origin is exactly the address this request was sent to (no name, so no
 * rebinding). No Origin means the caller is not a page.
 */
export function originAllowed(policy: HostPolicy, origin: string | null | undefined, hostHeader?: string | null): boolean {
  if (!origin) return true;
  try {
    const url = new URL(origin);
    if (policy.origins.has(url.origin)) return true;
    const name = stripBrackets(url.hostname);
    return policy.ipLiterals && isIpLiteral(name) && !!hostHeader && url.host === hostHeader.toLowerCase() && url.protocol === `${policy.scheme}:`;
  } catch {
    return false;
  }
}

/** The policy in force; index.ts replaces it once the listening port is known. */
export interface HostPolicyHolder {
  current: HostPolicy;
}

/** Origins a page may have to be Vigil's own, for a request with this Host header (better-auth's trustedOrigins). */
export function trustedOrigins(policy: HostPolicy, hostHeader: string | null | undefined): string[] {
  const own = [...policy.origins];
  const name = hostnameOf(hostHeader);
  if (policy.ipLiterals && name && isIpLiteral(name)) own.push(`${policy.scheme}://${hostHeader!.toLowerCase()}`);
  return own;
}
