import type { AuthMatch } from "./syslog-sshd";

// Mail servers and console logins, the other services brute-forced from the internet.
//
//   dovecot: imap-login: Disconnected (auth failed, 2 attempts in 8 secs): user=<alice>, method=PLAIN, rip=203.0.113.7, lip=10.0.0.5, TLS, session=<…>
//   dovecot: pop3-login: Aborted login (auth failed, 1 attempts in 2 secs): user=<bob>, method=PLAIN, rip=203.0.113.7, lip=10.0.0.5
//   postfix/smtpd[86]: warning: unknown[203.0.113.17]: SASL LOGIN authentication failed: authentication failure
//   login[1234]: FAILED LOGIN 1 FROM 203.0.113.8 FOR root, Authentication failure
//
// Dovecot's login process says how many tries a connection made ("N attempts"): that line is the
// count. Its auth process writes the same tries again (`auth-worker(…): pam(…): pam_authenticate()
// failed`, `auth: pam_unix(dovecot:auth): authentication failure`); those are not counted (skipped
// as dovecot's), or every try would count twice under two services.

/** Dovecot's login processes (`imap-login`, `pop3-login`, `submission-login`, `managesieve-login`). */
const DOVECOT_LOGIN = /^(imap|pop3|submission|managesieve)-login$/;
// dovecot 2.1 and earlier leave out " in N secs"
const AUTH_FAILED = /\(auth failed, (\d{1,6}) attempts?(?: in \d{1,9} secs?)?\)/;
/** tries one connection can make (dovecot refuses a connection long before): a forged count is capped */
const MAX_TRIES = 100;

/**
 * The first `name<value>` field (dovecot's `user=<alice>`), the value at most 256 characters; one
 * scan of the line, however many times an attacker repeats the name in it.
 */
function bracketed(text: string, name: string): string | null {
  const at = text.indexOf(name);
  if (at < 0 || (at > 0 && !/[\s,:]/.test(text[at - 1]))) return null;
  const from = at + name.length;
  const end = text.indexOf(">", from);
  return end < 0 || end - from > 256 ? null : text.slice(from, end);
}

/** A dovecot login line: `program` is `dovecot` (then the message starts with the process) or the login process itself. */
export function matchDovecot(program: string, message: string): AuthMatch | null {
  let text = message;
  let proc = program;
  if (program === "dovecot") {
    const m = /^([a-z0-9]+-login): (.*)$/.exec(message);
    if (!m) return null;
    [proc, text] = [m[1], m[2]];
  }
  if (!DOVECOT_LOGIN.test(proc)) return null;
  // the reason comes before the fields: the count is read there, never inside the user name
  const fieldsAt = text.indexOf(": user=<");
  const failed = AUTH_FAILED.exec(fieldsAt >= 0 ? text.slice(0, fieldsAt) : text);
  if (!failed) return null;
  const user = bracketed(text, "user=<");
  // the address after the user name (dovecot writes it there): the last rip=, not one a name holds
  let rip: string | null = null;
  for (const m of text.matchAll(/(?:^|[\s,])rip=([0-9A-Fa-f:.]{2,45})(?=[,\s]|$)/g)) rip = m[1];
  const rport = /(?:^|[\s,])rport=(\d{1,5})(?=[,\s]|$)/.exec(text)?.[1];
  const method = /(?:^|[\s,])method=([A-Za-z0-9_-]{1,32})(?=[,\s]|$)/.exec(text)?.[1];
  return {
    kind: "auth_failure",
    severity: "low",
    service: "dovecot",
    signature: "dovecot: auth failed",
    user: user || null,
    from: rip,
    port: rport ? Number(rport) : null,
    attempt: true,
    occurrences: Math.min(MAX_TRIES, Math.max(1, Number(failed[1]))),
    attributes: { process: proc, method },
  };
}

/**
 * Dovecot's auth process reporting a failed try that its login process's line counts: `auth:
 * pam_unix(dovecot:auth): authentication failure; …`, `auth-worker(1234): pam(alice,203.0.113.7):
 * pam_authenticate() failed: …`, `auth: passwd-file(bob,…): Password mismatch`.
 */
