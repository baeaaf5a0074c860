import { describe, expect, it } from "vitest";
import { entryOf, FailureCounter } from "../detections/attempts";
import type { ParseOutcome, ParsedEvent, StoredEvent } from "../types";
import { parseSyslogLine } from "./syslog";

const ctx = { now: Date.UTC(2026, 11, 1) };

function event(o: ParseOutcome): ParsedEvent {
  if (o.status !== "event") throw new Error(`expected an event, got ${o.status}: ${o.reason}`);
  return o.event;
}
const reason = (o: ParseOutcome) => (o.status === "event" ? "(event)" : o.reason);
/** An RFC 3164 sshd line around a message. */
const sshd = (message: string) => `Mar 11 22:55:32 bastion sshd[4242]: ${message}`;
const parse = (line: string) => event(parseSyslogLine(line, ctx));

describe("parseSyslogLine: envelopes", () => {
  it("reads RFC 3164 with a PRI, the host, program and pid", () => {
    const e = parse("<38>Mar 11 22:55:32 bastion sshd[4242]: Failed password for root from 203.0.113.5 port 22 ssh2");
    expect(e).toMatchObject({ time: Date.UTC(2026, 2, 11, 22, 55, 32), kind: "auth_failure", service: "sshd", src_ip: "203.0.113.5", src_port: 22, user: "root" });
    expect(e.attributes).toMatchObject({ host: "bastion", program: "sshd", pid: "4242" });
    expect(e.fingerprint).toMatch(/^syslog:[0-9a-f]{32}$/);
  });

  it("reads RFC 3164 without a PRI, a one-digit day after two spaces and a double space after the tag", () => {
    const e = parse("Feb  9 11:44:56 ubuntu2015 sshd[3]:  Failed password for root from 188.124.3.41 port 32889 ssh2");
    expect(e.time).toBe(Date.UTC(2026, 1, 9, 11, 44, 56));
    expect(e.user).toBe("root");
  });

  it("reads RFC 3164 with one space before a one-digit day", () => {
    expect(parse("Feb 9 11:44:56 h sshd[3]: Failed password for root from 10.0.0.1 port 1 ssh2").time).toBe(Date.UTC(2026, 1, 9, 11, 44, 56));
  });

  it("reads RFC 3164 without a host name", () => {
    const e = parse("Mar 11 22:55:32 sshd[77]: Failed password for root from 10.0.0.1 port 1 ssh2");
    expect(e.attributes).toMatchObject({ host: null, program: "sshd", pid: "77" });
  });

  it("gives a December line read on 1 January the previous year", () => {
    const e = event(parseSyslogLine("Dec 31 23:59:59 h sshd[1]: Failed password for root from 10.0.0.1 port 1 ssh2", { now: Date.UTC(2027, 0, 1) }));
    expect(e.time).toBe(Date.UTC(2026, 11, 31, 23, 59, 59));
  });

  it("reads a zone-less stamp in the configured zone", () => {
    const e = event(parseSyslogLine("Jul  1 12:00:00 h sshd[1]: Failed password for root from 10.0.0.1 port 1 ssh2", { ...ctx, timeZone: "Europe/Berlin" }));
    expect(e.time).toBe(Date.UTC(2026, 6, 1, 10));
  });

  it("reads RFC 5424 with structured data and a BOM before the message", () => {
    const line = '<38>1 2026-11-30T10:00:00.123456+01:00 bastion sshd 4242 - [meta sequenceId="1" note="a \\"]\\" b"] \uFEFFFailed password for root from 203.0.113.5 port 22 ssh2';
    const e = parse(line);
    expect(e.time).toBe(Date.UTC(2026, 10, 30, 9, 0, 0, 123));
    expect(e).toMatchObject({ user: "root", src_ip: "203.0.113.5" });
    expect(e.attributes).toMatchObject({ host: "bastion", program: "sshd", pid: "4242" });
  });

  it("reads RFC 5424 with nil structured data", () => {
    expect(parse("<86>1 2026-11-30T10:00:00Z bastion sshd - - - Invalid user admin from 203.0.113.5 port 40000").signature).toBe("sshd: invalid user");
  });

  it("reads an ISO stamp with a -0700 offset and two spaces before the host", () => {
    const e = parse("2020-03-24 08:38:42.344447-0700  localhost sshd[2519]: Failed password for user from 172.18.1.100 port 43042 ssh2");
    expect(e.time).toBe(Date.UTC(2020, 2, 24, 15, 38, 42, 344));
    expect(e.attributes?.host).toBe("localhost");
  });

  it("reads an ISO stamp with T and a +01:00 offset", () => {
    expect(parse("2013-10-30T14:51:30.267401+01:00 srv sshd[12671]: Invalid user opcione from 192.241.237.101").time).toBe(Date.UTC(2013, 9, 30, 13, 51, 30, 267));
  });

  it("reads the continuation after #012 as part of the message without letting it break parsing", () => {
    const e = parse(sshd("Failed password for root from 203.0.113.5 port 22 ssh2#012 continued: from 6.6.6.6 port 1"));
    expect(e.src_ip).toBe("203.0.113.5");
    expect(e.message).toBe("Failed password for root from 203.0.113.5 port 22 ssh2#012 continued: from 6.6.6.6 port 1");
  });

  it("strips a Solaris message id before the message", () => {
    const e = parse("Aug 18 07:30:25 192.168.1.5 sshd[20247]: [ID 800047 auth.notice] Failed none for root from 192.168.1.1 port 36942 ssh2");
    expect(e).toMatchObject({ signature: "sshd: failed none", user: "root", src_ip: "192.168.1.1" });
    expect(e.attributes).toMatchObject({ host: "192.168.1.5", attempt: false });
  });

  it("reads OpenSSH 9.8's sshd-session program as sshd", () => {
    expect(parse("Mar 11 22:55:32 h sshd-session[9]: Failed password for root from 10.0.0.1 port 1 ssh2").service).toBe("sshd");
  });
});

describe("parseSyslogLine: sshd", () => {
  it.each([
    ["Failed password for root from 203.0.113.5 port 22 ssh2", "sshd: failed password", "root", true],
    ["Failed password for invalid user admin from 203.0.113.5 port 22 ssh2", "sshd: failed password", "admin", true],
    ["Failed keyboard-interactive/pam for invalid user warez from 192.241.237.101 port 54197 ssh2", "sshd: failed keyboard-interactive", "warez", true],
    ["Failed publickey for plaso from 2001:db8::1 port 8759 ssh2: RSA SHA256:abc", "sshd: failed publickey", "plaso", true],
    ["Failed none for invalid user test from 203.0.113.5 port 22 ssh2", "sshd: failed none", "test", false],
  ])("reads %s as a failure", (message, signature, user, attempt) => {
    const e = parse(sshd(message));
    expect(e).toMatchObject({ kind: "auth_failure", severity: "low", service: "sshd", signature, user });
    expect(e.attributes?.attempt).toBe(attempt);
  });

  it("marks the invalid-user failure as such", () => {
    expect(parse(sshd("Failed password for invalid user admin from 203.0.113.5 port 22 ssh2")).attributes?.invalid_user).toBe(true);
  });

  it.each([
    ["Accepted password for plaso from 2001:0db8:0a0b:12f0:0000:0000:0000:0001 port 42532  ssh2", "sshd: accepted password", "2001:db8:a0b:12f0::1"],
    ["Accepted publickey for fred from 192.0.2.60 port 60594 ssh2: RSA e8:31:68:c7:01:2d:25:20:36:8f:50:5d:f9:ee:70:4c", "sshd: accepted publickey", "192.0.2.60"],
    ["Accepted keyboard-interactive/pam for fred from 192.0.2.60 port 1 ssh2", "sshd: accepted keyboard-interactive", "192.0.2.60"],
  ])("reads %s as a success of severity info", (message, signature, src) => {
    const e = parse(sshd(message));
    expect(e).toMatchObject({ kind: "auth_success", severity: "info", signature, src_ip: src });
    expect(e.attributes?.attempt).toBe(true);
  });

  it("reads old OpenSSH's 'illegal user' as an invalid user: the account is the name, not 'illegal user x'", () => {
    expect(parse(sshd("Failed password for illegal user oracle from 203.0.113.1 port 4000 ssh2"))).toMatchObject({ user: "oracle", signature: "sshd: failed password", attributes: { invalid_user: true, attempt: true } });
    expect(parse(sshd("Illegal user oracle from 203.0.113.1"))).toMatchObject({ user: "oracle", signature: "sshd: invalid user", src_ip: "203.0.113.1", attributes: { attempt: false } });
  });

  it("reads Invalid user with and without a port as a marker, not an attempt", () => {
    const a = parse(sshd("Invalid user opcione from 192.241.237.101"));
    expect(a).toMatchObject({ signature: "sshd: invalid user", user: "opcione", src_ip: "192.241.237.101", src_port: null });
    expect(a.attributes?.attempt).toBe(false);
    expect(parse(sshd("Invalid user admin from 203.0.113.5 port 40000")).src_port).toBe(40000);
  });

  it("keeps a user name with spaces and a fake source inside it as the user, and the real source as the source", () => {
    const e = parse(sshd("Failed password for invalid user x from 6.6.6.6 port 1 ssh2 from 203.0.113.5 port 22 ssh2"));
    expect(e.user).toBe("x from 6.6.6.6 port 1 ssh2");
    expect(e.src_ip).toBe("203.0.113.5");
  });

  it("counts 'message repeated N times' as N occurrences of the inner message", () => {
    const e = parse(sshd("message repeated 5 times: [ Failed password for root from 203.0.113.5 port 22 ssh2]"));
    expect(e).toMatchObject({ signature: "sshd: failed password", occurrences: 5, user: "root" });
  });

  it("reads both forms of POSSIBLE BREAK-IN ATTEMPT as medium markers from the address", () => {
    const a = parse(sshd("reverse mapping checking getaddrinfo for nmap.example.net [192.168.18.54] failed - POSSIBLE BREAK-IN ATTEMPT!"));
    expect(a).toMatchObject({ signature: "sshd: possible break-in attempt", severity: "medium", src_ip: "192.168.18.54" });
    expect(a.attributes).toMatchObject({ claimed_host: "nmap.example.net", attempt: false });
    const b = parse(sshd("Address 192.168.18.54 maps to nmap.18.168.192.in-addr.arpa, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!"));
    expect(b).toMatchObject({ signature: "sshd: possible break-in attempt", severity: "medium", src_ip: "192.168.18.54" });
  });

  it("reads maximum authentication attempts exceeded as medium, with and without invalid user", () => {
    const a = parse(sshd("error: maximum authentication attempts exceeded for root from 203.0.113.5 port 34100 ssh2 [preauth]"));
    expect(a).toMatchObject({ signature: "sshd: maximum authentication attempts exceeded", severity: "medium", user: "root", src_port: 34100 });
    expect(parse(sshd("error: maximum authentication attempts exceeded for invalid user badguy from 192.168.33.1 port 55146 ssh2 [preauth]")).user).toBe("badguy");
  });

  it.each([
    ["Disconnected from invalid user root 172.18.1.100 port 43042 [preauth]", "root"],
    ["Disconnected from authenticating user root 172.18.1.100 port 43042 [preauth]", "root"],
    ["Connection closed by invalid user admin 203.0.113.5 port 5 [preauth]", "admin"],
    ["Connection closed by authenticating user root 203.0.113.5 port 5 [preauth]", "root"],
    ["Connection closed by 10.0.2.2 port 55462 [preauth]", null],
    ["Connection closed by 212.47.254.145 [preauth]", null],
    ["Connection reset by authenticating user user 192.168.33.1 port 51772 [preauth]", "user"],
    ["Disconnecting invalid user root 172.18.1.100 port 43042: Too many authentication failures [preauth]", "root"],
    ["Received disconnect from 203.0.113.5 port 5:11: Bye Bye [preauth]", null],
  ])("reads %s as a preauth disconnect marker", (message, user) => {
    const e = parse(sshd(message));
    expect(e).toMatchObject({ signature: "sshd: preauth disconnect", user });
    expect(e.attributes?.attempt).toBe(false);
  });

  it("skips a disconnect after authentication (no [preauth], no invalid user)", () => {
    expect(parseSyslogLine(sshd("Disconnected from user bob 172.18.1.100 port 43042"), ctx)).toEqual({ status: "skipped", reason: "not security-relevant: sshd" });
    expect(parseSyslogLine(sshd("Received disconnect from 203.0.113.5 port 5:11: disconnected by user"), ctx).status).toBe("skipped");
  });

  it("reads Did not receive identification string and Bad protocol version as markers", () => {
    expect(parse(sshd("Did not receive identification string from 172.18.1.1 port 45824"))).toMatchObject({ signature: "sshd: no identification string", src_port: 45824 });
    const b = parse(sshd("Bad protocol version identification 'ls' from 172.18.1.1 port 59920"));
    expect(b).toMatchObject({ signature: "sshd: bad protocol version", src_ip: "172.18.1.1" });
    expect(b.attributes?.banner).toBe("ls");
  });

  it("reads error: PAM: Authentication failure as an attempt, and PAM's unknown user as a marker", () => {
    const a = parse(sshd("error: PAM: Authentication failure for root from 203.0.113.5"));
    expect(a).toMatchObject({ signature: "sshd: pam authentication failure", user: "root", src_ip: "203.0.113.5" });
    expect(a.attributes?.attempt).toBe(true);
    const b = parse(sshd("error: PAM: User not known to the underlying authentication module for illegal user warez from 192.241.237.101"));
    expect(b).toMatchObject({ signature: "sshd: pam unknown user", user: "warez" });
    expect(b.attributes?.attempt).toBe(false);
  });

  it("reads a PAM source given as a host name as the source host, in lower case", () => {
    const e = parse(sshd("error: PAM: Authentication failure for root from Host-1.NetVigator.com"));
    expect([e.src_ip, e.src_host]).toEqual([null, "host-1.netvigator.com"]);
  });

  it("reads User … not allowed as a marker", () => {
    expect(parse(sshd("User root from 192.168.33.1 not allowed because not listed in AllowUsers"))).toMatchObject({ signature: "sshd: user not allowed", user: "root" });
  });

  it.each(["Server listening on 0.0.0.0 port 22.", "Connection from 188.124.3.41 port 32889", "pam_unix(sshd:session): session opened for user bob by (uid=0)", "Postponed keyboard-interactive for invalid user warez from 192.241.237.101 port 54197 ssh2 [preauth]"])(
    "skips %s",
    (message) => {
      expect(parseSyslogLine(sshd(message), ctx)).toEqual({ status: "skipped", reason: "not security-relevant: sshd" });
    },
  );
});

