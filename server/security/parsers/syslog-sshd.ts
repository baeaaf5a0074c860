import type { Severity } from "../../../lib/contracts/common";
import { portOf } from "./common";

/**
 * What a security-relevant syslog message says, before the envelope (time, host) is added.
 * `attempt` is true for an actual credential attempt (a password, key or PAM conversation that
 * failed or succeeded) and false for connection markers (an invalid user named, a pre-auth
 * disconnect, a break-in warning) that accompany or precede such attempts and must not be
 * counted twice.
 */
export interface AuthMatch {
  kind: "auth_failure" | "auth_success";
  severity: Severity;
  service: "sshd" | "pam" | "su" | "sudo" | "doas" | "dovecot" | "postfix" | "login" | "ftp" | "cisco-ios" | "cisco-asa" | "fortigate" | "windows";
  signature: string;
  user: string | null;
  /** the source as written: an address or a host name (resolved by the caller) */
  from: string | null;
  /** `from` is a name the client chose for itself: a host-name source only (`hostSourceOf`) */
  fromIsClientName?: boolean;
  port: number | null;
  attempt: boolean;
  /**
   * a marker that always goes with an attempt line of the same process (Junos' SSHD_LOGIN_FAILED
   * beside sshd's "Failed password"): on a line without a pid it cannot be paired with it, and is
   * skipped with this reason rather than counted a second time
   */
  pidlessEcho?: string;
  /** the line is the program's, but judged no credential (a server-side error): skipped with this reason */
  skip?: string;
  occurrences?: number;
  attributes?: Record<string, unknown>;
}

const fail = (signature: string, attempt: boolean, user: string | null, from: string | null, port: string | undefined, attributes?: Record<string, unknown>, severity: Severity = "low"): AuthMatch => ({
  kind: "auth_failure",
  severity,
  service: "sshd",
  signature,
  user: user || null,
  from,
  port: portOf(port),
  attempt,
  attributes,
});

// The tail every login line shares: " from <source> [port N] [ssh2] [: key details] [[preauth]]".
// The user part before it is greedy, so a user name that itself contains " from 1.2.3.4 port 1"
// cannot move the source: the last such tail on the line is sshd's own.
const TAIL = String.raw` from (\S+)(?: port (\d+))?(?: +ssh[12])?(?:: .*)?(?: \[preauth\])?\s*$`;

