import { portOf } from "./common";
import type { AuthMatch } from "./syslog-sshd";

// Logins to network devices that forward syslog to Vigil: routers, firewalls, VPN gateways.
//
//   Cisco IOS   %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 203.0.113.5] [localport: 22] [Reason: Login Authentication Failed] at …
//               %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: admin] [Source: 10.0.0.9] [localport: 22] at …
//   Cisco ASA   %ASA-6-113015: AAA user authentication Rejected : reason = AAA failure : server = 10.0.0.2 : user = admin : user IP = 203.0.113.5
//               %ASA-6-611102: User authentication failed: IP address: 203.0.113.5, Uname: admin
//               %ASA-6-605004: Login denied from 203.0.113.5/51234 to outside:10.0.0.1/ssh for user "admin"
//               %ASA-6-605005: Login permitted from 10.0.0.9/51234 to inside:10.0.0.1/ssh for user "admin"
//   FortiGate   … logdesc="Admin login failed" user="admin" srcip=203.0.113.5 action=login status=failed reason="passwd_invalid"
//               … logdesc="SSL VPN login fail" user="bob" remip=203.0.113.5 action="ssl-login-fail" reason="sslvpn_login_permission_denied"
//
// The message is found wherever the device put it after the syslog header (Cisco puts a sequence
// number and its own stamp before it; the ASA its message id as the tag). An ASA writes both an AAA
// rejection and, for a management login, "Login denied" for the same try: the AAA lines are the
// attempts, "Login denied" a marker of its connection (source and port), so a session of N tries
// counts N, plus at most one for a connection whose AAA lines name no port.

/**
 * The network-device login in a syslog message, or null. `program` is the tag as the envelope read
 * it (a device's sequence number, its zone after its own stamp, an ASA message id, or none). The
 * device's text must begin the message (after Cisco's sequence number and stamp): a device line
 * quoted inside another program's message (a user name an attacker chose) is not read as one.
 */
export function matchDevice(program: string | null, message: string): AuthMatch | null {
  const full = program ? `${program}: ${message}` : message;
  if (IOS_START.test(full)) return ciscoIos(full);
  if (ASA_START.test(full)) return ciscoAsa(full);
  if (!program && FORTI_START.test(message) && message.includes("logid=")) return fortigate(message);
  return null;
}

/** "2345: *Nov 30 10:00:00.123 UTC: %SEC_LOGIN-…", "UTC: %SEC_LOGIN-…" (a line without a syslog header), "%SEC_LOGIN-…" */
const IOS_START = /^(?:\d{1,10}: )?(?:[*.]?[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?: [A-Za-z]{2,5})?: |(?:UTC|GMT): )?%SEC_LOGIN-\d-LOGIN_/;
/** "%ASA-6-113015: …" (the id as the tag) or ": %ASA-6-605004: …" (no tag) */
const ASA_START = /^:? ?%(?:ASA|FTD)-\d-\d{6}: /;
/** FortiGate's lines are key=value fields from the start */
const FORTI_START = /^(?:date|logver|logid|devname|eventtime|timestamp|time)=/;

const IOS = /%SEC_LOGIN-\d-LOGIN_(FAILED|SUCCESS): Login (?:failed|Success) \[user: ([^\]]{0,256})\] \[Source: ([^\]\s]{1,64})\] \[localport: (\d{1,5})\](?: \[Reason: ([^\]]{0,256})\])?/;

function ciscoIos(full: string): AuthMatch | null {
  const m = IOS.exec(full);
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

// fields between " : " separators, each bounded and colon-free: no backtracking across a long line
const ASA_AAA_REJECTED = /%(?:ASA|FTD)-\d-(113005|113015): AAA user authentication Rejected : reason = ([^:]{0,256}?) : server = (\S{1,255}) : user = ([^:]{0,256}?) : user IP = ([0-9A-Fa-f:.]{2,45})\s*$/;
const ASA_AAA_FAILED = /%(?:ASA|FTD)-\d-611102: User authentication failed: IP address: ([0-9A-Fa-f:.]{2,45}), Uname: (.{0,256})$/;
const ASA_LOGIN = /%(?:ASA|FTD)-\d-(605004|605005): Login (denied|permitted) from ([0-9A-Fa-f:.]{2,45})\/(\d{1,5}) to (\S+?):([0-9A-Fa-f:.]{2,45})\/(\S+) for user "(.{0,256})"\s*$/;

/** The ASA masks user names it considers secrets ("***"): no account then. */
const asaUser = (u: string) => (u && !/^\*+$/.test(u) ? u : null);

function ciscoAsa(full: string): AuthMatch | null {
  let m: RegExpExecArray | null;
  if ((m = ASA_AAA_REJECTED.exec(full))) {
    return { kind: "auth_failure", severity: "low", service: "cisco-asa", signature: "cisco-asa: aaa authentication rejected", user: asaUser(m[4]), from: m[5], port: null, attempt: true, attributes: { message_id: m[1], reason: m[2], aaa_server: m[3] } };
  }
  if ((m = ASA_AAA_FAILED.exec(full))) {
    return { kind: "auth_failure", severity: "low", service: "cisco-asa", signature: "cisco-asa: user authentication failed", user: asaUser(m[2].trim()), from: m[1], port: null, attempt: true, attributes: { message_id: "611102" } };
  }
  if ((m = ASA_LOGIN.exec(full))) {
    const denied = m[2] === "denied";
    return {
      kind: denied ? "auth_failure" : "auth_success",
      severity: denied ? "low" : "info",
      service: "cisco-asa",
      signature: denied ? "cisco-asa: login denied" : "cisco-asa: login permitted",
      user: asaUser(m[8]),
      from: m[3],
      port: portOf(m[4]),
      // the AAA rejection of the same try is the attempt; a permitted login is one
      attempt: !denied,
      attributes: { message_id: m[1], interface: m[5], device_ip: m[6], access: m[7] },
    };
  }
  return null;
}

/** FortiGate's `key=value` fields (values quoted or bare). */
function fortiFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(?:^|\s)([a-z_]{1,32})=("(?:[^"\\]|\\.){0,512}"|[^\s"]{0,512})/g)) out[m[1]] = m[2].startsWith('"') ? m[2].slice(1, -1) : m[2];
  return out;
}

function fortigate(full: string): AuthMatch | null {
  const f = fortiFields(full);
  const failed = (f.action === "login" && f.status === "failed") || f.action === "ssl-login-fail";
  const succeeded = f.action === "login" && f.status === "success";
  if (!failed && !succeeded) return null;
  const vpn = f.action === "ssl-login-fail" || f.subtype === "vpn";
  return {
    kind: failed ? "auth_failure" : "auth_success",
    severity: failed ? "low" : "info",
    service: "fortigate",
    signature: `fortigate: ${vpn ? "ssl vpn" : "admin"} login ${failed ? "failed" : "success"}`,
    user: f.user && f.user !== "N/A" ? f.user : null,
    from: f.srcip || f.remip || null,
    port: null,
    attempt: true,
    attributes: { logid: f.logid, device: f.devname, reason: f.reason || undefined, logdesc: f.logdesc || undefined },
  };
}