describe("parseSyslogLine: PAM", () => {
  it("reads pam_unix(sshd:auth) with an IP rhost as an sshd failure from that address", () => {
    const e = parse("Mar 11 22:55:32 h sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5  user=root");
    expect(e).toMatchObject({ kind: "auth_failure", service: "sshd", signature: "pam: authentication failure", src_ip: "203.0.113.5", src_host: null, user: "root" });
    expect(e.attributes).toMatchObject({ attempt: true, pam_module: "pam_unix", pam_service: "sshd", tty: "ssh" });
  });

  it("reads an rhost host name as the source host in lower case", () => {
    const e = parse("Mar 11 22:55:32 h sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=N219076184117.NETVIGATOR.com");
    expect([e.src_ip, e.src_host, e.user]).toEqual([null, "n219076184117.netvigator.com", null]);
  });

  it("reads an IPv6 rhost canonically", () => {
    expect(parse("Mar 11 22:55:32 h sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=2001:DB8:0:0::5  user=root").src_ip).toBe("2001:db8::5");
  });

  it("reads the old tag form su(pam_unix)[pid] with an empty rhost", () => {
    const e = parse("Nov 11 22:46:29 localhost su(pam_unix)[23164]: authentication failure; logname= uid=1342 euid=0 tty= ruser=dcid rhost=  user=osaudit");
    expect(e).toMatchObject({ service: "su", user: "osaudit", src_ip: null, src_host: null });
    expect(e.attributes).toMatchObject({ ruser: "dcid", pam_module: "pam_unix", pam_service: "su" });
  });

  it("counts 'N more authentication failures' as N occurrences", () => {
    expect(parse("Nov 11 22:46:29 localhost sshd(pam_unix)[15794]: 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.0.3.1  user=root").occurrences).toBe(2);
    expect(parse(sshd("PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.0.3.1  user=root"))).toMatchObject({ occurrences: 5, service: "sshd" });
  });

  it("reads check pass; user unknown as a marker of service pam for other programs", () => {
    const e = parse("Nov 11 22:46:29 localhost xscreensaver(pam_unix)[25073]: check pass; user unknown");
    expect(e).toMatchObject({ service: "pam", signature: "pam: user unknown" });
    expect(e.attributes).toMatchObject({ attempt: false, pam_service: "xscreensaver" });
  });

  it("reads pam_faillock's lock as a medium account-locked event", () => {
    expect(parse("Mar 11 22:55:32 h sshd[1]: pam_faillock(sshd:auth): Consecutive login failures for user root account temporarily locked")).toMatchObject({ signature: "pam: account locked", severity: "medium", user: "root" });
  });

  it("skips PAM session lines", () => {
    expect(parseSyslogLine("Nov 11 22:46:29 localhost su(pam_unix)[14592]: session opened for user news by (uid=0)", ctx)).toEqual({ status: "skipped", reason: "not security-relevant: su" });
  });
});