// OpenSSH before 3.8 said "illegal user" where later ones say "invalid user"
const FAILED = new RegExp(String.raw`^Failed (\S+) for ((?:invalid|illegal) user )?(.*)${TAIL}`);
const ACCEPTED = new RegExp(String.raw`^Accepted (\S+) for (.*)${TAIL}`);
// An account sshd knows (no "invalid user") was named by its administrator: one word, so its line
// is read up to the first tail, and what follows ": " is the method's details, where a client's own
// text can stand (hostbased's client user "…", SSH-1's ruser …) and is never taken for the source.
// (A known name with spaces, as a directory may hold, is read by the greedy pattern above.)
const KNOWN_TAIL = String.raw` (\S+) from (\S+) port (\d+)(?: +ssh[12])?(?:: .*)?(?: \[preauth\])?\s*$`;
const FAILED_KNOWN = new RegExp(String.raw`^Failed (\S+) for(?! (?:invalid|illegal) user )${KNOWN_TAIL}`);
const ACCEPTED_KNOWN = new RegExp(String.raw`^Accepted (\S+) for${KNOWN_TAIL}`);
const INVALID_USER = new RegExp(String.raw`^(?:Invalid|Illegal) user (.*)${TAIL}`);
const MAX_ATTEMPTS = new RegExp(String.raw`^maximum authentication attempts exceeded for ((?:invalid|illegal) user )?(.*)${TAIL}`);
const NOT_ALLOWED = /^User (.*) from (\S+) not allowed because (.*)$/;
// macOS adds the local address it was reached at: "… for james from example.com via 192.168.1.201"
const PAM_ERROR = /^PAM: (.+?) for (?:(illegal|invalid) user )?(.*) from (\S+)(?: via (\S+))?$/;
// libwrap (TCP wrappers, hosts.deny) refused the connection before sshd read anything: the client
// as libwrap names it (user@ from identd, its name or address), the address in parentheses after it
const WRAPPER_REFUSED = /^refused connect from (\S{1,600}) \(([0-9A-Fa-f:.]{2,45})\)$/;
const REVERSE = /^reverse mapping checking getaddrinfo for (\S+) \[([^\]\s]+)\] failed/;
const MAPS_BACK = /^Address (\S+) maps to (\S+), but this does not map back to the address/;
const CLOSED = /^(Disconnected from|Connection closed by|Connection reset by|Disconnecting) (?:(invalid |authenticating )?user (.*) )?(\S+) port (\d+)(?::.*?)?( \[preauth\])?$/;
/** older versions name no port: "Connection closed by 212.47.254.145 [preauth]" */
const CLOSED_NO_PORT = /^(Connection closed by|Connection reset by) (\S+) \[preauth\]$/;
const RECEIVED = /^Received disconnect from (\S+)(?: port (\d+))?:.*\[preauth\]$/;
// the same without [preauth] (a privsep child's pre-auth lines carry it since 5.9; a session's end
// reads the same, "11: disconnected by user"): read only where the client's reason code says it gave
// up authenticating (RFC 4253 11.1: 13 auth cancelled by user, 14 no more auth methods available),
// or JSch's own text for its failed login. 6.x: "addr: code: text", 7.2+: "addr port N:code: text"
const RECEIVED_CODE = /^Received disconnect from (?:(\S+) port (\d+):|(\S+): )(\d{1,3}): (.*)$/;
const GAVE_UP = /^com\.jcraft\.jsch\.JSchException: Auth (?:fail|cancel)/;
const NO_IDENT = /^Did not receive identification string from (\S+)(?: port (\d+))?/;
/** Junos writes this beside sshd's own "Failed password" line of the same try (same process): a marker */
const JUNOS_FAILED = /^SSHD_LOGIN_FAILED: Login failed for user '(.{0,256})' from host '([^'\s]{1,255})'\s*$/;
const BAD_VERSION = /^Bad protocol version identification '(.*)' from (\S+)(?: port (\d+))?/;
// sshd.c (5.x–8.2): an SSH-1 client against an SSH-2 server, nmap's probe among them ("for 2001:db8::1: SSH-2.0-…" before 7.x)
const VERSIONS_DIFFER = /^Protocol major versions differ for (\S+?)(?: port (\d+))?: (.*)$/;
// 8.3+ (packet.c sshpkt_fatal, tag "banner exchange"): the client's first line was no SSH banner
const BANNER = /^banner exchange: Connection from (\S+) port (\d+): (.*)$/;
// packet.c: no algorithm in common; before any user is named, so never a log preamble (7.0 wrote
// no port, some builds " : ")
const NEGOTIATE = /^Unable to negotiate with (\S+?)(?: port (\d+))? ?: (.*?)(?: \[preauth\])?$/;
// packet.c sshpkt_fatal's other errors in the pre-auth child ("ssh_dispatch_run_fatal: Connection from … [preauth]")
const FATAL_PREAUTH = /^([A-Za-z_][\w ]{0,40}): Connection from (?:(invalid |authenticating )user (.*) )?(\S+) port (\d+): .*\[preauth\]$/;
// LoginGraceTime ran out: sshd.c's grace_alarm_handler (5.x: no port; "fatal: " before it) …
const TIMEOUT = /^Timeout before authentication for (\S+?)(?: port (\d+))?$/;
// … and 9.8+'s listener, which reports its child's exit: the connection's own process is the pid it names
const TIMEOUT_CHILD = /^Timeout before authentication for connection from (\S+?)(?: to (\S+?))?, pid = (\d{1,10})(?: \([a-z ]{1,20}\))?$/;
// auth.c auth_root_allowed (PermitRootLogin): the "Failed … for root" of the same try is the
// attempt; any uid-0 account (toor …) is refused so, so the line names no account
const ROOT_REFUSED = /^ROOT LOGIN REFUSED FROM (\S+?)(?: port (\d+))?(?: \[preauth\])?$/;

/**
 * The sshd messages that matter for detection, or null when the message is not one of them
 * ("Server listening", "Connection from", session lines, key exchange failures …).
 */
