import type { AuthMatch } from "./syslog-sshd";

/** The service a PAM stack belongs to, as Vigil names it: sshd, su, sudo, doas, ftp, else pam. */
export function pamService(name: string): AuthMatch["service"] {
  const n = name.toLowerCase();
  if (n === "sshd" || n.startsWith("sshd-") || n === "dropbear") return "sshd";
  if (n === "su" || n === "su-l") return "su";
  if (n === "sudo" || n === "sudo-i") return "sudo";
  // opendoas's PAM service (pam_start("doas", …))
  if (n === "doas") return "doas";
  if (FTP_PAM.has(n)) return "ftp";
  return "pam";
}

/** PAM service names of FTP servers (their pam_service_name / PAMConfig defaults) */
const FTP_PAM = new Set(["vsftpd", "proftpd", "pure-ftpd", "ftp"]);

// pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root
const MODULE = /^(pam_[A-Za-z0-9_]{1,32})\(([^:()\s]{1,64}):([a-z]{1,16})\):\s*(.*)$/;
const FAILURE = /^(?:PAM )?(?:(\d{1,6}) more )?authentication failures?;\s*(.*)$/;
// Linux-PAM before 0.99.2 (2005) named the module alone, in parentheses or with a colon, the
// service being the program's tag: "vsftpd: (pam_unix) authentication failure; …", "vsftpd: pam_unix: authentication failure; …"
const OLD_MODULE = /^(?:\((pam_[A-Za-z0-9_]{1,32})\) |(pam_[A-Za-z0-9_]{1,32}): )(.*)$/;

/** `key=value` fields of a PAM failure; `user=` runs to the end of the line (a name may hold spaces). */
function pamFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const user = /(?:^|\s)user=(.*)$/.exec(text);
  const head = user ? text.slice(0, user.index) : text;
  for (const m of head.matchAll(/(?:^|\s)(logname|uid|euid|tty|ruser|rhost)=(\S*)/g)) out[m[1]] = m[2];
  if (user) out.user = user[1].trim();
  return out;
}

/**
 * A PAM message: `pam_unix(sshd:auth): authentication failure; …`, the older tag form
 * `sshd(pam_unix)[pid]: authentication failure; …` (module in the tag), `N more authentication
 * failures`, `check pass; user unknown`, and pam_faillock's lock. `tagModule` / `tagService` come
 * from an old-style tag. Null when the message is not one of these (session opened/closed …).
 */
export function matchPam(message: string, tagModule: string | null, tagService: string | null): AuthMatch | null {
  let module = tagModule;
  let service = tagService;
  let text = message;
  const m = MODULE.exec(message);
  const old = m ? null : OLD_MODULE.exec(message);
  if (m) {
    [module, service, text] = [m[1], m[2], m[4]];
    if (m[3] !== "auth" && m[3] !== "account") return null;
  } else if (old) [module, text] = [old[1] ?? old[2], old[3]];
  else if (!module && !/^PAM \d+ more authentication failures?;/.test(message)) return null;
  const svc = pamService(service ?? "pam");
  const attrs = { pam_module: module ?? undefined, pam_service: service ?? undefined };
  let f: RegExpExecArray | null;
  if ((f = FAILURE.exec(text))) {
    const fields = pamFields(f[2]);
    const rhost = fields.rhost || null;
    return {
      kind: "auth_failure",
      severity: "low",
      service: svc,
      signature: "pam: authentication failure",
      // an FTP server hands PAM the name the client sent as ruser= too: for a name with no account
      // (no user=) it is the only one the line gives
      user: fields.user || (svc === "ftp" ? fields.ruser : null) || null,
      from: rhost,
      port: null,
      attempt: true,
      occurrences: f[1] ? Number(f[1]) : 1,
      attributes: { pam_module: attrs.pam_module, pam_service: attrs.pam_service, logname: fields.logname || undefined, uid: fields.uid || undefined, euid: fields.euid || undefined, tty: fields.tty || undefined, ruser: fields.ruser || undefined },
    };
  }
  if (/^check pass; user unknown\s*$/.test(text)) {
    // precedes the "authentication failure" line of the same attempt: a marker, not counted twice
    // (no source: without a pid it cannot be tied to that line, and would count once more on its own)
    return { kind: "auth_failure", severity: "low", service: svc, signature: "pam: user unknown", user: null, from: null, port: null, attempt: false, attributes: attrs, pidlessEcho: "pam check pass; user unknown without a pid: the authentication failure line of the same try counts it" };
  }
  if ((f = /^Consecutive login failures for user (.*?) account temporarily locked/.exec(text))) {
    return { kind: "auth_failure", severity: "medium", service: svc, signature: "pam: account locked", user: f[1] || null, from: null, port: null, attempt: false, attributes: attrs };
  }
  return null;
}