describe("parseSyslogLine: mail servers and console logins", () => {
  it("reads dovecot's login line as the connection's tries, with the account, address, port and method", () => {
    const e = parse("Mar 11 22:55:32 mail dovecot[812]: imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<alice@bank.test>, method=PLAIN, rip=203.0.113.7, lip=10.0.0.5, rport=51234, lport=993, TLS, session=<Xy7>");
    expect(e).toMatchObject({ kind: "auth_failure", service: "dovecot", signature: "dovecot: auth failed", user: "alice@bank.test", src_ip: "203.0.113.7", src_port: 51234, occurrences: 3 });
    expect(e.attributes).toMatchObject({ process: "imap-login", method: "PLAIN", attempt: true });
  });

  it("reads the login process as the program, Aborted login and dovecot 2.3's Login aborted, an IPv6 address canonically", () => {
    expect(parse("Mar 11 22:55:32 mail pop3-login: Aborted login (auth failed, 1 attempts in 2 secs): user=<bob>, method=PLAIN, rip=2001:DB8:0:0:0:0:0:7, lip=::1")).toMatchObject({ user: "bob", src_ip: "2001:db8::7", occurrences: 1 });
    expect(parse("Mar 11 22:55:32 mail dovecot: imap-login: Login aborted: Connection closed (auth failed, 2 attempts in 4 secs) (auth_failed): user=<carol>, method=LOGIN, rip=198.51.100.4, lip=10.0.0.5")).toMatchObject({ user: "carol", src_ip: "198.51.100.4", occurrences: 2 });
  });

  it("skips dovecot's auth process lines for the same tries, saying so, and its logins without an auth failure", () => {
    expect(reason(parseSyslogLine("Mar 11 22:55:32 mail dovecot: auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=alice rhost=203.0.113.7  user=alice", ctx))).toBe("dovecot auth process: its login process's line counts these tries");
    expect(reason(parseSyslogLine("Mar 11 22:55:32 mail dovecot[812]: auth-worker(1234): pam(alice,203.0.113.7,<abc>): pam_authenticate() failed: Authentication failure (Password mismatch?)", ctx))).toBe("dovecot auth process: its login process's line counts these tries");
    expect(reason(parseSyslogLine("Mar 11 22:55:32 mail dovecot: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=203.0.113.7, lip=10.0.0.5", ctx))).toBe("not security-relevant: dovecot");
    expect(reason(parseSyslogLine("Mar 11 22:55:32 mail dovecot: imap-login: Login: user=<alice>, method=PLAIN, rip=203.0.113.7, lip=10.0.0.5", ctx))).toBe("not security-relevant: dovecot");
  });

  it("skips dovecot's PAM lines under any tag, reads dovecot 2.1's count without seconds, and never takes the count or address from inside the user name", () => {
    for (const tag of ["auth", "dovecot-auth", "dovecot[812]"]) {
      expect(reason(parseSyslogLine(`Mar 11 22:55:32 mail ${tag}: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=alice rhost=203.0.113.7  user=alice`, ctx))).toBe("dovecot auth process: its login process's line counts these tries");
    }
    expect(parse("Mar 11 22:55:32 mail dovecot: imap-login: Disconnected (auth failed, 2 attempts): user=<alice>, method=PLAIN, rip=203.0.113.7, lip=10.0.0.5")).toMatchObject({ occurrences: 2 });
    const forged = parse("Mar 11 22:55:32 mail dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<x (auth failed, 999 attempts in 1 secs) rip=10.9.9.9>, method=PLAIN, rip=203.0.113.7, lip=10.0.0.5");
    expect(forged).toMatchObject({ occurrences: 1, src_ip: "203.0.113.7" });
  });

  it("reads journalctl's short-unix and short-full stamps; short-full's zone only where it is UTC or the configured zone's name then", () => {
    const line = "web-1 sshd[4242]: Failed password for root from 203.0.113.5 port 22 ssh2";
    expect(parse(`1704103200.123456 ${line}`)).toMatchObject({ time: Date.UTC(2024, 0, 1, 10, 0, 0, 123), src_ip: "203.0.113.5", attributes: { host: "web-1" } });
    expect(parse(`Mon 2024-01-01 10:00:00 UTC ${line}`)).toMatchObject({ time: Date.UTC(2024, 0, 1, 10), attributes: { host: "web-1" } });
    const berlin = { ...ctx, timeZone: "Europe/Berlin" };
    expect(parseSyslogLine(`Mon 2024-01-01 10:00:00 CET ${line}`, berlin)).toMatchObject({ event: { time: Date.UTC(2024, 0, 1, 9) } });
    expect(parseSyslogLine(`Mon 2024-07-01 10:00:00 CEST ${line}`, berlin)).toMatchObject({ event: { time: Date.UTC(2024, 6, 1, 8) } });
    expect(reason(parseSyslogLine(`Mon 2024-01-01 10:00:00 CET ${line}`, ctx))).toMatch(/^timestamp: zone "CET" is not the configured zone's \(UTC\)/);
    expect(reason(parseSyslogLine(`Mon 2024-01-01 10:00:00 EST ${line}`, berlin))).toMatch(/^timestamp: zone "EST" is not the configured zone's/);
  });

  it("reads journalctl -o json records: the time (µs), host, identifier, pid and message", () => {
    const rec = { __REALTIME_TIMESTAMP: "1704103200123456", _HOSTNAME: "web-1", SYSLOG_IDENTIFIER: "sshd", _PID: "4242", SYSLOG_FACILITY: "10", MESSAGE: "Failed password for invalid user admin from 203.0.113.5 port 40000 ssh2" };
    expect(parse(JSON.stringify(rec))).toMatchObject({ time: Date.UTC(2024, 0, 1, 10, 0, 0, 123), signature: "sshd: failed password", user: "admin", src_ip: "203.0.113.5", attributes: { host: "web-1", program: "sshd", pid: "4242" } });
    expect(parse(JSON.stringify({ ...rec, SYSLOG_IDENTIFIER: "sshd-session", MESSAGE: "Connection closed by 203.0.113.5 port 22" }))).toMatchObject({ signature: "sshd: preauth disconnect" });
    // journalctl writes MESSAGE as an array of bytes when it holds a control character or is not UTF-8: read as UTF-8
    expect(reason(parseSyslogLine(JSON.stringify({ ...rec, MESSAGE: [70, 97, 105, 108] }), ctx))).toBe("not security-relevant: sshd");
    const bytes = [...Buffer.from("Failed password for invalid user \u001b[31madmin from 203.0.113.5 port 40000 ssh2\t", "utf8")];
    expect(parse(JSON.stringify({ ...rec, MESSAGE: bytes }))).toMatchObject({ signature: "sshd: failed password", user: "\u001b[31madmin", src_ip: "203.0.113.5", src_port: 40000 });
    expect(reason(parseSyslogLine(JSON.stringify({ ...rec, MESSAGE: { a: 1 } }), ctx))).toBe("journald record: MESSAGE is not text or an array of bytes");
    expect(reason(parseSyslogLine(JSON.stringify({ ...rec, MESSAGE: [70, 300] }), ctx))).toBe("journald record: MESSAGE is not text or an array of bytes");
    expect(reason(parseSyslogLine(JSON.stringify({ ...rec, MESSAGE: "Server listening on 0.0.0.0 port 22." }), ctx))).toBe("not security-relevant: sshd");
    expect(reason(parseSyslogLine('{"a":1}', ctx))).toMatch(/^not syslog/);
    // -o json-seq: RFC 7464's record separator before each record
    expect(parse(`\u001e${JSON.stringify(rec)}`)).toMatchObject({ signature: "sshd: failed password", user: "admin", src_ip: "203.0.113.5" });
  });

  it("reads NXLog's to_json() records sent without a syslog header: EventTime in the configured zone (or its offset), Hostname", () => {
    const rec = { EventTime: "2026-11-30 10:00:00", Hostname: "WEB-1", EventID: 4625, SourceName: "Microsoft-Windows-Security-Auditing", Channel: "Security", TargetUserName: "bob", IpAddress: "203.0.113.9", IpPort: "51234", WorkstationName: "KALI" };
    expect(parse(JSON.stringify(rec))).toMatchObject({ time: Date.UTC(2026, 10, 30, 10), signature: "windows: logon failed (4625)", user: "bob", src_ip: "203.0.113.9", attributes: { host: "WEB-1" } });
    expect(parseSyslogLine(JSON.stringify(rec), { ...ctx, timeZone: "Europe/Berlin" })).toMatchObject({ event: { time: Date.UTC(2026, 10, 30, 9) } });
    expect(parse(JSON.stringify({ ...rec, EventTime: "2026-11-30T10:00:00.000+02:00" }))).toMatchObject({ time: Date.UTC(2026, 10, 30, 8) });
    expect(reason(parseSyslogLine(JSON.stringify({ ...rec, EventTime: "yesterday" }), ctx))).toMatch(/^timestamp: NXLog's EventTime is not a time/);
  });

  it("reads a TAI64N label in place of the stamp (multilog, svlogd -t): its UTC time by libtai's convention, no host", () => {
    const e = parse("@400000004c91b044077a9e94 imap-login: Info: Aborted login (auth failed, 1 attempts): user=<martin>, method=CRAM-MD5, rip=203.0.113.80, lip=10.0.0.5, TLS");
    expect(e).toMatchObject({ time: Date.UTC(2010, 8, 16, 5, 50, 50, 125), signature: "dovecot: auth failed", user: "martin", src_ip: "203.0.113.80", attributes: { host: null, program: "imap-login" } });
    expect(reason(parseSyslogLine("@400000004c91b044077a9e94 dovecot-auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=web rhost=203.0.113.81", ctx))).toBe("dovecot auth process: its login process's line counts these tries");
    expect(reason(parseSyslogLine("@4000000x4c91b044077a9e94 sshd[1]: Failed password for root from 203.0.113.5 port 22 ssh2", ctx))).toMatch(/^not syslog/);
  });

  it("skips postfix's SASL failures that judged no credential (its SASL server unreachable, a mechanism not offered), saying so", () => {
    expect(reason(parseSyslogLine("Feb  3 08:29:28 mail postfix/smtpd[21022]: warning: unknown[203.0.113.17]: SASL LOGIN authentication failed: Connection lost to authentication server", ctx))).toBe("postfix: the SASL authentication server was unreachable, no credential was judged");
    expect(reason(parseSyslogLine("Jan 14 16:18:16 mx postfix/smtpd[14933]: warning: host[203.0.113.17]: SASL CRAM-MD5 authentication failed: Invalid authentication mechanism", ctx))).toBe("postfix: a SASL mechanism the server does not offer, no credential was tried");
    expect(parse("Jan 29 08:11:45 mail postfix/smtpd[10752]: warning: unknown[203.0.113.17]: SASL LOGIN authentication failed: Password:")).toMatchObject({ signature: "postfix: sasl authentication failed", src_ip: "203.0.113.17" });
  });

  it("reads postfix's SASL failures from the bracketed address, with the account when postfix names it", () => {
    const e = parse("Mar 11 22:55:32 mx postfix/smtpd[86]: warning: unknown[203.0.113.17]: SASL LOGIN authentication failed: UGFzc3dvcmQ6");
    expect(e).toMatchObject({ kind: "auth_failure", service: "postfix", signature: "postfix: sasl authentication failed", src_ip: "203.0.113.17", user: null });
    expect(e.attributes).toMatchObject({ sasl_method: "LOGIN", attempt: true });
    const named = parse("Mar 11 22:55:32 mx postfix/submission/smtpd[87]: warning: host-9.example.net[198.51.100.9]:587: SASL PLAIN authentication failed: authentication failure, sasl_username=bob@bank.test");
    expect(named).toMatchObject({ src_ip: "198.51.100.9", src_port: 587, user: "bob@bank.test" });
    expect(named.attributes).toMatchObject({ client_name: "host-9.example.net" });
  });

  it("reads login's FAILED LOGIN on a console (no source) and over the network (the remote host)", () => {
    expect(parse("Mar 11 22:55:32 h1 login[1234]: FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure")).toMatchObject({ service: "login", user: "root", src_ip: null, src_host: null, attributes: { tty: "/dev/tty1" } });
    expect(parse("Mar 11 22:55:32 h1 login[1235]: FAILED LOGIN 1 FROM 203.0.113.8 FOR root, Authentication failure")).toMatchObject({ user: "root", src_ip: "203.0.113.8" });
    expect(parse("Mar 11 22:55:32 h1 login[1236]: FAILED LOGIN (2) on '/dev/pts/3' from 'Term-7.Example.net' FOR 'admin', User not known to the underlying authentication module")).toMatchObject({ user: "admin", src_host: "term-7.example.net" });
    // util-linux: the tty where a remote host would be (a console login), its session's last try, an unknown name
    expect(parse("Mar 11 22:55:32 h1 login[1237]: FAILED LOGIN 1 FROM tty1 FOR root, Authentication failure")).toMatchObject({ src_ip: null, src_host: null, attributes: { tty: "tty1" } });
    expect(parse("Mar 11 22:55:32 h1 login[1237]: FAILED LOGIN SESSION FROM 203.0.113.8 FOR root, Authentication failure")).toMatchObject({ user: "root", src_ip: "203.0.113.8" });
    expect(parse("Mar 11 22:55:32 h1 login[1237]: TOO MANY LOGIN TRIES (3) FROM 203.0.113.8 FOR (unknown), Authentication failure")).toMatchObject({ user: null, src_ip: "203.0.113.8" });
  });
});

describe("parseSyslogLine: routers, firewalls and VPN gateways", () => {
  it("reads Cisco IOS login failures and successes behind its sequence number and own stamp", () => {
    const e = parse("<189>Nov 30 10:00:00 router1 2345: *Nov 30 10:00:00.123 UTC: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 203.0.113.5] [localport: 22] [Reason: Login Authentication Failed - BadPassword] at 10:00:00 UTC Mon Nov 30 2026");
    expect(e).toMatchObject({ kind: "auth_failure", service: "cisco-ios", signature: "cisco-ios: login failed", user: "admin", src_ip: "203.0.113.5", src_port: null });
    expect(e.attributes).toMatchObject({ host: "router1", local_port: 22, reason: "Login Authentication Failed - BadPassword", attempt: true });
    expect(parse("<190>Nov 30 10:00:00 router1 2346: Nov 30 10:00:00.123 UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: admin] [Source: 10.0.0.9] [localport: 22] at 10:00:00 UTC Mon Nov 30 2026")).toMatchObject({ kind: "auth_success", user: "admin", src_ip: "10.0.0.9" });
  });

  it("reads a Cisco line sent without a syslog header by its own stamp when it says UTC, and refuses an ambiguous zone with a reason", () => {
    expect(parse("<189>2345: Nov 30 10:00:00.123 UTC: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 203.0.113.5] [localport: 22]").time).toBe(Date.UTC(2026, 10, 30, 10, 0, 0, 123));
    // "*": the device's clock is not synchronised (it says 1 March after a reboot): its stamp is not a time
    expect(reason(parseSyslogLine("<189>2345: *Mar  1 00:13:57.715 UTC: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 203.0.113.5] [localport: 22]", ctx))).toMatch(/^timestamp: the device's clock is not synchronised/);
    expect(reason(parseSyslogLine("<189>2345: Nov 30 10:00:00.123 CET: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 203.0.113.5] [localport: 22]", ctx))).toBe('timestamp: zone "CET" is ambiguous: have the device log in UTC (clock timezone UTC 0) or show its offset');
  });

  it("reads Cisco ASA AAA rejections as attempts (a masked user as none) and Login denied as a marker of its connection", () => {
    expect(parse("<189>Nov 30 10:00:00 asa1 %ASA-6-113015: AAA user authentication Rejected : reason = AAA failure : server = 10.0.0.2 : user = admin : user IP = 203.0.113.5")).toMatchObject({ service: "cisco-asa", user: "admin", src_ip: "203.0.113.5", attributes: { attempt: true, aaa_server: "10.0.0.2" } });
    expect(parse("<189>Nov 30 10:00:00 asa1 %ASA-6-113015: AAA user authentication Rejected : reason = AAA failure : server = 10.0.0.2 : user = *** : user IP = 203.0.113.5").user).toBeNull();
    expect(parse("<189>Nov 30 10:00:00 asa1 %ASA-6-113015: AAA user authentication Rejected : reason = Invalid password : local database : user = admin : user IP = 203.0.113.5")).toMatchObject({ user: "admin", src_ip: "203.0.113.5", attributes: { aaa_server: "local database" } });
    // the same try again: not counted twice
    expect(reason(parseSyslogLine("<189>Nov 30 10:00:00 asa1 %ASA-6-611102: User authentication failed: IP address: 203.0.113.5, Uname: admin", ctx))).toBe("asa 611102: the 113005/113015 line of the same try counts it");
    expect(parse('<189>Nov 30 10:00:00 asa1 : %ASA-6-605004: Login denied from 203.0.113.5/51234 to outside:10.0.0.1/ssh for user "admin"')).toMatchObject({ signature: "cisco-asa: login denied", src_port: 51234, attributes: { attempt: false, interface: "outside" } });
  });

  it("does not let text inside a device's own fields forge its source or its outcome", () => {
    // a ']' in an IOS user name, another ASA message inside one, a quoted FortiGate value carrying fields
    expect(parse("<189>Nov 30 10:00:00 r1 2345: Nov 30 10:00:00.123 UTC: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: x] [Source: 10.9.9.9] [localport: 22] [Reason: y] [Source: 203.0.113.5] [localport: 22] [Reason: Login Authentication Failed] at 10:00:00 UTC Mon Nov 30 2026")).toMatchObject({ kind: "auth_failure", src_ip: "203.0.113.5" });
    expect(parse('<189>Nov 30 10:00:00 asa1 %ASA-6-605004: Login denied from 203.0.113.5/51234 to outside:10.0.0.1/ssh for user "x %ASA-6-605005: Login permitted from 10.9.9.9/1 to inside:10.0.0.1/ssh for user admin"')).toMatchObject({ kind: "auth_failure", src_ip: "203.0.113.5" });
    expect(parse('<13>Nov 30 10:00:00 fg1 date=2026-11-30 time=10:00:00 devname="fg1" logid="0101039426" type="event" subtype="vpn" logdesc="SSL VPN login fail" action="ssl-login-fail" remip=203.0.113.6 user="x srcip=10.9.9.9 action=login status=success" reason="sslvpn_login_unknown_user"')).toMatchObject({ kind: "auth_failure", src_ip: "203.0.113.6", user: "x srcip=10.9.9.9 action=login status=success" });
    expect(reason(parseSyslogLine('<13>Nov 30 10:00:00 fg1 date=2026-11-30 logid="0100032002" type="event" user="x" srcip=10.9.9.9 srcip=203.0.113.5 action="login" status="failed"', ctx))).toBe("not security-relevant: no program tag");
  });

  it("reads a FortiGate sent in its default format (no header) by its eventtime, or its date, time and tz", () => {
    const base = 'devname="fg1" logid="0100032002" type="event" subtype="system" logdesc="Admin login failed" user="admin" srcip=203.0.113.5 action="login" status="failed" reason="passwd_invalid"';
    expect(parse(`<189>date=2026-11-30 time=10:00:00 ${base} eventtime=1796032800123456789 tz="+0100"`)).toMatchObject({ time: 1796032800123, src_ip: "203.0.113.5", attributes: { host: "fg1" } });
    expect(parse(`<189>date=2026-11-30 time=10:00:00 ${base} tz="+0100"`).time).toBe(Date.UTC(2026, 10, 30, 9, 0, 0));
    expect(parse(`<189>date=2026-11-30 time=10:00:00 ${base}`).time).toBe(Date.UTC(2026, 10, 30, 10, 0, 0));
    expect(reason(parseSyslogLine(`<189>date=2026-11-30 ${base}`, ctx))).toBe("timestamp: a FortiGate line needs date=YYYY-MM-DD and time=HH:MM:SS (or eventtime=)");
  });

  it("reads an ASA stamped by itself (logging timestamp), with or without its device id", () => {
    expect(parse('<166>Nov 30 2026 10:00:00: %ASA-6-605004: Login denied from 203.0.113.5/51234 to outside:10.0.0.1/ssh for user "admin"')).toMatchObject({ time: Date.UTC(2026, 10, 30, 10, 0, 0), src_ip: "203.0.113.5", attributes: { host: null } });
    expect(parse("<166>Nov 30 2026 10:00:00 asa1 : %ASA-6-113005: AAA user authentication Rejected : reason = AAA failure : server = 10.0.0.2 : user = admin : user IP = 203.0.113.5")).toMatchObject({ src_ip: "203.0.113.5", attributes: { host: "asa1" } });
  });

  it("counts an ASA line's 'message repeated N times' as N tries", () => {
    expect(parse("<189>Nov 30 10:00:00 asa1 %ASA-6-113005: message repeated 5 times: [ AAA user authentication Rejected : reason = AAA failure : server = 10.0.0.2 : user = admin : user IP = 203.0.113.5]")).toMatchObject({ occurrences: 5, src_ip: "203.0.113.5" });
  });

  it("reads FortiGate admin and SSL VPN login failures from its key=value fields", () => {
    expect(parse('<13>Nov 30 10:00:00 fg1 date=2026-11-30 time=10:00:00 devname=fg1 logid=0100032002 type=event subtype=system level=alert logdesc="Admin login failed" user="admin" srcip=203.0.113.5 action=login status=failed reason="passwd_invalid"')).toMatchObject({ service: "fortigate", signature: "fortigate: admin login failed", user: "admin", src_ip: "203.0.113.5" });
    expect(parse('<13>Nov 30 10:00:00 fg1 date=2026-11-30 time=10:00:00 devname="fg1" logid="0101039426" type="event" subtype="vpn" level="alert" logdesc="SSL VPN login fail" action="ssl-login-fail" remip=203.0.113.6 user="bob" reason="sslvpn_login_permission_denied"')).toMatchObject({ signature: "fortigate: ssl vpn login failed", user: "bob", src_ip: "203.0.113.6" });
    // FortiOS 5 has no srcip: the client is in ui=, after the interface it used
    expect(parse('date=2016-06-17 time=02:37:41 devname=fw1 devid=FGT60D0000000000 logid=0100032002 type=event subtype=system level=alert vd="root" logdesc="Admin login failed" sn=0 user="root" ui=ssh(203.0.113.7) action=login status=failed reason="name_invalid" msg="Administrator root login failed from ssh(203.0.113.7) because of invalid user name"')).toMatchObject({ signature: "fortigate: admin login failed", user: "root", src_ip: "203.0.113.7" });
    expect(parse('date=2016-06-16 time=16:22:34 devname=fw1 devid=FGT60D0000000000 logid=0100032001 type=event subtype=system level=information vd="root" logdesc="Admin login successful" sn=1466090554 user="ops" ui=https(10.42.8.25) action=login status=success reason=none profile="super_admin"')).toMatchObject({ kind: "auth_success", src_ip: "10.42.8.25" });
    expect(parse('date=2016-06-17 time=02:37:41 devname=fw1 logid=0100032002 type=event subtype=system user="root" ui=GUI(x) action=login status=failed')).toMatchObject({ src_ip: null });
  });

  it("does not read a device's or Windows' text quoted inside another program's message (an attacker's user name) as that device's login", () => {
    const spoof = parse(sshd("Invalid user %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 10.0.0.1] [localport: 22] from 203.0.113.5 port 4000"));
    expect(spoof).toMatchObject({ service: "sshd", signature: "sshd: invalid user", src_ip: "203.0.113.5" });
    expect(reason(parseSyslogLine("Nov 30 10:00:00 app1 webapp[7]: login for %ASA-6-113015: AAA user authentication Rejected : reason = x : server = y : user = admin : user IP = 10.0.0.1", ctx))).toBe("not security-relevant: webapp");
    expect(reason(parseSyslogLine("Nov 30 10:00:00 app1 webapp[7]: note MSWinEventLog 4625 An account failed to log on. Account Name: bob Source Network Address: 10.0.0.1", ctx))).toBe("not security-relevant: webapp");
    expect(reason(parseSyslogLine('Nov 30 10:00:00 app1 webapp[7]: {"EventID":4625,"Channel":"Security","TargetUserName":"bob","IpAddress":"10.9.9.9"}', ctx))).toBe("not security-relevant: webapp");
  });

  it("reads a Cisco line sent with its origin-id (host name, IPv4, IPv6) and with or without a sequence number: the origin names the device", () => {
    const login = "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 203.0.113.5] [localport: 22] [Reason: Login Authentication Failed] at 10:00:00 UTC Mon Nov 30 2026";
    expect(parse(`<189>123: router1: Nov 30 10:00:00.123 UTC: ${login}`)).toMatchObject({ time: Date.UTC(2026, 10, 30, 10, 0, 0, 123), service: "cisco-ios", user: "admin", src_ip: "203.0.113.5", attributes: { host: "router1" } });
    expect(parse(`<189>45: 10.0.0.1: Nov 30 10:00:00 UTC: ${login}`)).toMatchObject({ src_ip: "203.0.113.5", attributes: { host: "10.0.0.1" } });
    expect(parse(`<189>45: 2001:db8::1: Nov 3 10:00:00 UTC: ${login}`)).toMatchObject({ time: Date.UTC(2026, 10, 3, 10), attributes: { host: "2001:db8::1" } });
    expect(parse(`<189>router1: Nov 30 10:00:00.123 UTC: ${login}`)).toMatchObject({ src_ip: "203.0.113.5", attributes: { host: "router1" } });
    expect(parse(`<189>Nov 30 10:00:00.123 UTC: ${login}`)).toMatchObject({ src_ip: "203.0.113.5", attributes: { host: null } });
    // the device's own sequence number after the relay's is no origin
    expect(parse(`<189>123: 000456: Nov 30 10:00:00.123 UTC: ${login}`)).toMatchObject({ src_ip: "203.0.113.5", attributes: { host: null } });
    expect(parse(`<189>123: 000456: router1: Nov 30 10:00:00.123 UTC: ${login}`)).toMatchObject({ attributes: { host: "router1" } });
    // logging origin-id string "core rtr 1": spaces in the origin
    expect(parse(`<189>123: core rtr 1: Nov 30 10:00:00.123 UTC: ${login}`)).toMatchObject({ time: Date.UTC(2026, 10, 30, 10, 0, 0, 123), src_ip: "203.0.113.5", attributes: { host: "core rtr 1" } });
    expect(parse(`<189>core rtr-1.lab: Nov 30 10:00:00 UTC: ${login}`)).toMatchObject({ src_ip: "203.0.113.5", attributes: { host: "core rtr-1.lab" } });
    expect(reason(parseSyslogLine(`<189>123: core rtr 1: *Nov 30 10:00:00.123 UTC: ${login}`, ctx))).toMatch(/^timestamp: the device's clock is not synchronised/);
    // "*": the clock is not synchronised, as without an origin-id
    expect(reason(parseSyslogLine(`<189>123: router1: *Mar  1 00:00:00.000: ${login}`, ctx))).toMatch(/^timestamp: the device's clock is not synchronised/);
    // no stamp at all: refused, saying why
    expect(reason(parseSyslogLine(`<189>123: router1: ${login}`, ctx))).toMatch(/^timestamp: none: a Cisco line without the device's date/);
    expect(reason(parseSyslogLine(`<189>123: ${login}`, ctx))).toMatch(/^timestamp: none: a Cisco line without the device's date/);
    expect(reason(parseSyslogLine('<166>%ASA-6-605004: Login denied from 203.0.113.5/51234 to outside:10.0.0.1/ssh for user "admin"', ctx))).toMatch(/^timestamp: none: an ASA line without the device's date \(set logging timestamp/);
  });

  it("reads a Cisco line a relay stamped, its origin-id after the sequence number or taken for the tag, but not another program's message that starts like one", () => {
    const login = "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 203.0.113.5] [localport: 22]";
    expect(parse(`<189>Nov 30 10:00:00 10.0.0.1 123: router1: Nov 30 10:00:00.123 UTC: ${login}`)).toMatchObject({ service: "cisco-ios", src_ip: "203.0.113.5" });
    expect(parse(`<189>Nov 30 10:00:00 10.0.0.1 router1: Nov 30 10:00:00.123 UTC: ${login}`)).toMatchObject({ service: "cisco-ios", src_ip: "203.0.113.5", attributes: { program: "router1" } });
    // an origin-id with spaces after the relay's header (its sequence number the tag, or no tag): the relay's stamp dates it
    expect(parse(`<189>Nov 30 10:00:00 10.0.0.1 123: core rtr 1: Nov 30 10:00:00.123 UTC: ${login}`)).toMatchObject({ time: Date.UTC(2026, 10, 30, 10), service: "cisco-ios", src_ip: "203.0.113.5", attributes: { host: "10.0.0.1" } });
    expect(parse(`<189>Nov 30 10:00:00 10.0.0.1 core rtr 1: Nov 30 10:00:00.123 UTC: ${login}`)).toMatchObject({ service: "cisco-ios", src_ip: "203.0.113.5", attributes: { host: "10.0.0.1" } });
    expect(parse(`<189>Nov 30 10:00:01 rtr1: Nov 30 10:00:00.123 UTC: ${login}`)).toMatchObject({ time: Date.UTC(2026, 10, 30, 10, 0, 1), attributes: { program: "rtr1" } });
    // text with spaces before a device message is no origin-id unless the device's stamp follows it
    expect(reason(parseSyslogLine(`<189>Nov 30 10:00:00 app1 note from bob: ${login}`, ctx))).toBe("not security-relevant: no program tag");
    expect(reason(parseSyslogLine(`<189>Nov 30 10:00:00 app1 webapp[7]: Nov 30 10:00:00.123 UTC: ${login}`, ctx))).toBe("not security-relevant: webapp");
    expect(reason(parseSyslogLine(`<189>Nov 30 10:00:00 app1 webapp: login for Nov 30 10:00:00.123 UTC: ${login}`, ctx))).toBe("not security-relevant: webapp");
  });

  it("reads a Cisco IOS/ASA stamp whose zone carries an offset (UTC+1, CET+1, UTC-5, GMT+05:30) with the offset applied; a zone name without one stays refused, naming it", () => {
    const login = "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 203.0.113.5] [localport: 22] [Reason: Login Authentication Failed - BadPassword]";
    // UTC+1: the device's clock reads UTC plus an hour, so 18:46:11 there is 17:46:11 UTC
    expect(parse(`<189>2345: Mar  1 18:46:11.123 UTC+1: ${login}`)).toMatchObject({ time: Date.UTC(2026, 2, 1, 17, 46, 11, 123), service: "cisco-ios", src_ip: "203.0.113.5" });
    expect(parse(`<189>2345: Mar 1 2026 18:46:11 CET+1: ${login}`).time).toBe(Date.UTC(2026, 2, 1, 17, 46, 11));
    expect(parse(`<189>2345: Mar  1 2026 18:46:11 UTC-5: ${login}`).time).toBe(Date.UTC(2026, 2, 1, 23, 46, 11));
    expect(parse(`<189>2345: sw01: Mar  1 18:46:11.5 GMT+05:30: ${login}`)).toMatchObject({ time: Date.UTC(2026, 2, 1, 13, 16, 11, 500), attributes: { host: "sw01" } });
    expect(parse(`<189>2345: Mar  1 18:46:11 EST-0500: ${login}`).time).toBe(Date.UTC(2026, 2, 1, 23, 46, 11));
    // the year from the device's own "now": 20:00 on 31 December in UTC-5 read at 01:00 UTC on 1 January is last year's
    expect(event(parseSyslogLine(`<189>2345: Dec 31 20:00:00 UTC-5: ${login}`, { now: Date.UTC(2027, 0, 1, 1) })).time).toBe(Date.UTC(2027, 0, 1, 1));
    // an ASA stamped by itself with such a zone
    expect(parse('<166>Mar  1 2026 18:46:11 CET+1: %ASA-6-605004: Login denied from 203.0.113.5/51234 to outside:10.0.0.1/ssh for user "admin"')).toMatchObject({ time: Date.UTC(2026, 2, 1, 17, 46, 11), src_ip: "203.0.113.5", attributes: { host: null } });
    expect(parse('<166>Mar  1 2026 18:46:11 UTC+1 asa1 : %ASA-6-605004: Login denied from 203.0.113.5/51234 to outside:10.0.0.1/ssh for user "admin"')).toMatchObject({ time: Date.UTC(2026, 2, 1, 17, 46, 11), attributes: { host: "asa1" } });
    // behind a relay's header the relay's stamp dates it, and the line is still read as Cisco's
    expect(parse(`<189>Nov 30 10:00:01 rtr1: Nov 30 10:00:00.123 UTC+1: ${login}`)).toMatchObject({ time: Date.UTC(2026, 10, 30, 10, 0, 1), service: "cisco-ios" });
    expect(parse(`<189>Nov 30 10:00:00 10.0.0.1 123: router1: Nov 30 10:00:00.123 GMT+05:30: ${login}`)).toMatchObject({ service: "cisco-ios", src_ip: "203.0.113.5" });
    // refused: an offset no zone has, a zone name alone, a clock not synchronised (whatever its zone)
    expect(reason(parseSyslogLine(`<189>2345: Mar  1 18:46:11 UTC+15: ${login}`, ctx))).toBe('timestamp: zone "UTC+15" is not an offset from UTC (−14:00 to +14:00)');
    expect(reason(parseSyslogLine(`<189>2345: Mar  1 18:46:11 CET: ${login}`, ctx))).toBe('timestamp: zone "CET" is ambiguous: have the device log in UTC (clock timezone UTC 0) or show its offset');
    expect(reason(parseSyslogLine(`<189>2345: *Mar  1 18:46:11.123 UTC+1: ${login}`, ctx))).toMatch(/^timestamp: the device's clock is not synchronised/);
  });

  it("reads a Cisco stamp with the year (service timestamps … year), an empty sequence number, and the device's sequence number after its origin-id", () => {
    const login = "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 192.0.2.5] [localport: 22] [Reason: Login Authentication Failed] at 20:52:12 UTC Tue Jan 6 2026";
    // without a syslog header: the device's year dates the line (a zone-less stamp in the configured zone)
    expect(parse(`<189>2360957: Jan  6 2026 20:52:12.861 UTC: ${login}`)).toMatchObject({ time: Date.UTC(2026, 0, 6, 20, 52, 12, 861), service: "cisco-ios", user: "admin", src_ip: "192.0.2.5" });
    expect(parse(`<189>2360957: Jan  6 2025 20:52:12.861: ${login}`).time).toBe(Date.UTC(2025, 0, 6, 20, 52, 12, 861));
    expect(parse(`<189>2361044: sw01: Jan  6 2026 20:52:12.861 UTC: ${login}`)).toMatchObject({ src_ip: "192.0.2.5", attributes: { host: "sw01" } });
    // "<189>: " (no sequence number, its colon kept)
    expect(parse(`<189>: Jan  6 2026 20:52:12.861 UTC: ${login}`).src_ip).toBe("192.0.2.5");
    expect(parse(`<189>: sw01: Jan  6 20:52:12.861 UTC: ${login}`)).toMatchObject({ time: Date.UTC(2026, 0, 6, 20, 52, 12, 861), attributes: { host: "sw01" } });
    // the syslog message number, the origin-id, then the device's own sequence number
    expect(parse(`<189>3132811: sw01: 3132807: Jan  6 2026 20:52:12.398 UTC: ${login}`)).toMatchObject({ src_ip: "192.0.2.5", attributes: { host: "sw01" } });
    // behind a relay's header: the sequence number as the tag, or the origin-id taken for the tag
    expect(parse(`<190>Jan  6 20:52:13 192.0.2.2 585917: Jan  6 2026 20:52:12 UTC: ${login}`)).toMatchObject({ service: "cisco-ios", src_ip: "192.0.2.5" });
    expect(parse(`<190>Jan  6 20:52:13 192.0.2.2 sw01: 3132779: Jan  6 2026 20:52:12.398 UTC: ${login}`)).toMatchObject({ service: "cisco-ios", src_ip: "192.0.2.5", attributes: { program: "sw01" } });
    expect(parse(`<190>Jan  6 20:52:13 192.0.2.2 sw01: 3132779: Jan  6 20:52:12.398 UTC: ${login}`)).toMatchObject({ service: "cisco-ios", src_ip: "192.0.2.5" });
    // the device's sequence number past 999999 (seven digits), and an uptime in years and weeks (no date: refused saying so)
    expect(parse(`<190>3352436: 3352457: Jan  6 2026 20:52:12.412 UTC: ${login}`).src_ip).toBe("192.0.2.5");
    expect(reason(parseSyslogLine(`<190>3132517: sw01: 2y10w: ${login}`, ctx))).toMatch(/^timestamp: none: a Cisco line without the device's date/);
    // a year that is not one (a date that does not exist) is refused
    expect(reason(parseSyslogLine(`<189>2360957: Feb 30 2026 20:52:12.861 UTC: ${login}`, ctx))).toMatch(/^timestamp: not a calendar date/);
  });

  it("reads Cisco IOS's SSH user authentication (ip ssh logging events); with SEC_LOGIN on too, one try counts once", () => {
    const ssh = (user: string, src: string, outcome: string, t = "10:00:00") => `<189>4423: rtr1: Nov 30 ${t}.200 UTC: %SSH-5-SSH2_USERAUTH: User '${user}' authentication for SSH2 Session from ${src} (tty = 0) using crypto cipher 'aes256-ctr', hmac 'hmac-sha2-256' ${outcome}`;
    const sec = (user: string, src: string, t = "10:00:00") => `<189>4424: rtr1: Nov 30 ${t}.300 UTC: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: ${user}] [Source: ${src}] [localport: 22] [Reason: Login Authentication Failed] at ${t} UTC Mon Nov 30 2026`;
    expect(parse(ssh("admin", "203.0.113.5", "Failed"))).toMatchObject({ kind: "auth_failure", service: "cisco-ios", signature: "cisco-ios: ssh authentication failed", user: "admin", src_ip: "203.0.113.5", time: Date.UTC(2026, 10, 30, 10, 0, 0, 200), attributes: { host: "rtr1", attempt: true } });
    expect(parse(ssh("ops", "10.0.0.9", "Succeeded"))).toMatchObject({ kind: "auth_success", signature: "cisco-ios: ssh authentication succeeded", user: "ops" });
    expect(parse(`<189>Nov 30 10:00:01 10.0.0.1 4423: Nov 30 10:00:00.200 UTC: %SSH-5-SSH2_USERAUTH: User 'a' b' authentication for SSH2 Session from 203.0.113.5 (tty = 0) using crypto cipher 'aes128-ctr', hmac 'hmac-sha1' Failed`)).toMatchObject({ user: "a' b", src_ip: "203.0.113.5" });
    const counted = (lines: string[]) => {
      const events: StoredEvent[] = lines.map((l, i) => ({ ...parse(l), id: i + 1 }));
      return new FailureCounter().weigh(events.map((event) => ({ key: "k", event, entry: entryOf(event) }))).reduce((n, it) => n + it.entry.weight, 0);
    };
    expect(counted([ssh("admin", "203.0.113.5", "Failed"), sec("admin", "203.0.113.5"), ssh("admin", "203.0.113.5", "Failed", "10:00:04"), sec("admin", "203.0.113.5", "10:00:04")])).toBe(2);
    expect(counted([ssh("admin", "203.0.113.5", "Failed"), ssh("admin", "203.0.113.5", "Failed", "10:00:04")])).toBe(2);
    expect(counted([ssh("root", "203.0.113.5", "Failed"), sec("admin", "203.0.113.5")])).toBe(2);
  });

  it("reads Junos in RFC 5424 structured form: its event tag from MSGID", () => {
    const e = parse(`<38>1 2026-03-03T10:00:00.000Z fw1 sshd 1234 SSHD_LOGIN_FAILED [junos@2636.1.1.1.2.18 username="root" source-address="203.0.113.5"] Login failed for user 'root' from host '203.0.113.5'`);
    expect(e).toMatchObject({ service: "sshd", signature: "sshd: junos login failed", user: "root", src_ip: "203.0.113.5", attributes: { pid: "1234", attempt: false } });
    expect(parse(`<38>1 2026-03-03T10:00:00.000Z fw1 login 1235 LOGIN_FAILED [junos@2636.1.1.1.2.18 username="root" source-address="203.0.113.6"] Login failed for user root from host 203.0.113.6`)).toMatchObject({ service: "login", signature: "login: failed login", user: "root", src_ip: "203.0.113.6", attributes: { attempt: true } });
    // a MSGID that is no Junos tag is not put before the message
    expect(parse("<38>1 2026-03-03T10:00:00Z fw1 sshd 1234 ID47 - Failed password for root from 203.0.113.5 port 5555 ssh2")).toMatchObject({ signature: "sshd: failed password", src_port: 5555 });
  });

  it("reads Junos' LOGIN_FAILED as login's try; skips UI_LOGIN_EVENT (sshd's Accepted is that login), LOGIN_PAM_AUTHENTICATION_ERROR and a pid-less SSHD_LOGIN_FAILED (sshd's Failed line counts the try), saying so", () => {
    expect(parse("<38>Jun 24 12:46:25 fw1 login[93054]: LOGIN_FAILED: Login failed for user wow from host 203.0.113.9")).toMatchObject({ service: "login", user: "wow", src_ip: "203.0.113.9", attributes: { attempt: true } });
    expect(parse("<38>Jun 24 12:46:25 fw1 login[93054]: LOGIN_FAILED: Login failed for user wow")).toMatchObject({ user: "wow", src_ip: null });
    expect(reason(parseSyslogLine("<38>Jun 24 12:46:25 fw1 login[93054]: LOGIN_PAM_AUTHENTICATION_ERROR: Failed password for user user1", ctx))).toBe("junos LOGIN_PAM_AUTHENTICATION_ERROR: the LOGIN_FAILED line of the same try counts it");
    expect(reason(parseSyslogLine("Jan 19 17:17:59  R1 mgd[15886]: UI_LOGIN_EVENT: User 'lab' login, class 'j-super-user' [15886], ssh-connection '10.0.0.132 57238 10.0.0.1 22', client-mode 'cli'", ctx))).toMatch(/^junos UI_LOGIN_EVENT: sshd's Accepted line/);
    expect(reason(parseSyslogLine(`<38>1 2026-03-03T10:00:00.000Z fw1 mgd 1236 UI_LOGIN_EVENT [junos@2636.1.1.1.2.18 username="lab"] User 'lab' login, class 'j-super-user' [1236], ssh-connection '10.0.0.132 57238 10.0.0.1 22', client-mode 'cli'`, ctx))).toMatch(/^junos UI_LOGIN_EVENT/);
    expect(reason(parseSyslogLine("Apr  3 08:27:50  gw4 sshd: SSHD_LOGIN_FAILED: Login failed for user 'mpcl' from host '203.0.113.7'", ctx))).toBe("junos SSHD_LOGIN_FAILED without a pid: sshd's own Failed line of the same try counts it");
  });

  it("reads the year Junos writes after the time (time-format year)", () => {
    expect(parse("Jan 24 21:16:48 2020  r01 sshd[55]: Failed password for emf from 203.0.113.8 port 5 ssh2")).toMatchObject({ time: Date.UTC(2020, 0, 24, 21, 16, 48), user: "emf", attributes: { host: "r01" } });
    // a host named like a year still to come is the host
    expect(parse("Jan 24 21:16:48 2099 sshd[55]: Failed password for emf from 203.0.113.8 port 5 ssh2")).toMatchObject({ time: Date.UTC(2026, 0, 24, 21, 16, 48), attributes: { host: "2099" } });
  });

  it("reads Junos' SSHD_LOGIN_FAILED as a marker beside sshd's own attempt line", () => {
    expect(parse("<30>Nov 30 10:00:00 srx1 sshd[1234]: SSHD_LOGIN_FAILED: Login failed for user 'root' from host '203.0.113.5'")).toMatchObject({ service: "sshd", user: "root", src_ip: "203.0.113.5", attributes: { attempt: false } });
  });
});

describe("parseSyslogLine: Windows logons forwarded as syslog", () => {
  const snare = (id: number, text: string) => `<13>Nov 30 10:00:00 WEB-1 MSWinEventLog\t1\tSecurity\t4711\tMon Nov 30 10:00:00 2026\t${id}\tMicrosoft-Windows-Security-Auditing\tN/A\tN/A\tAudit\tWEB-1\tLogon\t\t${text}`;
  it("reads a 4625 in the agent's text form: the target account (not the Subject's), the address and port, the reason", () => {
    const e = parse(snare(4625, "An account failed to log on.    Subject:   Security ID:  S-1-0-0   Account Name:  -   Account Domain:  -   Logon ID:  0x0    Logon Type:   3    Account For Which Logon Failed:   Security ID:  S-1-0-0   Account Name:  bob   Account Domain:  BANK    Failure Information:   Failure Reason:  Unknown user name or bad password.   Status:   0xC000006D    Network Information:   Workstation Name: KALI   Source Network Address: 203.0.113.5   Source Port:  51234"));
    expect(e).toMatchObject({ kind: "auth_failure", service: "windows", signature: "windows: logon failed (4625)", user: "bob", src_ip: "203.0.113.5", src_port: 51234 });
    expect(e.attributes).toMatchObject({ event_id: 4625, domain: "BANK", logon_type: "3", workstation: "KALI", failure: "Unknown user name or bad password." });
  });

  it("takes the address after everything a client writes (a user or workstation name cannot move it), and the event from its own id and phrase", () => {
    const e = parse(snare(4625, "An account failed to log on.    Subject:   Account Name:  -    Logon Type:   3    Account For Which Logon Failed:   Account Name:  x Source Network Address: 10.9.9.9 Kerberos pre-authentication failed. y   Account Domain:  BANK    Failure Information:   Failure Reason:  Unknown user name or bad password.    Network Information:   Workstation Name: Source Network Address: 10.9.9.8   Source Network Address: 203.0.113.5   Source Port:  51234"));
    expect(e).toMatchObject({ signature: "windows: logon failed (4625)", src_ip: "203.0.113.5", src_port: 51234, user: "x Source Network Address: 10.9.9.9 Kerberos pre-authentication failed. y" });
    expect(reason(parseSyslogLine(snare(4776, "The computer attempted to validate the credentials for an account.  Logon Account: 4625 An account failed to log on. Source Network Address: 10.9.9.9"), ctx))).toBe("not security-relevant: no program tag");
    // NXLog's BSD output: the event's source as the tag, the description as the message
    expect(parse("<13>Nov 30 10:00:00 WEB-1 Microsoft-Windows-Security-Auditing[580]: An account failed to log on.  Subject: Account Name: -  Account For Which Logon Failed: Account Name: John Smith  Account Domain: BANK  Failure Information: Failure Reason: Unknown user name or bad password.  Network Information: Workstation Name: KALI  Source Network Address: 203.0.113.5  Source Port: 51234")).toMatchObject({ user: "John Smith", src_ip: "203.0.113.5", attributes: { domain: "BANK" } });
  });

  it("reads a 4624 with an address as a success, the new logon's account and not the Network Account Name", () => {
    const e = parse(snare(4624, "An account was successfully logged on.    Subject:   Account Name:  -    Logon Information:   Logon Type:  10   New Logon:   Account Name:  bob   Account Domain:  BANK   Network Account Name: -   Network Account Domain: -   Network Information:   Workstation Name: KALI   Source Network Address: 203.0.113.5   Source Port:  51240"));
    expect(e).toMatchObject({ kind: "auth_success", user: "bob", src_ip: "203.0.113.5", attributes: { domain: "BANK", logon_type: "10" } });
  });

  it("reads a domain controller's 4771 (Kerberos pre-authentication failed) as a failure from the client address", () => {
    const e = parse(snare(4771, "Kerberos pre-authentication failed.    Account Information:   Security ID:  BANK\\bob   Account Name:  bob    Service Information:   Service Name:  krbtgt/BANK    Network Information:   Client Address:  ::ffff:203.0.113.21   Client Port:  50123    Additional Information:   Ticket Options:  0x40810010   Failure Code:  0x18   Pre-Authentication Type: 2"));
    expect(e).toMatchObject({ kind: "auth_failure", signature: "windows: kerberos pre-authentication failed (4771)", user: "bob", src_ip: "203.0.113.21", src_port: 50123, attributes: { failure: "0x18", service_name: "krbtgt/BANK" } });
    // 0x25: the client's clock is skewed, no password guess
    expect(reason(parseSyslogLine('<13>Nov 30 10:00:00 DC-1 nxlog: {"EventID":4771,"Channel":"Security","TargetUserName":"carol","IpAddress":"::ffff:203.0.113.22","Status":"0x25"}', ctx))).toBe("not security-relevant: nxlog");
    expect(parse('<13>Nov 30 10:00:00 DC-1 nxlog: {"EventID":4771,"Channel":"Security","TargetUserName":"carol","IpAddress":"::ffff:203.0.113.22","IpPort":"50124","Status":"0x18"}')).toMatchObject({ user: "carol", src_ip: "203.0.113.22" });
  });

  it("reads Snare's own format without a syslog header: the host and the DateTime column (the Windows host's time, in the configured zone)", () => {
    const description = "An account failed to log on.    Subject:   Security ID:  S-1-0-0   Account Name:  -   Account Domain:  -   Logon ID:  0x0    Logon Type:   3    Account For Which Logon Failed:   Security ID:  S-1-0-0   Account Name:  bob   Account Domain:  BANK    Failure Information:   Failure Reason:  Unknown user name or bad password.   Status:   0xC000006D    Network Information:   Workstation Name: KALI   Source Network Address: 203.0.113.5   Source Port:  51234";
    const line = `WEB-1\tMSWinEventLog\t1\tSecurity\t123456\tThu Sep 18 13:10:00 2025\t4625\tMicrosoft-Windows-Security-Auditing\tN/A\tN/A\tFailure Audit\tWEB-1\tLogon\t\t${description}\t57`;
    expect(parse(line)).toMatchObject({ time: Date.UTC(2025, 8, 18, 13, 10), signature: "windows: logon failed (4625)", user: "bob", src_ip: "203.0.113.5", attributes: { host: "WEB-1" } });
    expect(parseSyslogLine(line, { ...ctx, timeZone: "Europe/Berlin" })).toMatchObject({ event: { time: Date.UTC(2025, 8, 18, 11, 10) } });
    expect(reason(parseSyslogLine(line.replace("\t4625\t", "\t4634\t"), ctx))).toBe("not security-relevant: no program tag");
  });

  it("reads 4776 (NTLM credential validation): a wrong password, an unknown account and a locked-out one as failed tries from the workstation, as a host name", () => {
    const ntlm = (account: string, workstation: string, code: string) => snare(4776, `The computer attempted to validate the credentials for an account.    Authentication Package:  MICROSOFT_AUTHENTICATION_PACKAGE_V1_0   Logon Account:  ${account}   Source Workstation:  ${workstation}   Error Code:  ${code}`);
    const e = parse(ntlm("bob", "KALI", "0xC000006A"));
    expect(e).toMatchObject({ kind: "auth_failure", service: "windows", signature: "windows: ntlm credential validation failed (4776)", user: "bob", src_ip: null, src_host: "kali", src_port: null });
    expect(e.attributes).toMatchObject({ event_id: 4776, workstation: "KALI", failure: "0xC000006A", failure_reason: "wrong password", package: "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0", attempt: true });
    expect(parse(ntlm("John Smith", "WS-7", "0xC0000064"))).toMatchObject({ user: "John Smith", src_host: "ws-7", attributes: { invalid_user: true, failure_reason: "no such user" } });
    expect(parse(ntlm("carol", "WS-7", "0xc0000234")).attributes).toMatchObject({ failure_reason: "account locked out" });
    // no workstation: no source (the error code's marker is not read as one)
    expect(parse(ntlm("bob", "", "0xC000006A"))).toMatchObject({ user: "bob", src_ip: null, src_host: null });
    // a success is no failure; a disabled or expired account is no password guess
    expect(parse(ntlm("bob", "WS-7", "0x0"))).toMatchObject({ kind: "auth_success", severity: "info", signature: "windows: ntlm credential validation (4776)", src_host: "ws-7" });
    expect(reason(parseSyslogLine(ntlm("bob", "WS-7", "0xC0000072"), ctx))).toBe("not security-relevant: no program tag");
    expect(reason(parseSyslogLine(ntlm("bob", "", "0x0"), ctx))).toBe("not security-relevant: no program tag");
  });

  it("reads 4776 in NXLog's JSON and under the auditing source's tag; a workstation written as an address is no source (the client names it)", () => {
    expect(parse('<13>Nov 30 10:00:00 DC-1 nxlog: {"EventID":4776,"Channel":"Security","Hostname":"DC-1","PackageName":"MICROSOFT_AUTHENTICATION_PACKAGE_V1_0","TargetUserName":"alice","Workstation":"\\\\KALI","Status":"0xc000006a"}')).toMatchObject({ user: "alice", src_ip: null, src_host: "kali", attributes: { failure: "0xc000006a", computer: "DC-1" } });
    expect(parse('<13>Nov 30 10:00:00 DC-1 nxlog: {"EventID":4776,"Channel":"Security","TargetUserName":"alice","Workstation":"203.0.113.9","Status":"0xc000006a"}')).toMatchObject({ user: "alice", src_ip: null, src_host: null });
    expect(parse("<13>Nov 30 10:00:00 DC-1 Microsoft-Windows-Security-Auditing[580]: The domain controller attempted to validate the credentials for an account.  Authentication Package: MICROSOFT_AUTHENTICATION_PACKAGE_V1_0  Logon Account: carol  Source Workstation: WS-9  Error Code: 0xC000006A")).toMatchObject({ user: "carol", src_host: "ws-9" });
    // the code is the last field, after the names the client chose
    expect(parse(snare(4776, "The computer attempted to validate the credentials for an account.  Logon Account:  x Error Code: 0x0 y   Source Workstation:  KALI   Error Code:  0xC000006A"))).toMatchObject({ kind: "auth_failure", user: "x Error Code: 0x0 y" });
  });

  it("reads an empty Workstation Name of a 4625 as none, not the next field's first word", () => {
    const f = (ws: string) => snare(4625, `An account failed to log on.    Subject:   Security ID:  S-1-0-0   Account Name:  -   Account Domain:  -   Logon ID:  0x0    Logon Type:   3    Account For Which Logon Failed:   Security ID:  S-1-0-0   Account Name:  bob   Account Domain:  BANK    Failure Information:   Failure Reason:  Unknown user name or bad password.   Status:   0xC000006D    Network Information:   Workstation Name:${ws}   Source Network Address: 203.0.113.5   Source Port:  51234`);
    expect(parse(f("   ")).attributes?.workstation).toBeUndefined();
    expect(parse(f(" KALI")).attributes?.workstation).toBe("KALI");
    expect(parse(f(" -")).attributes?.workstation).toBe("-");
  });

  it("counts one NTLM try once when both its 4625 (the address) and its 4776 (the workstation) are sent, in either order; a 4776 alone counts", () => {
    const f4625 = (user: string, workstation: string, t = "10:00:00") => `<13>Nov 30 ${t} WEB-1 nxlog: {"EventID":4625,"Channel":"Security","TargetUserName":"${user}","TargetDomainName":"WEB-1","IpAddress":"203.0.113.5","IpPort":"51234","LogonType":3,"WorkstationName":"${workstation}","Status":"0xc000006d"}`;
    const f4776 = (user: string, workstation: string, t = "10:00:00") => `<13>Nov 30 ${t} DC-1 nxlog: {"EventID":4776,"Channel":"Security","TargetUserName":"${user}","Workstation":"${workstation}","Status":"0xc000006a"}`;
    const counted = (lines: string[]) => {
      const events: StoredEvent[] = lines.map((l, i) => ({ ...parse(l), id: i + 1 }));
      return new FailureCounter().weigh(events.map((event) => ({ key: "k", event, entry: entryOf(event) }))).reduce((n, it) => n + it.entry.weight, 0);
    };
    expect(counted([f4625("bob", "KALI"), f4776("bob", "KALI")])).toBe(1);
    expect(counted([f4776("Bob", "\\\\kali", "10:00:01"), f4625("bob", "KALI")])).toBe(1);
    expect(counted([f4776("bob", "KALI"), f4776("bob", "KALI", "10:00:02")])).toBe(2);
    // another account, another workstation, or ten minutes on: another try
    expect(counted([f4625("bob", "KALI"), f4776("alice", "KALI")])).toBe(2);
    expect(counted([f4625("bob", "KALI"), f4776("bob", "WS-7")])).toBe(2);
    expect(counted([f4625("bob", "KALI"), f4776("bob", "KALI", "10:20:00")])).toBe(2);
    // a 4625 that names no workstation cannot be paired
    expect(counted([f4625("bob", "-"), f4776("bob", "KALI")])).toBe(2);
  });

  it("reads NXLog's JSON (a mapped IPv4 address as IPv4, port 0 as none) and skips a logon from no address", () => {
    const line = '<13>Nov 30 10:00:00 WEB-1 nxlog: {"EventID":4625,"Channel":"Security","TargetUserName":"alice","TargetDomainName":"BANK","IpAddress":"::ffff:203.0.113.9","IpPort":"0","LogonType":3,"Status":"0xc000006d"}';
    expect(parse(line)).toMatchObject({ user: "alice", src_ip: "203.0.113.9", src_port: null, attributes: { failure: "0xc000006d" } });
    expect(reason(parseSyslogLine('<13>Nov 30 10:00:00 WEB-1 nxlog: {"EventID":4624,"Channel":"Security","TargetUserName":"SYSTEM","IpAddress":"-","LogonType":5}', ctx))).toBe("not security-relevant: nxlog");
  });
});

describe("parseSyslogLine: su and sudo", () => {
  it("reads FAILED SU (to root) bob on pts/0 with root as the account and bob as who tried", () => {
    const e = parse("Mar 11 22:55:32 h su[1]: FAILED SU (to root) bob on pts/0");
    expect(e).toMatchObject({ service: "su", signature: "su: failed", user: "root" });
    expect(e.attributes).toMatchObject({ by: "bob", tty: "pts/0", attempt: true });
  });

  it("reads BSD su's BAD SU bob to root with root as the account and bob as who tried", () => {
    expect(parse("Apr 27 15:22:23 niban su[234]: BAD SU ger to fwmaster on /dev/ttyp0")).toMatchObject({ kind: "auth_failure", service: "su", signature: "su: failed", user: "fwmaster", attributes: { by: "ger", tty: "/dev/ttyp0", attempt: true } });
  });

  it("reads BusyBox su's '- tty bob:root' as a failed su to root by bob and '+ …' as a success (Alpine, OpenWrt)", () => {
    expect(parse("Mar 11 22:55:32 alpine su: - /dev/pts/0 bob:root")).toMatchObject({ kind: "auth_failure", service: "su", signature: "su: failed", user: "root", attributes: { by: "bob", tty: "/dev/pts/0", attempt: true } });
    expect(parse("Mar 11 22:55:32 OpenWrt auth.notice su: + none bob:postgres")).toMatchObject({ kind: "auth_success", signature: "su: success", user: "postgres", attributes: { by: "bob", tty: "none" } });
    // only under su's tag
    expect(reason(parseSyslogLine("Mar 11 22:55:32 h cron: - /dev/pts/0 bob:root", ctx))).toBe("not security-relevant: cron");
  });

  it("reads FAILED su for root by bob", () => {
    expect(parse("Mar 11 22:55:32 h su: FAILED su for root by bob")).toMatchObject({ service: "su", user: "root" });
  });

  it("reads pam_unix(su:auth) failures as su", () => {
    expect(parse("Mar 11 22:55:32 h su[1]: pam_unix(su:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=bob rhost=  user=root")).toMatchObject({ service: "su", user: "root" });
  });

  it("reads sudo's incorrect password attempts with the count as occurrences", () => {
    const e = parse("Mar 11 22:55:32 h sudo:      bob : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id ; echo x");
    expect(e).toMatchObject({ service: "sudo", signature: "sudo: incorrect password", user: "bob", occurrences: 3 });
    expect(e.attributes).toMatchObject({ target_user: "root", command: "/usr/bin/id ; echo x", tty: "pts/0", attempt: true });
  });

  it("reads sudo's lines for an account with blanks in its name (a directory's: 'john smith') whole", () => {
    expect(parse("Mar 11 22:55:32 h sudo[4321]: john smith : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/john ; USER=root ; COMMAND=/bin/ls")).toMatchObject({ signature: "sudo: incorrect password", user: "john smith", occurrences: 3, attributes: { target_user: "root", command: "/bin/ls" } });
  });

  it("reads sudo's own log file (Defaults logfile=…): the stamp (and log_year's year), ' : ', the account; a line it wrapped after ' ;' keeps its fields", () => {
    expect(parse("Mar 11 22:55:32 : bob : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/ls")).toMatchObject({ time: Date.UTC(2026, 2, 11, 22, 55, 32), service: "sudo", user: "bob", occurrences: 3, attributes: { host: null, program: "sudo", command: "/bin/ls" } });
    expect(parse("Mar 11 22:55:32 2026 : bob : user NOT in sudoers ; TTY=pts/0 ; PWD=/home/bob ; USER=root ;")).toMatchObject({ signature: "sudo: user not in sudoers", attributes: { target_user: "root", pwd: "/home/bob" } });
    expect(reason(parseSyslogLine("Mar 11 22:55:32 : bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/ls", ctx))).toBe("not security-relevant: sudo");
  });

  it("reads sudo's user NOT in sudoers", () => {
    expect(parse("Mar 11 22:55:32 h sudo: mallory : user NOT in sudoers ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh")).toMatchObject({ signature: "sudo: user not in sudoers", user: "mallory" });
  });

  it("reads pam_unix(sudo:auth) failures as sudo", () => {
    expect(parse("Mar 11 22:55:32 h sudo: pam_unix(sudo:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=bob rhost=  user=bob").service).toBe("sudo");
  });

  it("skips a sudo command that ran", () => {
    expect(parseSyslogLine("Mar 11 22:55:32 h sudo:      bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id", ctx)).toEqual({ status: "skipped", reason: "not security-relevant: sudo" });
  });
});

describe("parseSyslogLine: hostile text, masking, skips and rejections", () => {
  it("keeps markup, NUL and ANSI escapes in a user name as data", () => {
    const user = '<script>alert("x")</script>\u0000\u001b[31m';
    expect(parse(sshd(`Invalid user ${user} from 203.0.113.5 port 1`)).user).toBe(user);
  });

  it("masks a card number typed as a user name in user, message and raw", () => {
    const e = parse(sshd("Invalid user 4111111111111111 from 203.0.113.5 port 1"));
    expect(e.user).toBe("************1111");
    expect(e.message).toBe("Invalid user ************1111 from 203.0.113.5 port 1");
    expect(e.raw).toBe(sshd("Invalid user ************1111 from 203.0.113.5 port 1"));
  });

  it("leaves a 16-digit number that fails Luhn and a 12-digit number in clear", () => {
    const e = parse(sshd("Invalid user 4111111111111112 from 203.0.113.5 port 1"));
    expect(e.user).toBe("4111111111111112");
    expect(parse(sshd("Invalid user 411111111111 from 203.0.113.5 port 1")).user).toBe("411111111111");
  });

  it.each([
    ["Mar 11 22:55:32 h CRON[1]: (root) CMD (run-parts /etc/cron.hourly)", "not security-relevant: CRON"],
    ["Mar 11 22:55:32 h systemd[1]: Started Session 1 of user bob.", "not security-relevant: systemd"],
    ["Mar 11 22:55:32 h kernel: [  1.0] eth0: link up", "not security-relevant: kernel"],
    ["Mar 11 22:55:32 h just some text without a tag", "not security-relevant: no program tag"],
  ])("skips %s", (line, why) => {
    expect(parseSyslogLine(line, ctx)).toEqual({ status: "skipped", reason: why });
  });

  it("rejects a line that is not syslog, quoting its start", () => {
    expect(reason(parseSyslogLine("hello world", ctx))).toBe('not syslog: no RFC 3164, RFC 5424 or ISO timestamp at the start: "hello world"');
  });

  it("rejects a month that does not exist and a date that does not exist", () => {
    expect(reason(parseSyslogLine("Foo 11 22:55:32 h sshd[1]: x", ctx))).toBe('timestamp: not a month: "Foo"');
    expect(reason(parseSyslogLine("Feb 30 22:55:32 h sshd[1]: x", ctx))).toBe('timestamp: not a calendar date: "Feb 30 22:55:32"');
    expect(reason(parseSyslogLine("2026-02-30 10:00:00+00:00 h sshd[1]: x", ctx))).toBe('timestamp: not a time: "2026-02-30 10:00:00+00:00"');
  });

  it("rejects a PRI out of range and malformed RFC 5424", () => {
    expect(reason(parseSyslogLine("<999>Mar 11 22:55:32 h sshd[1]: x", ctx))).toBe("PRI: <999> is out of range (0–191)");
    expect(reason(parseSyslogLine("<38>1 - h sshd - - - x", ctx))).toBe("timestamp: none (RFC 5424 nil value)");
    expect(reason(parseSyslogLine('<38>1 2026-11-30T10:00:00Z h sshd - - [a b="c x', ctx))).toBe("RFC 5424: structured data is not closed");
  });
});