export function matchSshd(message: string, program = "sshd"): AuthMatch | null {
  // log.c writes "error: " and "fatal: " before messages of those levels
  const text = message.startsWith("error: ") || message.startsWith("fatal: ") ? message.slice(7) : message;
  let m: RegExpExecArray | null;
  const known = FAILED_KNOWN.exec(text);
  if (known || (m = FAILED.exec(text))) {
    const [method, invalid, user, from, port] = known ? [known[1], undefined, known[2], known[3], known[4]] : [m![1], m![2], m![3], m![4], m![5]];
    // "none" is the method probe a client sends before any credential: a marker, not an attempt
    return fail(`sshd: failed ${method.startsWith("keyboard-interactive") ? "keyboard-interactive" : method}`, method !== "none", user, from, port, { method, invalid_user: Boolean(invalid) });
  }
  if ((m = ACCEPTED_KNOWN.exec(text) ?? ACCEPTED.exec(text))) {
    const success = fail(`sshd: accepted ${m[1].startsWith("keyboard-interactive") ? "keyboard-interactive" : m[1]}`, true, m[2], m[3], m[4], { method: m[1] }, "info");
    success.kind = "auth_success";
    return success;
  }
  if ((m = INVALID_USER.exec(text))) return fail("sshd: invalid user", false, m[1], m[2], m[3], { invalid_user: true });
  if ((m = MAX_ATTEMPTS.exec(text))) return fail("sshd: maximum authentication attempts exceeded", false, m[2], m[3], m[4], { invalid_user: Boolean(m[1]) }, "medium");
  if ((m = NOT_ALLOWED.exec(text))) return fail("sshd: user not allowed", false, m[1], m[2], undefined, { reason: m[3] });
  if ((m = PAM_ERROR.exec(text))) {
    // "User not known" / "unknown user" precedes the failure line of the same attempt
    const lookup = /not known|unknown user/i.test(m[1]);
    return fail(lookup ? "sshd: pam unknown user" : "sshd: pam authentication failure", !lookup, m[3], m[4], undefined, { reason: m[1], invalid_user: Boolean(m[2]), local_address: m[5] });
  }
  if ((m = REVERSE.exec(text))) return fail("sshd: possible break-in attempt", false, null, m[2], undefined, { claimed_host: m[1] }, "medium");
  if ((m = MAPS_BACK.exec(text))) return fail("sshd: possible break-in attempt", false, null, m[1], undefined, { claimed_host: m[2] }, "medium");
  if ((m = CLOSED.exec(text))) {
    // before authentication ([preauth], or an invalid / authenticating user) it marks an attack;
    // after it ("Disconnected from user bob …", no [preauth]) it is a session ending
    const qualifier = m[2]?.trim();
    // OpenSSH 9.8+ (sshd-session, sshd-auth) names the user of every session after authentication
    // ("user bob"), so a line naming none there is one that never got to authenticate (a banner or
    // key exchange that failed); before 7.5 a session's end read the same, so under "sshd" it is not read
    const unauthenticated = m[3] === undefined && program !== "sshd";
    if (!m[6] && !qualifier && !unauthenticated) return null;
    return fail("sshd: preauth disconnect", false, m[3] ?? null, m[4], m[5], { invalid_user: qualifier === "invalid", how: m[1] });
  }
  if ((m = CLOSED_NO_PORT.exec(text))) return fail("sshd: preauth disconnect", false, null, m[2], undefined, { invalid_user: false, how: m[1] });
  if ((m = RECEIVED.exec(text))) return fail("sshd: preauth disconnect", false, null, m[1], m[2], { how: "Received disconnect" });
  if ((m = RECEIVED_CODE.exec(text)) && (m[4] === "13" || m[4] === "14" || GAVE_UP.test(m[5]))) return fail("sshd: preauth disconnect", false, null, m[1] ?? m[3], m[2], { how: "Received disconnect", code: Number(m[4]) });
  if ((m = NO_IDENT.exec(text))) return fail("sshd: no identification string", false, null, m[1], m[2]);
  if ((m = BAD_VERSION.exec(text))) return fail("sshd: bad protocol version", false, null, m[2], m[3], { banner: m[1] });
  if ((m = VERSIONS_DIFFER.exec(text))) return fail("sshd: bad protocol version", false, null, m[1], m[2], { banner: m[3] });
  if ((m = BANNER.exec(text))) return fail("sshd: banner exchange failed", false, null, m[1], m[2], { reason: m[3] });
  if ((m = NEGOTIATE.exec(text))) return fail("sshd: unable to negotiate", false, null, m[1], m[2], { reason: m[3] });
  // (its user part is greedy: only a line that ends as the pattern does is tried, so that a long line that does not cannot backtrack)
  if (text.endsWith("[preauth]") && (m = FATAL_PREAUTH.exec(text))) return fail("sshd: preauth disconnect", false, m[3] ?? null, m[4], m[5], { invalid_user: m[2] === "invalid ", how: m[1] });
  if ((m = TIMEOUT_CHILD.exec(text))) return fail("sshd: timeout before authentication", false, null, m[1], undefined, { pid: m[3], local_address: m[2] });
  if ((m = TIMEOUT.exec(text))) return fail("sshd: timeout before authentication", false, null, m[1], m[2]);
  if ((m = ROOT_REFUSED.exec(text))) return fail("sshd: root login refused", false, null, m[1], m[2]);
  if ((m = WRAPPER_REFUSED.exec(text))) return fail("sshd: refused by tcp wrappers", false, null, m[2], undefined, { client: m[1] }, "low");
  if ((m = JUNOS_FAILED.exec(text))) return { ...fail("sshd: junos login failed", false, m[1], m[2], undefined), pidlessEcho: "junos SSHD_LOGIN_FAILED without a pid: sshd's own Failed line of the same try counts it" };
  return null;
}

