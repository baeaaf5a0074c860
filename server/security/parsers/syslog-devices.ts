import { portOf } from "./common";
import type { AuthMatch } from "./syslog-sshd";

// Logins to network devices that forward syslog to Vigil: routers, firewalls, VPN gateways.
//
//   Cisco IOS   %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 203.0.113.5] [localport: 22] [Reason: Login Authentication Failed] at …
//               %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: admin] [Source: 10.0.0.9] [localport: 22] at …
//   Cisco ASA   %ASA-6-113005: AAA user authentication Rejected : reason = AAA failure : server = 10.0.0.2 : user = admin : user IP = 203.0.113.5
//               %ASA-6-113015: AAA user authentication Rejected : reason = Invalid password : local database : user = admin : user IP = 203.0.113.5
//               %ASA-6-611102: User authentication failed: IP address: 203.0.113.5, Uname: admin   (the same try: skipped)
//               %ASA-6-605004: Login denied from 203.0.113.5/51234 to outside:10.0.0.1/ssh for user "admin"
//               %ASA-6-605005: Login permitted from 10.0.0.9/51234 to inside:10.0.0.1/ssh for user "admin"
//   FortiGate   … logdesc="Admin login failed" user="admin" srcip=203.0.113.5 action=login status=failed reason="passwd_invalid"
//               … logdesc="SSL VPN login fail" user="bob" remip=203.0.113.5 action="ssl-login-fail" reason="sslvpn_login_permission_denied"
//   Junos       sshd[1234]: SSHD_LOGIN_FAILED: Login failed for user 'root' from host '203.0.113.5'   (read in syslog-sshd.ts)
//               login[1235]: LOGIN_FAILED: Login failed for user root from host 203.0.113.5          (read in syslog-mail.ts)
//               mgd[1236]: UI_LOGIN_EVENT: User 'lab' login, … ssh-connection '203.0.113.5 5000 10.0.0.1 22' …  (skipped: junosEcho)
//
// The message is found wherever the device put it after the syslog header (Cisco puts a sequence
// number and its own stamp before it; the ASA its message id as the tag). The ASA reports one
// failed try as an AAA rejection (113005/113015: the attempt), again as 611102 (skipped with a
// reason), and a refused SSH/Telnet session once more as 605004 "Login denied" (a marker of its
// connection, source and port): a session of N tries counts N, plus at most one, since the AAA
// lines name no port to pair it with.

/**
 * The network-device login in a syslog message, or null. `program` is the tag as the envelope read
 * it (a device's sequence number, its zone after its own stamp, an ASA message id, or none). The
 * device's text must begin the message (after Cisco's sequence number and stamp): a device line
 * quoted inside another program's message (a user name an attacker chose) is not read as one.
 */
export function matchDevice(program: string | null, message: string, pid: string | null = null): AuthMatch | null {
  // every unmatched line of every program comes here: only a device's tag shape goes further, or
  // an IOS origin-id that a relay took for the tag (no pid, a host name or address, the device's
  // stamp and %SEC_LOGIN- starting the message)
  if (program !== null && !DEVICE_TAG.test(program)) {
    if (pid !== null || !ORIGIN_TAG.test(program) || !IOS_AFTER_ORIGIN.test(message)) return null;
    return ciscoIos(message);
  }
  const full = program ? `${program}: ${message}` : message;
  if (IOS_START.test(full)) return ciscoIos(full);
  if (ASA.test(full)) return ciscoAsa(full);
  if (!program && FORTI_START.test(message) && message.includes("logid=")) return fortigate(message);
  return null;
}

/** The tags a device's line can have: a sequence number, an ASA or IOS message id, the zone of a header-less IOS stamp. */
const DEVICE_TAG = /^(?:\d{1,10}$|%[A-Z]|UTC$|GMT$)/;

/**
 * An origin-id as `logging origin-id string` may write it, with spaces ("core rtr 1"): one space at a
 * time, no ": " inside (that ends it), at most 63 characters; never a relay's stamp (RFC 3164 or ISO) before it.
 */
export const SPACED_ORIGIN = String.raw`(?![A-Z][a-z]{2} {1,2}\d|\d{4}-\d\d-\d\d)[A-Za-z0-9](?:[\w.-]|:(?! )| (?=[\w.-])){0,62}`;

