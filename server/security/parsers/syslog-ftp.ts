import type { AuthMatch } from "./syslog-sshd";

// FTP servers' logins, service "ftp".
//
//   vsftpd     [pid 4711] [alice] FAIL LOGIN: Client "::ffff:203.0.113.5"        (its own vsftpd.log after its date, or syslog's `vsftpd[4711]:`)
//              [pid 4711] [alice] OK LOGIN: Client "203.0.113.5"
//              [pid 4711] [ftp] OK LOGIN: Client "203.0.113.5", anon password "guest@"
//   proftpd    ftp.example.com (host.example[203.0.113.5]) - USER alice (Login failed): Incorrect password.     (syslog)
//              ftp.example.com (host.example[203.0.113.5]): USER bob: no such user found from host.example [203.0.113.5] to 10.0.0.1:21   (its SystemLog)
//              ftp.example.com (host.example[203.0.113.5]) - Maximum login attempts (3) exceeded, connection refused
//              ftp.example.com (host.example[203.0.113.5]) - SECURITY VIOLATION: Root login attempted
//   pure-ftpd  (?@203.0.113.5) [WARNING] Authentication failed for user [alice]
//              (alice@203.0.113.5) [INFO] alice is now logged in
//
// Each server writes one line per failed try, and its PAM stack (`pam_unix(vsftpd:auth): …`) the
// same try again: those PAM lines are service "ftp" too, and the failure counter pairs them with the
// server's own line of the same process, or of the same client or bare pid where the logs cannot
// say the process (vsftpd.log names no host, PAM in auth.log no pid: detections/attempts.ts).

const ftp = (server: string, kind: AuthMatch["kind"], signature: string, user: string | null, from: string | null, attempt: boolean, attributes: Record<string, unknown> = {}, severity: AuthMatch["severity"] = kind === "auth_success" ? "info" : "low"): AuthMatch => ({
  kind,
  severity,
  service: "ftp",
  signature,
  user: user || null,
  from,
  port: null,
  attempt,
  attributes: { server, ...attributes },
});

const ADDRESS = String.raw`[0-9A-Fa-f:.]{2,45}`;
/** vsftpd's pid prefix: always in its lines (its own file and syslog alike) */
const VSFTPD_PID = /^\[pid (\d{1,10})\] /;
// the user (in brackets, as the client sent it: greedy, so a "] FAIL LOGIN: Client" inside it
// cannot move the address) and the address, which ends the line …
// (3.x adds its reason after a failure: `, "User is not in the allow user list."`, its own text)
const VSFTPD_LOGIN = new RegExp(String.raw`^(?:\[(.{0,256})\] )?(OK|FAIL) LOGIN: Client "(${ADDRESS})"(?:, "([A-Za-z][\w .,'-]{0,120})")?$`);
// … except after an anonymous login, where the password the client typed follows it: then the user is ftp or anonymous
const VSFTPD_ANON = new RegExp(String.raw`^\[(ftp|anonymous)\] (OK|FAIL) LOGIN: Client "(${ADDRESS})", anon password ".*"$`, "i");

/** A vsftpd line: its message after the tag, or after the date of its own log file. */
export function matchVsftpd(message: string): AuthMatch | null {
  const pid = VSFTPD_PID.exec(message);
  const text = pid ? message.slice(pid[0].length) : message;
  const anon = VSFTPD_ANON.exec(text);
  const named = VSFTPD_LOGIN.exec(text);
  // both ends are the client's in an anonymous line (its user name, its password): where the two
  // readings name different addresses the line cannot say which is vsftpd's, and is not read
  if (anon && named && anon[3] !== named[3]) return null;
  const m = anon ?? named;
  if (!m) return null;
  const failed = m[2] === "FAIL";
  // the pid in the text is the logging process's, as syslog's tag gives it (vsftpd.log: the envelope takes it from here)
  return ftp("vsftpd", failed ? "auth_failure" : "auth_success", failed ? "vsftpd: login failed" : "vsftpd: login", m[1] ?? null, m[3], true, { reason: anon ? undefined : (m[4] ?? undefined) });
}