// Dropbear (OpenWrt, embedded systems, busybox images): svr-authpasswd.c, svr-auth.c, svr-authpubkey.c,
// common-session.c. The client is "address:port" (IPv6 without brackets: the last colon starts the
// port), "<address:port>" in 2022+'s exit line; the account is quoted, the quotes' content the client's.
//   Bad password attempt for 'root' from 203.0.113.5:48629                      (older: "bad password attempt")
//   Login attempt for nonexistent user from ::ffff:203.0.113.5:60495             (once per connection or per request, by version: a marker)
//   Exit before auth (user 'root', 10 fails): Max auth tries reached - user 'root' from 203.0.113.5:60588
//   Exit before auth from <203.0.113.5:52289>: (user 'root', 10 fails): Max auth tries reached - user 'root'
//   Password auth succeeded for 'bob' from 203.0.113.5:51737 / Pubkey auth succeeded for 'bob' with key md5 … from …
// Run under journald with -E it writes its own pid and stamp first ("[825] Jul 10 23:53:52 "): dropped.
const DROPBEAR_PREFIX = /^\[\d{1,10}\] [A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} /;
const DROPBEAR_BAD_PASSWORD = /^[Bb]ad password attempt for '(.{0,256})' from (\S{1,300})$/;
const DROPBEAR_NO_USER = /^[Ll]ogin attempt for nonexistent user from (\S{1,300})$/;
const DROPBEAR_MAX_OLD = /^Exit before auth \(user '(.{0,256})', (\d{1,6}) fails\): Max auth tries reached - user '.{0,256}' from (\S{1,300})$/;
const DROPBEAR_EXIT = /^Exit before auth from <(\S{1,300})>: (.{0,400})$/;
const DROPBEAR_OK = /^(Password|Pubkey) auth succeeded for '(.{0,256})'(?: with key .{0,300})? from (\S{1,300})$/;

/** Dropbear's "address:port" (or "<address:port>"): the address and the port. */
function dropbearClient(text: string): [string | null, string | undefined] {
  const m = /^\[?(.+?)\]?:(\d{1,5})$/.exec(text);
  return m ? [m[1], m[2]] : [text, undefined];
}

/** A Dropbear line (service sshd: an SSH server's logins, whichever server), or null. */
export function matchDropbear(message: string): AuthMatch | null {
  const text = message.replace(DROPBEAR_PREFIX, "").trimEnd();
  const dropbear = (signature: string, attempt: boolean, user: string | null, client: string, extra: Record<string, unknown> = {}, severity: Severity = "low") => {
    const [from, port] = dropbearClient(client);
    return fail(signature, attempt, user, from, port, { server: "dropbear", ...extra }, severity);
  };
  let m: RegExpExecArray | null;
  if ((m = DROPBEAR_BAD_PASSWORD.exec(text))) return dropbear("dropbear: bad password", true, m[1], m[2]);
  if ((m = DROPBEAR_NO_USER.exec(text))) return dropbear("dropbear: nonexistent user", false, null, m[1], { invalid_user: true });
  if ((m = DROPBEAR_MAX_OLD.exec(text))) return dropbear("dropbear: maximum authentication attempts exceeded", false, m[1], m[3], { fails: Number(m[2]) }, "medium");
  if ((m = DROPBEAR_EXIT.exec(text))) {
    const max = /Max auth tries reached/.test(m[2]);
    const user = /^\(user '(.{0,256})', \d{1,6} fails\)/.exec(m[2])?.[1] ?? null;
    return dropbear(max ? "dropbear: maximum authentication attempts exceeded" : "dropbear: preauth disconnect", false, user, m[1], { reason: m[2] }, max ? "medium" : "low");
  }
  if ((m = DROPBEAR_OK.exec(text))) {
    const success = dropbear(`dropbear: accepted ${m[1].toLowerCase()}`, true, m[2], m[3], {}, "info");
    success.kind = "auth_success";
    return success;
  }
  return null;
}