/** "2345: *Nov 30 10:00:00.123 UTC: %SEC_LOGIN-…", "UTC: %SEC_LOGIN-…" (a line without a syslog header), "%SEC_LOGIN-…" */
// optional: the relay's tag (a sequence number), the device's own sequence number ("000123: "),
// its origin-id (`logging origin-id hostname|ip|ipv6|string`: "router1: ", "10.0.0.1: "), then its
// stamp, its uptime ("1w2d: ") or the zone of a header-less line
// (an origin-id string with spaces, "core rtr 1: ", only where the device's stamp or uptime follows it)
// (a year after the day: `service timestamps log datetime year`)
const IOS_STAMP = String.raw`(?:\d{1,4}[ywdh]\d{1,2}[wdhm]: |[*.]?[A-Z][a-z]{2} {1,2}\d{1,2}(?: \d{4})? \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?: [A-Za-z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)?: )`;
/** the IOS messages read: SEC_LOGIN's login failed / success (`login on-failure log`), SSH's user authentication (`ip ssh logging events`) */
const IOS_MESSAGE = String.raw`%(?:SEC_LOGIN-\d-LOGIN_|SSH-5-SSH2_USERAUTH: )`;
const IOS_START = new RegExp(String.raw`^(?:\d{1,10}: )?(?:\d{6,10}: )?(?:(?:[A-Za-z0-9][\w.:-]{0,62}: )?(?:${IOS_STAMP}|(?:UTC|GMT): )?|${SPACED_ORIGIN}: ${IOS_STAMP})${IOS_MESSAGE}`);
/** an origin-id as a relay's tag: a host name, an IPv4 address or a one-word string */
const ORIGIN_TAG = /^[A-Za-z0-9][\w.-]{0,62}$/;
/** what follows the origin-id: the device's own sequence number if on, its stamp (or uptime), then the login message */
const IOS_AFTER_ORIGIN = new RegExp(String.raw`^(?:\d{1,10}: )?${IOS_STAMP}${IOS_MESSAGE}`);
/** FortiGate's lines are key=value fields from the start */
export const FORTI_START = /^(?:date|logver|logid|devname|eventtime|timestamp|time)=/;

// the user is greedy and the tail strict, so a "] [Source: …" inside a user name cannot move the
// source: the last bracketed fields of the line are the device's own
const IOS = /^%SEC_LOGIN-\d-LOGIN_(FAILED|SUCCESS): Login (?:failed|Success) \[user: (.{0,256})\] \[Source: ([0-9A-Fa-f:.]{2,45})\] \[localport: (\d{1,5})\](?: \[Reason: ([^\[\]]{0,256})\])?(?: at [^\[\]]{0,128})?\s*$/;

// ip ssh logging events: each SSH user authentication, whether or not SEC_LOGIN logs it too (then
// the same try twice: the failure counter pairs it with the SEC_LOGIN line of that device, client and user)
const IOS_SSH = /^%SSH-5-SSH2_USERAUTH: User '(.{0,256})' authentication for SSH2 Session from ([0-9A-Fa-f:.]{2,45}) \(tty = \d{1,4}\) using crypto cipher '[^']{0,64}', hmac '[^']{0,64}' (Succeeded|Failed)\s*$/;

function ciscoIos(full: string): AuthMatch | null {
  // from the device's own message (IOS_START checked what precedes it: no "%" there), never a later one
  const text = full.slice(full.indexOf("%"));
  const ssh = IOS_SSH.exec(text);
  if (ssh) {
    const failed = ssh[3] === "Failed";
    return { kind: failed ? "auth_failure" : "auth_success", severity: failed ? "low" : "info", service: "cisco-ios", signature: failed ? "cisco-ios: ssh authentication failed" : "cisco-ios: ssh authentication succeeded", user: ssh[1] || null, from: ssh[2], port: null, attempt: true };
  }
  const m = IOS.exec(text);
  if (!m) return null;
  const failed = m[1] === "FAILED";
  return {
    kind: failed ? "auth_failure" : "auth_success",
    severity: failed ? "low" : "info",
    service: "cisco-ios",
    signature: failed ? "cisco-ios: login failed" : "cisco-ios: login success",
    user: m[2] || null,
    from: m[3],
    port: null,
    attempt: true,
    attributes: { local_port: portOf(m[4]) ?? undefined, reason: m[5] || undefined },
  };
}

/** The ASA message: its id and body, from the start (one message a line: the body is not searched for another). */
export const ASA = /^:? ?%(?:ASA|FTD|PIX)-\d-(\d{6}): (.*)$/;
// 113005 (an AAA server refused) and 113015 (the local database refused; older releases leave out the user IP)
const AAA_REJECTED = /^AAA user authentication Rejected : reason = ([^:]{0,256}?) : (?:server = (\S{1,255})|local database) : user = ([^:]{0,256}?)(?: : user IP = ([0-9A-Fa-f:.]{2,45}))?\s*$/;
// bounded, colon- and slash-free parts: no backtracking over a long line
const LOGIN = /^Login (denied|permitted) from ([0-9A-Fa-f:.]{2,45})\/(\d{1,5}) to ([^\s:/]{1,64}):([0-9A-Fa-f:.]{2,45})\/([^\s/]{1,32}) for user ["'](.{0,256})["']\s*$/;

/** The ASA masks user names it considers secrets ("*****"): no account then. */
const asaUser = (u: string) => (u && !/^\*+$/.test(u) ? u : null);

function ciscoAsa(full: string): AuthMatch | null {
  const a = ASA.exec(full);
  if (!a) return null;
  const [, id, body] = a;
  let m: RegExpExecArray | null;
  if ((id === "113005" || id === "113015") && (m = AAA_REJECTED.exec(body))) {
    if (!m[4]) return null; // no address: nothing to count it against
    return { kind: "auth_failure", severity: "low", service: "cisco-asa", signature: "cisco-asa: aaa authentication rejected", user: asaUser(m[3]), from: m[4], port: null, attempt: true, attributes: { message_id: id, reason: m[1], aaa_server: m[2] ?? "local database" } };
  }
  if ((id === "605004" || id === "605005") && (m = LOGIN.exec(body))) {
    const denied = m[1] === "denied";
    return {
      kind: denied ? "auth_failure" : "auth_success",
      severity: denied ? "low" : "info",
      service: "cisco-asa",
      signature: denied ? "cisco-asa: login denied" : "cisco-asa: login permitted",
      user: asaUser(m[7]),
      from: m[2],
      port: portOf(m[3]),
      // the AAA rejection of the same try is the attempt; a permitted login is one
      attempt: !denied,
      attributes: { message_id: id, interface: m[4], device_ip: m[5], access: m[6] },
    };
  }
  return null;
}

/** `true` for an ASA 611102: the same failed try as the 113005/113015 beside it, not counted again. */
export function isAsaEcho(program: string | null, message: string): boolean {
  if (program !== null && !program.startsWith("%")) return false;
  const full = program ? `${program}: ${message}` : message;
  return /^:? ?%(?:ASA|FTD|PIX)-\d-611102: User authentication failed/.test(full);
}

/**
 * FortiGate's `key=value` fields, read from the start with a sticky pattern (values quoted, with
 * backslash escapes, or bare); null when a field does not parse or a key repeats, so text inside a
 * quoted value can never be read as a field of its own.
 */
export function fortiFields(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  const re = /([a-z_]{1,32})=("(?:[^"\\]|\\.)*"|[^\s"]*)(?:\s+|$)/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m || m[0].length === 0) return null;
    if (m[1] in out) return null;
    out[m[1]] = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/\\(.)/g, "$1") : m[2];
    at = re.lastIndex;
  }
  return out;
}