export function isDovecotAuthEcho(program: string, message: string): boolean {
  return program === "dovecot" && /^auth(?:-worker)?(?:\([^)]{0,32}\))?: .*(?:fail|mismatch|unknown user)/i.test(message);
}

// warning: unknown[203.0.113.17]: SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=bob
const SASL = /^warning: ([^\s[\]]{1,255})\[([0-9A-Fa-f:.]{2,45})\](?::(\d{1,5}))?: SASL ([A-Za-z0-9_-]{1,32}) authentication failed: ?(.*?)(?:, sasl_username=(.{0,256}))?$/;

/** Postfix smtpd's failed SMTP AUTH: the client's address in brackets, the account when Postfix names it. */
export function matchPostfix(message: string): AuthMatch | null {
  const m = SASL.exec(message);
  if (!m) return null;
  // no credential was judged: the SASL server (dovecot's auth socket, saslauthd) could not be
  // reached, so every client fails at once; or the client asked for a mechanism not offered
  const notJudged = /^Connection lost to authentication server/i.test(m[5]) ? "postfix: the SASL authentication server was unreachable, no credential was judged" : /^Invalid authentication mechanism/i.test(m[5]) ? "postfix: a SASL mechanism the server does not offer, no credential was tried" : undefined;
  return {
    skip: notJudged,
    kind: "auth_failure",
    severity: "low",
    service: "postfix",
    signature: "postfix: sasl authentication failed",
    user: m[6]?.trim() || null,
    // the address, not the reverse name before it ("unknown" when it has none)
    from: m[2],
    port: m[3] ? Number(m[3]) : null,
    attempt: true,
    attributes: { client_name: m[1] === "unknown" ? undefined : m[1], sasl_method: m[4], reason: m[5] || undefined },
  };
}

// FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure
// FAILED LOGIN 1 FROM 203.0.113.8 FOR root, Authentication failure
// FAILED LOGIN (2) on '/dev/pts/3' from 'host.example' FOR 'root', Authentication failure
const FAILED_LOGIN = /^(?:FAILED LOGIN \(?\d{1,6}\)?|FAILED LOGIN SESSION|TOO MANY LOGIN TRIES \(\d{1,6}\))(?: on '([^']{0,128})')?(?: (?:FROM|from) '?([^'\s]{1,255})'?)? FOR '?(.{0,256}?)'?, (.*)$/;
/** util-linux writes the tty where the remote host would be for a console login */
const TTY = /^(?:tty\w{0,8}|pts\/\d{1,6}|console|hvc\d{1,3}|ttyS\d{1,3})$/;

// Junos' login: "LOGIN_FAILED: Login failed for user root from host 203.0.113.5" (the user as typed, greedy: the host ends the line)
const JUNOS_LOGIN_FAILED = /^LOGIN_FAILED: Login failed for user (.{0,256}) from host ([^\s']{1,255})$/;
const JUNOS_LOGIN_FAILED_LOCAL = /^LOGIN_FAILED: Login failed for user (.{0,256}?)(?: from host ?)?$/;

/** login(1)'s failures: on a console (no source), or over telnet/rlogin (the remote host). */
export function matchLogin(message: string): AuthMatch | null {
  const junos = JUNOS_LOGIN_FAILED.exec(message) ?? JUNOS_LOGIN_FAILED_LOCAL.exec(message);
  if (junos) return { kind: "auth_failure", severity: "low", service: "login", signature: "login: failed login", user: junos[1] || null, from: junos[2] ?? null, port: null, attempt: true, attributes: { junos_event: "LOGIN_FAILED" } };
  const m = FAILED_LOGIN.exec(message);
  if (!m) return null;
  const remote = m[2] && !TTY.test(m[2]) ? m[2] : null;
  return {
    kind: "auth_failure",
    severity: "low",
    service: "login",
    signature: "login: failed login",
    user: m[3] && m[3] !== "(unknown)" ? m[3] : null,
    from: remote,
    port: null,
    attempt: true,
    attributes: { tty: m[1] || (m[2] && !remote ? m[2] : undefined), reason: m[4] || undefined },
  };
}