/** su's own lines: `FAILED SU (to root) bob on pts/0`, `BAD SU bob to root on /dev/ttyp0`, `FAILED su for root by bob`, `Successful su for root by bob`, BusyBox's `- /dev/pts/0 bob:root`. */
export function matchSu(message: string): AuthMatch | null {
  let m = /^FAILED SU \(to (.*?)\) (\S+) on (\S+)\s*$/.exec(message);
  if (m) return suEvent("auth_failure", m[1], m[2], m[3]);
  // BSD and old shadow su: "BAD SU bob to root on /dev/ttyp0"
  m = /^BAD SU (\S+) to (\S+) on (\S+)\s*$/.exec(message);
  if (m) return suEvent("auth_failure", m[2], m[1], m[3]);
  m = /^FAILED su for (.*?) by (\S+)\s*$/.exec(message);
  if (m) return suEvent("auth_failure", m[1], m[2], null);
  m = /^Successful su for (.*?) by (\S+)\s*$/.exec(message);
  if (m) return suEvent("auth_success", m[1], m[2], null);
  // BusyBox su (Alpine, OpenWrt, embedded images): "- /dev/pts/0 bob:root" a wrong password, "+ …" a success
  m = /^([+-]) (\S+) ([^\s:]+):(\S+)\s*$/.exec(message);
  if (m) return suEvent(m[1] === "+" ? "auth_success" : "auth_failure", m[4], m[3], m[2]);
  return null;
}

function suEvent(kind: AuthMatch["kind"], target: string, by: string, tty: string | null): AuthMatch {
  return {
    kind,
    severity: kind === "auth_success" ? "info" : "low",
    service: "su",
    signature: kind === "auth_success" ? "su: success" : "su: failed",
    // the account whose password was tried is the target; who tried is `by`
    user: target || null,
    from: null,
    port: null,
    attempt: true,
    attributes: { by, tty: tty ?? undefined },
  };
}

/**
 * sudo's lines: `bob : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/bob ; USER=root ;
 * COMMAND=/bin/ls`, `bob : user NOT in sudoers ; …`, `bob : command not allowed ; …`. A command
 * that ran (`bob : TTY=… ; COMMAND=…`) is not a failure: null.
 */
export function matchSudo(message: string): AuthMatch | null {
  // (an account may hold blanks, as a directory's can: "john smith : …"; sudo's own fields follow the first " : ")
  const m = /^\s*(\S(?:.{0,254}?\S)?) : (.*)$/.exec(message);
  if (!m) return null;
  // (sudo's own log file wraps a long line after a " ;": the first line ends with it)
  const parts = m[2].replace(/ ;\s*$/, "").split(" ; ");
  const what = parts[0].trim();
  const fields: Record<string, string> = {};
  for (let i = 1; i < parts.length; i++) {
    const kv = /^(TTY|PWD|USER|GROUP|COMMAND)=(.*)$/.exec(parts[i]);
    if (kv) {
      // a command may itself contain " ; ": it runs to the end of the line
      fields[kv[1]] = kv[1] === "COMMAND" ? parts.slice(i).join(" ; ").slice(8) : kv[2];
      if (kv[1] === "COMMAND") break;
    }
  }
  const attributes = { target_user: fields.USER, command: fields.COMMAND, tty: fields.TTY, pwd: fields.PWD };
  const failure = (signature: string, attempt: boolean, occurrences = 1): AuthMatch => ({ kind: "auth_failure", severity: "low", service: "sudo", signature, user: m[1], from: null, port: null, attempt, occurrences, attributes });
  const wrong = /^(?:(\d{1,6}) )?incorrect password attempts?$/.exec(what);
  if (wrong) return failure("sudo: incorrect password", true, wrong[1] ? Number(wrong[1]) : 1);
  if (/^user NOT in sudoers$/.test(what)) return failure("sudo: user not in sudoers", true);
  if (/^user NOT authorized on host$/.test(what)) return failure("sudo: user not authorized on host", true);
  if (/^command not allowed$/.test(what)) return failure("sudo: command not allowed", false);
  return null;
}

/**
 * doas's lines (OpenBSD's doas and Linux's opendoas, LOG_AUTHPRIV): `failed auth for alice` (a
 * wrong password: doas asks for alice's own, as sudo does, so alice is both the account and who
 * tried, `by`), `command not permitted for alice: cmd args` (doas.conf does not allow it; opendoas
 * before 6.6 wrote `failed command for alice: …`): a marker, as sudo's "command not allowed", since
 * no password was tried. A command that ran (`alice ran command ls as root from /home/alice`) is
 * not a failure, as sudo's is not: null. `tty required for alice` (doas.conf permitted her, but doas
 * had no terminal to ask her password on: a script, ssh without -t) is no try and no refusal: skipped
 * with its reason, as sudo's "a terminal is required to read the password" is skipped.
 */
export function matchDoas(message: string): AuthMatch | null {
  let m = /^tty required for (\S+)\s*$/.exec(message);
  if (m) return { skip: `doas: tty required for ${m[1].slice(0, 64)}: no terminal to ask for a password on, none was tried (as sudo's 'a terminal is required')`, kind: "auth_failure", severity: "low", service: "doas", signature: "doas: tty required", user: m[1], from: null, port: null, attempt: false, attributes: { by: m[1] } };
  m = /^failed auth for (\S+)\s*$/.exec(message);
  if (m) return { kind: "auth_failure", severity: "low", service: "doas", signature: "doas: failed auth", user: m[1], from: null, port: null, attempt: true, attributes: { by: m[1] } };
  m = /^(?:command not permitted|failed command) for (\S+?): (.*)$/.exec(message);
  if (m) return { kind: "auth_failure", severity: "low", service: "doas", signature: "doas: command not permitted", user: m[1], from: null, port: null, attempt: false, attributes: { by: m[1], command: m[2] } };
  return null;
}