// proftpd's session prefix: its server name, then the client's name and [address]; ") - " in
// syslog, "): " in its own SystemLog
const PROFTPD = new RegExp(String.raw`^(\S{1,255}) \(([^\s[\]()]{0,255})\[(${ADDRESS})\]\)(?: -|:) (.*)$`);
const NO_SUCH_USER = new RegExp(String.raw`^USER (.{0,256}): no such user found from \S{1,255} \[${ADDRESS}\] to \S{1,300}$`);
const LOGIN_FAILED = /^USER (.{0,256}) \(Login failed\): ?(.{0,200}?)\.?$/;
const LOGIN_OK = /^USER (.{0,256}): Login successful\.?$/;
/** libwrap's refusal: the client as it names it, the address in parentheses */
const WRAPPER_REFUSED = new RegExp(String.raw`^refused connect from (\S{1,600}) \((${ADDRESS})\)$`);
const MAX_TRIES = /^Maximum login attempts \((\d{1,6})\) exceeded(?:, connection refused)?\.?$/;
const ROOT_REFUSED = /^SECURITY VIOLATION: [Rr]oot login attempted\.?$/;

/** A proftpd line (syslog's, or its SystemLog's after `proftpd[pid]`): the client is the bracketed address. */
export function matchProftpd(message: string): AuthMatch | null {
  const p = PROFTPD.exec(message.trimEnd());
  if (!p) {
    // mod_wrap: libwrap refused the client (hosts.deny) before any login: a marker of its connection
    const w = WRAPPER_REFUSED.exec(message.trimEnd());
    return w ? ftp("proftpd", "auth_failure", "proftpd: refused by tcp wrappers", null, w[2], false, { client: w[1] }) : null;
  }
  const [, server, clientName, address, text] = p;
  const attrs = { vhost: server, client_name: clientName && clientName !== address ? clientName : undefined };
  let m: RegExpExecArray | null;
  // each pattern's end is proftpd's own text; the loose one (a failure's reason) is tried last, so a
  // user name that holds " (Login failed): " cannot turn its success into a failure
  if ((m = NO_SUCH_USER.exec(text))) return ftp("proftpd", "auth_failure", "proftpd: no such user", m[1], address, true, { ...attrs, invalid_user: true });
  if ((m = LOGIN_OK.exec(text))) return ftp("proftpd", "auth_success", "proftpd: login", m[1], address, true, attrs);
  if ((m = LOGIN_FAILED.exec(text))) return ftp("proftpd", "auth_failure", "proftpd: login failed", m[1], address, true, { ...attrs, reason: m[2] || undefined });
  // RootLogin off: refused before the password is looked at, and the only line of that try (any uid-0 account: no name given)
  if (ROOT_REFUSED.test(text)) return ftp("proftpd", "auth_failure", "proftpd: root login refused", null, address, true, attrs);
  // the session's tries each had their own line: a marker
  if ((m = MAX_TRIES.exec(text))) return ftp("proftpd", "auth_failure", "proftpd: maximum login attempts exceeded", null, address, false, { ...attrs, max_attempts: Number(m[1]) }, "medium");
  return null;
}

// pure-ftpd: "(account@host)", the account "?" before a login; the host an address, or a name when it resolves them
const PURE_FAILED = /^\(\?@([^\s@()]{1,255})\) \[WARNING\] Authentication failed for user \[(.{0,256})\]$/;
const PURE_OK = /^\((.{1,256})@([^\s@()]{1,255})\) \[INFO\] \1 is now logged in$/;

/** A pure-ftpd line. */
export function matchPureFtpd(message: string): AuthMatch | null {
  const text = message.trimEnd();
  let m: RegExpExecArray | null;
  if ((m = PURE_FAILED.exec(text))) return ftp("pure-ftpd", "auth_failure", "pure-ftpd: authentication failed", m[2], m[1], true);
  if ((m = PURE_OK.exec(text))) return ftp("pure-ftpd", "auth_success", "pure-ftpd: login", m[1], m[2], true);
  return null;
}