/** The FortiGate events this reads: admin login failed / successful, SSL VPN login failed. */
const FORTI_LOGINS: Record<string, { vpn: boolean; failed: boolean }> = {
  "0100032001": { vpn: false, failed: false },
  "0100032002": { vpn: false, failed: true },
  "0101039426": { vpn: true, failed: true },
};

function fortigate(text: string): AuthMatch | null {
  const f = fortiFields(text.trimEnd());
  if (!f || f.type !== "event") return null;
  const known = FORTI_LOGINS[f.logid];
  if (!known) return null;
  const { vpn, failed } = known;
  return {
    kind: failed ? "auth_failure" : "auth_success",
    severity: failed ? "low" : "info",
    service: "fortigate",
    signature: `fortigate: ${vpn ? "ssl vpn" : "admin"} login ${failed ? "failed" : "success"}`,
    user: f.user && f.user !== "N/A" ? f.user : null,
    // the client: remip for the VPN, srcip for an admin login (FortiOS 5 names it only in ui=, "ssh(203.0.113.5)")
    from: (vpn ? f.remip : f.srcip || /^[a-z]{1,16}\(([0-9A-Fa-f:.]{2,45})\)$/.exec(f.ui ?? "")?.[1]) || null,
    port: null,
    attempt: true,
    attributes: { logid: f.logid, device: f.devname, reason: f.reason || undefined, logdesc: f.logdesc || undefined },
  };
}

/**
 * Junos lines that repeat what another line of the same login says, as the reason they are skipped:
 * mgd's UI_LOGIN_EVENT is the session sshd's "Accepted …" line already counts as the success (or,
 * with an empty ssh-connection, a console or telnet session with no address); login's
 * LOGIN_PAM_AUTHENTICATION_ERROR is the try its LOGIN_FAILED line (with the address) counts.
 */
export function junosEcho(program: string, message: string): string | null {
  if (program === "mgd" && message.startsWith("UI_LOGIN_EVENT: ")) return "junos UI_LOGIN_EVENT: sshd's Accepted line of the same login is the success (an empty ssh-connection: no address)";
  if (program === "login" && message.startsWith("LOGIN_PAM_AUTHENTICATION_ERROR: ")) return "junos LOGIN_PAM_AUTHENTICATION_ERROR: the LOGIN_FAILED line of the same try counts it";
  return null;
}
