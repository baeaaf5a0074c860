import { describe, expect, it } from "vitest";
import { entryOf, FailureCounter } from "../detections/attempts";
import type { ParseOutcome, StoredEvent } from "../types";
import { parseSyslogLine } from "./syslog";

const reason = (o: ParseOutcome) => (o.status === "event" ? `event ${o.event.signature}` : o.reason);

// OpenSSH's own lines, 5.x to 9.x, as its sources write them (auth.c auth_log, auth_maxtries_exceeded,
// auth_root_allowed; auth2.c; auth-pam.c; sshd.c / sshd-session.c; packet.c sshpkt_fatal with its
// log preamble "authenticating user X" / "invalid user X" since 7.5; kex.c), each with what it must
// become: a failed attempt, a marker of a connection (attempt: false), a success, or a skip.

const ctx = { now: Date.UTC(2026, 11, 1) };
const sshd = (message: string, pid = "4242") => `Mar 11 22:55:32 bastion sshd[${pid}]: ${message}`;

interface Want {
  kind?: "auth_failure" | "auth_success";
  signature: string;
  user?: string | null;
  ip?: string | null;
  host?: string | null;
  port?: number | null;
  attempt: boolean;
  occurrences?: number;
}

const F = (signature: string, user: string | null, ip: string | null, port: number | null, extra: Partial<Want> = {}): Want => ({ kind: "auth_failure", signature, user, ip, port, attempt: true, ...extra });
const M = (signature: string, user: string | null, ip: string | null, port: number | null, extra: Partial<Want> = {}): Want => ({ kind: "auth_failure", signature, user, ip, port, attempt: false, ...extra });
const S = (signature: string, user: string, ip: string, port: number): Want => ({ kind: "auth_success", signature, user, ip, port, attempt: true });
const SKIP = "not security-relevant: sshd";

const IP = "203.0.113.5";

const TABLE: [string, Want | string][] = [
  // auth.c auth_log: Failed / Accepted, every method, valid and invalid users, 5.x (no "ssh2" before 5.x's info), old "illegal user"
  ["Failed password for root from 203.0.113.5 port 22 ssh2", F("sshd: failed password", "root", IP, 22)],
  ["Failed password for invalid user admin from 203.0.113.5 port 22 ssh2", F("sshd: failed password", "admin", IP, 22)],
  ["Failed password for illegal user oracle from 203.0.113.5 port 4000 ssh2", F("sshd: failed password", "oracle", IP, 4000)],
  ["Failed password for illegal user admin from 172.16.59.10", F("sshd: failed password", "admin", "172.16.59.10", null)],
  ["Failed keyboard-interactive/pam for invalid user test from 203.0.113.5 port 48102 ssh2", F("sshd: failed keyboard-interactive", "test", IP, 48102)],
  ["Failed publickey for root from 203.0.113.5 port 22 ssh2: RSA SHA256:Zm9vYmFy", F("sshd: failed publickey", "root", IP, 22)],
  ["Failed hostbased for root from 203.0.113.5 port 22 ssh2: ECDSA SHA256:Zm9v, client user \"root\", client host \"h\"", F("sshd: failed hostbased", "root", IP, 22)],
  // "none" is the client's probe of the methods on offer: no credential, a marker
  ["Failed none for invalid user admin from 203.0.113.5 port 22 ssh2", M("sshd: failed none", "admin", IP, 22)],
  ["Accepted password for bob from 203.0.113.5 port 22 ssh2", S("sshd: accepted password", "bob", IP, 22)],
  ["Accepted publickey for bob from 203.0.113.5 port 22 ssh2: ED25519 SHA256:Zm9vYmFy", S("sshd: accepted publickey", "bob", IP, 22)],
  ["Accepted publickey for bob from 203.0.113.5 port 22 ssh2: ED25519-CERT SHA256:Zm9v ID bob (serial 1) CA ED25519 SHA256:YmFy", S("sshd: accepted publickey", "bob", IP, 22)],
  ["Accepted keyboard-interactive/pam for bob from 203.0.113.5 port 22 ssh2", S("sshd: accepted keyboard-interactive", "bob", IP, 22)],
  ["Accepted gssapi-with-mic for bob from 203.0.113.5 port 22 ssh2", S("sshd: accepted gssapi-with-mic", "bob", IP, 22)],
  // neither a failure nor a success of the login: the first of two factors, a postponed method, verbose key lines
  ["Partial publickey for bob from 203.0.113.5 port 22 ssh2: ED25519 SHA256:Zm9v", SKIP],
  ["Postponed keyboard-interactive for invalid user warez from 203.0.113.5 port 54197 ssh2 [preauth]", SKIP],
  ["Postponed publickey for bob from 203.0.113.5 port 22 ssh2 [preauth]", SKIP],
  ["Accepted key ED25519 SHA256:Zm9v found at /home/bob/.ssh/authorized_keys:1", SKIP],
  // sources: IPv6 compressed, fully expanded, with a zone id, IPv4-mapped
  ["Failed password for root from 2001:db8::1 port 22 ssh2", F("sshd: failed password", "root", "2001:db8::1", 22)],
  ["Failed password for root from 2001:0db8:0000:0000:0000:0000:0000:0001 port 22 ssh2", F("sshd: failed password", "root", "2001:db8::1", 22)],
  ["Failed password for root from FE80::1%eth0 port 22 ssh2", F("sshd: failed password", "root", "fe80::1", 22)],
  ["Failed password for root from ::ffff:203.0.113.5 port 22 ssh2", F("sshd: failed password", "root", IP, 22)],
  ["Invalid user admin from fe80::21c:42ff:fe00:1%ens192 port 5", M("sshd: invalid user", "admin", "fe80::21c:42ff:fe00:1", 5)],
  // user names as sshd writes them: spaces, quotes, empty, a forged tail inside the name
  ["Failed password for invalid user John Smith from 203.0.113.5 port 22 ssh2", F("sshd: failed password", "John Smith", IP, 22)],
  ["Failed password for invalid user 'admin' from 203.0.113.5 port 22 ssh2", F("sshd: failed password", "'admin'", IP, 22)],
  ['Invalid user "a b" from 203.0.113.5 port 22', M("sshd: invalid user", '"a b"', IP, 22)],
  ["Invalid user  from 203.0.113.5 port 22", M("sshd: invalid user", null, IP, 22)],
  ["Failed password for invalid user  from 203.0.113.5 port 22 ssh2", F("sshd: failed password", null, IP, 22)],
  ["Invalid user x from 6.6.6.6 port 1 from 203.0.113.5 port 22", M("sshd: invalid user", "x from 6.6.6.6 port 1", IP, 22)],
  ["Connection closed by invalid user x 6.6.6.6 port 1 203.0.113.5 port 22 [preauth]", M("sshd: preauth disconnect", "x 6.6.6.6 port 1", IP, 22)],
  // a known account's name is one word: the first tail is sshd's, what follows ": " the method's details, where a client's text can stand
  ['Failed hostbased for root from 203.0.113.5 port 22 ssh2: ECDSA SHA256:Zm9v, client user "x from 6.6.6.6 port 1 ssh2", client host "h"', F("sshd: failed hostbased", "root", IP, 22)],
  ["Failed rhosts-rsa for dan from 203.0.113.5 port 20000 ssh1: ruser from 6.6.6.6", F("sshd: failed rhosts-rsa", "dan", IP, 20000)],
  ["Accepted hostbased for bob from 203.0.113.5 port 22 ssh2: ECDSA SHA256:Zm9v, client user \"bob from 6.6.6.6 port 1 ssh2: x\", client host \"h\"", S("sshd: accepted hostbased", "bob", IP, 22)],
  // a known name with spaces (a directory's account): read to the last tail, as before
  ["Failed password for John Smith from 203.0.113.5 port 22 ssh2", F("sshd: failed password", "John Smith", IP, 22)],
  // invalid user markers, 5.x (no port) and later
  ["Invalid user admin from 203.0.113.5 port 40000", M("sshd: invalid user", "admin", IP, 40000)],
  ["Invalid user admin from 203.0.113.5", M("sshd: invalid user", "admin", IP, null)],
  ["Illegal user oracle from 203.0.113.5", M("sshd: invalid user", "oracle", IP, null)],
  ["input_userauth_request: invalid user admin [preauth]", SKIP],
  ["User root from 203.0.113.5 not allowed because not listed in AllowUsers", M("sshd: user not allowed", "root", IP, null)],
  ["User bob not allowed because account is locked", SKIP],
  // auth.c auth_root_allowed: PermitRootLogin refused it (any uid-0 account: no account named); the "Failed password for root" of the same try is the attempt
  ["ROOT LOGIN REFUSED FROM 203.0.113.5 port 50022", M("sshd: root login refused", null, IP, 50022)],
  ["ROOT LOGIN REFUSED FROM 203.0.113.5", M("sshd: root login refused", null, IP, null)],
  ["ROOT LOGIN REFUSED FROM 203.0.113.5 port 50022 [preauth]", M("sshd: root login refused", null, IP, 50022)],
  // libwrap (sshd built with TCP wrappers) refused the client in hosts.deny: the address in parentheses, whatever identd said before it
  ["refused connect from 203.0.113.5 (203.0.113.5)", M("sshd: refused by tcp wrappers", null, IP, null)],
  ["refused connect from x@6.6.6.6 (::ffff:203.0.113.5)", M("sshd: refused by tcp wrappers", null, IP, null)],
  ["refused connect from scan.example.net (2001:db8::9)", M("sshd: refused by tcp wrappers", null, "2001:db8::9", null)],
  // auth_maxtries_exceeded and the disconnect after it (7.x+: with the log preamble; 6.x: no source)
  ["error: maximum authentication attempts exceeded for root from 203.0.113.5 port 34100 ssh2 [preauth]", M("sshd: maximum authentication attempts exceeded", "root", IP, 34100)],
  ["error: maximum authentication attempts exceeded for invalid user badguy from 203.0.113.5 port 55146 ssh2 [preauth]", M("sshd: maximum authentication attempts exceeded", "badguy", IP, 55146)],
  ["Disconnecting invalid user admin 203.0.113.5 port 22: Too many authentication failures [preauth]", M("sshd: preauth disconnect", "admin", IP, 22)],
  ["Disconnecting authenticating user root 203.0.113.5 port 22: Too many authentication failures [preauth]", M("sshd: preauth disconnect", "root", IP, 22)],
  ["Disconnecting: Too many authentication failures for root [preauth]", SKIP],
  ["Disconnecting: Too many authentication failures [preauth]", SKIP],
  // sshpkt_fatal: closed / reset / disconnected before authentication
  ["Connection closed by authenticating user root 203.0.113.5 port 22 [preauth]", M("sshd: preauth disconnect", "root", IP, 22)],
  ["Connection closed by invalid user admin 203.0.113.5 port 22 [preauth]", M("sshd: preauth disconnect", "admin", IP, 22)],
  ["Connection closed by invalid user John Smith 203.0.113.5 port 22 [preauth]", M("sshd: preauth disconnect", "John Smith", IP, 22)],
  ["Connection closed by invalid user  203.0.113.5 port 22 [preauth]", M("sshd: preauth disconnect", null, IP, 22)],
  ["Connection closed by 203.0.113.5 port 22 [preauth]", M("sshd: preauth disconnect", null, IP, 22)],
  ["Connection closed by 203.0.113.5 [preauth]", M("sshd: preauth disconnect", null, IP, null)],
  ["Connection closed by 2001:db8::7 port 22 [preauth]", M("sshd: preauth disconnect", null, "2001:db8::7", 22)],
  ["Connection reset by 203.0.113.5 port 22 [preauth]", M("sshd: preauth disconnect", null, IP, 22)],
  ["Connection reset by authenticating user user 203.0.113.5 port 51772 [preauth]", M("sshd: preauth disconnect", "user", IP, 51772)],
  ["Disconnected from invalid user admin 203.0.113.5 port 22 [preauth]", M("sshd: preauth disconnect", "admin", IP, 22)],
  ["Disconnected from authenticating user root 203.0.113.5 port 22 [preauth]", M("sshd: preauth disconnect", "root", IP, 22)],
  ["Disconnected from 203.0.113.5 port 22 [preauth]", M("sshd: preauth disconnect", null, IP, 22)],
  // after authentication (the preamble says "user bob"), or before 7.5 where a closed session looks the same: not read
  ["Disconnected from user bob 203.0.113.5 port 22", SKIP],
  ["Connection closed by 203.0.113.5 port 22", SKIP],
  ["Connection closed by user bob 203.0.113.5 port 22", SKIP],
  // the client's SSH_MSG_DISCONNECT: 7.x+ "port N:code:", 6.x "addr: code:", the text the client chose after it
  ["Received disconnect from 203.0.113.5 port 5:11: Bye Bye [preauth]", M("sshd: preauth disconnect", null, IP, 5)],
  ["Received disconnect from 203.0.113.5: 11: Bye Bye [preauth]", M("sshd: preauth disconnect", null, IP, null)],
  ["Received disconnect from 2001:db8::1: 11: Bye Bye [preauth]", M("sshd: preauth disconnect", null, "2001:db8::1", null)],
  ["error: Received disconnect from 203.0.113.5 port 5:3: com.jcraft.jsch.JSchException: Auth fail [preauth]", M("sshd: preauth disconnect", null, IP, 5)],
  ["Received disconnect from 203.0.113.5 port 5:11: x from 6.6.6.6 port 1:11: y [preauth]", M("sshd: preauth disconnect", null, IP, 5)],
  ["Received disconnect from 203.0.113.5 port 5:11: disconnected by user", SKIP],
  ["Received disconnect from 203.0.113.5: 11: Bye Bye", SKIP],
  // without [preauth] (before 5.9, or privilege separation off): only the codes a client sends when it gives up authenticating
  ["Received disconnect from 203.0.113.5 port 5:14: No more user authentication methods available.", M("sshd: preauth disconnect", null, IP, 5)],
  ["Received disconnect from 203.0.113.5: 14: No supported authentication methods available", M("sshd: preauth disconnect", null, IP, null)],
  ["Received disconnect from 2001:db8::14: 13: Auth cancelled by user", M("sshd: preauth disconnect", null, "2001:db8::14", null)],
  ["error: Received disconnect from 203.0.113.5: 3: com.jcraft.jsch.JSchException: Auth fail", M("sshd: preauth disconnect", null, IP, null)],
  ["Received disconnect from 203.0.113.5 port 5:11: 14: No more user authentication methods available.", SKIP],
  ["Received disconnect from 203.0.113.5: 3: com.jcraft.jsch.JSchException: timeout", SKIP],
  // before the key exchange: no banner, a banner that is not SSH, a client with nothing in common
  ["Did not receive identification string from 203.0.113.5 port 45824", M("sshd: no identification string", null, IP, 45824)],
  ["Did not receive identification string from 203.0.113.5", M("sshd: no identification string", null, IP, null)],
  ["Bad protocol version identification 'GET / HTTP/1.1' from 203.0.113.5 port 59920", M("sshd: bad protocol version", null, IP, 59920)],
  ["Bad protocol version identification 'SSH-1.5-Nmap' from 203.0.113.5", M("sshd: bad protocol version", null, IP, null)],
  ["Protocol major versions differ for 203.0.113.5 port 5: SSH-2.0-OpenSSH_7.4 vs. SSH-1.5-Nmap-SSH1-Hostkey", M("sshd: bad protocol version", null, IP, 5)],
  ["Protocol major versions differ for 2001:db8::1: SSH-2.0-OpenSSH_5.3 vs. SSH-1.5-Nmap-SSH1-Hostkey", M("sshd: bad protocol version", null, "2001:db8::1", null)],
  ["banner exchange: Connection from 203.0.113.5 port 5: invalid format", M("sshd: banner exchange failed", null, IP, 5)],
  ["banner exchange: Connection from 2001:db8::1 port 5: could not read protocol version", M("sshd: banner exchange failed", null, "2001:db8::1", 5)],
  ["error: kex_exchange_identification: Connection closed by remote host", SKIP],
  ['error: kex_exchange_identification: client sent invalid protocol identifier "GET / HTTP/1.1"', SKIP],
  ["error: kex_exchange_identification: banner line contains invalid characters", SKIP],
  ["Unable to negotiate with 203.0.113.5 port 5: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]", M("sshd: unable to negotiate", null, IP, 5)],
  ["Unable to negotiate with 203.0.113.5 port 5 : no matching key exchange method found", M("sshd: unable to negotiate", null, IP, 5)],
  ["fatal: Unable to negotiate with 203.0.113.5 port 5: no matching host key type found. Their offer: ssh-dss [preauth]", M("sshd: unable to negotiate", null, IP, 5)],
  ["Unable to negotiate with 2001:db8::1 port 5: no matching cipher found. Their offer: aes128-cbc,3des-cbc [preauth]", M("sshd: unable to negotiate", null, "2001:db8::1", 5)],
  ["fatal: Unable to negotiate with 108.229.36.174: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]", M("sshd: unable to negotiate", null, "108.229.36.174", null)],
  ["Unable to negotiate with 2001:db8::1: no matching cipher found. Their offer: aes128-cbc [preauth]", M("sshd: unable to negotiate", null, "2001:db8::1", null)],
  ["fatal: Unable to negotiate a key exchange method [preauth]", SKIP],
  ["ssh_dispatch_run_fatal: Connection from 203.0.113.5 port 5: message authentication code incorrect [preauth]", M("sshd: preauth disconnect", null, IP, 5)],
  ["ssh_dispatch_run_fatal: Connection from invalid user admin 203.0.113.5 port 5: Connection corrupted [preauth]", M("sshd: preauth disconnect", "admin", IP, 5)],
  ["ssh_dispatch_run_fatal: Connection from user bob 203.0.113.5 port 5: Broken pipe", SKIP],
  // LoginGraceTime: 5.x-9.7 from the connection's own process; 9.8+ from the listener, naming the connection's pid
  ["fatal: Timeout before authentication for 203.0.113.5", M("sshd: timeout before authentication", null, IP, null)],
  ["fatal: Timeout before authentication for 203.0.113.5 port 50412", M("sshd: timeout before authentication", null, IP, 50412)],
  ["Timeout before authentication for connection from 203.0.113.5 to 10.0.0.1, pid = 78856", M("sshd: timeout before authentication", null, IP, null)],
  ["Timeout before authentication for connection from 2001:db8::9 to 2001:db8::1, pid = 78856 (early)", M("sshd: timeout before authentication", null, "2001:db8::9", null)],
  // reverse DNS warnings
  ["reverse mapping checking getaddrinfo for nmap.example.net [203.0.113.5] failed - POSSIBLE BREAK-IN ATTEMPT!", M("sshd: possible break-in attempt", null, IP, null)],
  ["Address 203.0.113.5 maps to nmap.example.net, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!", M("sshd: possible break-in attempt", null, IP, null)],
  // auth-pam.c: "illegal user" in every version; the source an address or (older, UseDNS) a host name
  ["error: PAM: Authentication failure for root from 203.0.113.5", F("sshd: pam authentication failure", "root", IP, null)],
  ["error: PAM: Authentication failure for illegal user admin from 203.0.113.5", F("sshd: pam authentication failure", "admin", IP, null)],
  ["error: PAM: authentication error for illegal user lei from 42.70.140.144", F("sshd: pam authentication failure", "lei", "42.70.140.144", null)],
  ["error: PAM: authentication error for illegal user amelia from e210255180014.ec-userreverse.dion.ne.jp", F("sshd: pam authentication failure", "amelia", null, null, { host: "e210255180014.ec-userreverse.dion.ne.jp" })],
  ["error: PAM: User not known to the underlying authentication module for illegal user warez from 203.0.113.5", M("sshd: pam unknown user", "warez", IP, null)],
  // macOS names the local address it was reached at after the client
  ["error: PAM: authentication error for james from 203.0.113.5 via 192.168.1.201", F("sshd: pam authentication failure", "james", IP, null)],
  ["error: PAM: Authentication failure for james from scan.example.net via 192.168.1.201", F("sshd: pam authentication failure", "james", null, null, { host: "scan.example.net" })],
  // PAM modules under sshd: the second report of sshd's own tries (the counter pairs them)
  ["pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=host.example  user=root", F("pam: authentication failure", "root", null, null, { host: "host.example" })],
  ["pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5", F("pam: authentication failure", null, IP, null)],
  ["pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=::ffff:203.0.113.5  user=root", F("pam: authentication failure", "root", IP, null)],
  ["pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5  user=John Smith", F("pam: authentication failure", "John Smith", IP, null)],
  ["pam_sss(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5 user=bob", F("pam: authentication failure", "bob", IP, null)],
  ["PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5  user=root", F("pam: authentication failure", "root", IP, null, { occurrences: 2 })],
  ["PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5  user=root", F("pam: authentication failure", "root", IP, null, { occurrences: 1 })],
  ["pam_unix(sshd:auth): check pass; user unknown", M("pam: user unknown", null, null, null)],
  ["pam_sss(sshd:auth): received for user bob: 7 (Authentication failure)", SKIP],
  ["PAM service(sshd) ignoring max retries; 6 > 3", SKIP],
  ["pam_unix(sshd:session): session opened for user bob(uid=1000) by (uid=0)", SKIP],
  // rsyslog's repeat: the inner line N times
  ["message repeated 3 times: [ Failed password for root from 203.0.113.5 port 22 ssh2]", F("sshd: failed password", "root", IP, 22, { occurrences: 3 })],
  ["message repeated 2 times: [ Invalid user admin from 203.0.113.5 port 22]", M("sshd: invalid user", "admin", IP, 22, { occurrences: 2 })],
  // nothing to do with a login
  ["Server listening on 0.0.0.0 port 22.", SKIP],
  ['Connection from 203.0.113.5 port 5 on 10.0.0.1 port 22 rdomain ""', SKIP],
  ["Nasty PTR record \"1.2.3.4\" is set up for 203.0.113.5, ignoring", SKIP],
  ["drop connection #0 from [203.0.113.5]:5 on [10.0.0.1]:22 penalty: failed authentication", SKIP],
  ["error: Could not get shadow information for NOUSER", SKIP],
  ["Authentication refused: bad ownership or modes for directory /home/bob", SKIP],
];

function check(line: string, want: Want | string, o: ParseOutcome) {
  if (typeof want === "string") {
    expect(o.status === "event" ? `event ${o.event.signature}` : o.reason).toBe(want);
    return;
  }
  if (o.status !== "event") throw new Error(`${line}: expected an event, got ${o.status}: ${o.reason}`);
  const e = o.event;
  expect({ kind: e.kind, signature: e.signature, user: e.user, ip: e.src_ip, host: e.src_host, port: e.src_port, attempt: e.attributes?.attempt, occurrences: e.occurrences }).toEqual({
    kind: want.kind ?? "auth_failure",
    signature: want.signature,
    user: want.user ?? null,
    ip: want.ip ?? null,
    host: want.host ?? null,
    port: want.port ?? null,
    attempt: want.attempt,
    occurrences: want.occurrences ?? 1,
  });
  expect(e.service).toBe("sshd");
}

describe("sshd: OpenSSH 5.x–9.x lines", () => {
  it.each(TABLE)("%s", (message, want) => check(message, want, parseSyslogLine(sshd(message), ctx)));

  it("reads 9.8+'s sshd-session disconnect without a user as one before authentication (its sessions always name their user), and skips one that names its user", () => {
    const session = (m: string) => `Mar 11 22:55:32 bastion sshd-session[4242]: ${m}`;
    for (const m of ["Connection closed by 203.0.113.5 port 22", "Connection reset by 203.0.113.5 port 22", "Disconnected from 203.0.113.5 port 22"]) {
      const o = parseSyslogLine(session(m), ctx);
      expect(o.status === "event" && [o.event.signature, o.event.src_ip, o.event.src_port, o.event.attributes?.attempt]).toEqual(["sshd: preauth disconnect", IP, 22, false]);
    }
    expect(reason(parseSyslogLine(session("Disconnected from user bob 203.0.113.5 port 22"), ctx))).toBe("not security-relevant: sshd-session");
    expect(reason(parseSyslogLine(session("Connection closed by user bob 203.0.113.5 port 22"), ctx))).toBe("not security-relevant: sshd-session");
  });

  it("ties 9.8's listener timeout line to the connection's process (its pid), not the listener's", () => {
    const o = parseSyslogLine(sshd("Timeout before authentication for connection from 203.0.113.5 to 10.0.0.1, pid = 78856", "1001"), ctx);
    expect(o.status === "event" && o.event.attributes).toMatchObject({ pid: "78856", local_address: "10.0.0.1" });
  });
});

/** Each session's lines through the failure counter: what it counts in all. */
function counted(lines: string[]): number {
  const events: StoredEvent[] = lines.map((line, i) => {
    const o = parseSyslogLine(line, ctx);
    if (o.status !== "event") throw new Error(`${line}: ${o.status === "rejected" ? o.reason : o.reason}`);
    return { ...o.event, id: i + 1 };
  });
  const items = events.filter((e) => e.kind === "auth_failure").map((event) => ({ key: "k", event, entry: entryOf(event) }));
  return new FailureCounter().weigh(items).reduce((n, it) => n + it.entry.weight, 0);
}

describe("sshd: one session's lines count its tries once", () => {
  it("an invalid user with PAM: 3 wrong passwords are 3, not the 10 lines written", () => {
    const s = (m: string) => sshd(m, "5150");
    expect(
      counted([
        s("Invalid user admin from 203.0.113.5 port 40000"),
        s("pam_unix(sshd:auth): check pass; user unknown"),
        s("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5"),
        s("Failed password for invalid user admin from 203.0.113.5 port 40000 ssh2"),
        s("error: PAM: Authentication failure for illegal user admin from 203.0.113.5"),
        s("Failed password for invalid user admin from 203.0.113.5 port 40000 ssh2"),
        s("Failed password for invalid user admin from 203.0.113.5 port 40000 ssh2"),
        s("PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5"),
        s("Connection closed by invalid user admin 203.0.113.5 port 40000 [preauth]"),
        s("ROOT LOGIN REFUSED FROM 203.0.113.5 port 40000"),
      ]),
    ).toBe(3);
  });

  it("a scanner's connection that never reaches a password counts 1, however many lines it leaves", () => {
    const s = (m: string) => sshd(m, "6160");
    expect(counted([s("banner exchange: Connection from 203.0.113.6 port 5: invalid format")])).toBe(1);
    expect(counted([s("Unable to negotiate with 203.0.113.6 port 6: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]")])).toBe(1);
    // 9.8: the listener (pid 1001) reports the timeout of connection 6161, whose own lines hold its tries
    expect(counted([sshd("Failed password for root from 203.0.113.7 port 7 ssh2", "6161"), sshd("Timeout before authentication for connection from 203.0.113.7 to 10.0.0.1, pid = 6161", "1001")])).toBe(1);
    expect(counted([sshd("fatal: Timeout before authentication for 203.0.113.8 port 8", "6162"), sshd("Connection closed by authenticating user root 203.0.113.8 port 8 [preauth]", "6162")])).toBe(1);
  });
});

describe("Dropbear", () => {
  const dropbear = (message: string, pid = "4092") => `Mar 24 15:25:51 buffalo1 dropbear[${pid}]: ${message}`;
  const DB: [string, Want | string][] = [
    ["Bad password attempt for 'root' from 203.0.113.5:48629", F("dropbear: bad password", "root", IP, 48629)],
    ["bad password attempt for 'root' from 203.0.113.5:5543", F("dropbear: bad password", "root", IP, 5543)],
    ["Bad password attempt for 'a' from 6.6.6.6:1' from 203.0.113.5:22", F("dropbear: bad password", "a' from 6.6.6.6:1", IP, 22)],
    ["Bad password attempt for 'root' from 2001:db8::1:22", F("dropbear: bad password", "root", "2001:db8::1", 22)],
    ["Login attempt for nonexistent user from ::ffff:203.0.113.5:60495", M("dropbear: nonexistent user", null, IP, 60495)],
    ["[825] Jul 10 23:53:52 Bad password attempt for 'root' from 203.0.113.5:52289", F("dropbear: bad password", "root", IP, 52289)],
    ["Exit before auth (user 'root', 10 fails): Max auth tries reached - user 'root' from 203.0.113.5:60588", M("dropbear: maximum authentication attempts exceeded", "root", IP, 60588)],
    ["[825] Jul 10 23:57:29 Exit before auth from <203.0.113.5:52289>: (user 'root', 10 fails): Max auth tries reached - user 'root'", M("dropbear: maximum authentication attempts exceeded", "root", IP, 52289)],
    ["Exit before auth from <203.0.113.5:52325>: Max auth tries reached - user 'is invalid'", M("dropbear: maximum authentication attempts exceeded", null, IP, 52325)],
    ["Exit before auth from <203.0.113.5:52326>: Exited normally", M("dropbear: preauth disconnect", null, IP, 52326)],
    ["Password auth succeeded for 'bob' from 203.0.113.5:51737", S("dropbear: accepted password", "bob", IP, 51737)],
    ["Pubkey auth succeeded for 'root' with key md5 78:d6:41:ca:78:37:80:88:1d:15:0a:68:91:d1:4e:ad from 203.0.113.5:51737", S("dropbear: accepted pubkey", "root", IP, 51737)],
    ["Child connection from 203.0.113.5:51737", "not security-relevant: dropbear"],
    ["Exit (root) from <203.0.113.5:51737>: Disconnect received", "not security-relevant: dropbear"],
  ];
  it.each(DB)("%s", (message, want) => {
    const o = parseSyslogLine(dropbear(message), ctx);
    if (typeof want === "string") return expect(reason(o)).toBe(want);
    check(message, want, o);
  });

  it("counts a connection's tries once: its bad passwords, not the exit line after them", () => {
    const s = (m: string) => dropbear(m, "1335");
    expect(counted([s("Bad password attempt for 'root' from 203.0.113.5:60588"), s("Bad password attempt for 'root' from 203.0.113.5:60588"), s("Exit before auth (user 'root', 2 fails): Max auth tries reached - user 'root' from 203.0.113.5:60588")])).toBe(2);
    expect(counted([dropbear("Login attempt for nonexistent user from 203.0.113.6:1", "1336"), dropbear("Exit before auth from <203.0.113.6:1>: Max auth tries reached - user 'is invalid'", "1336")])).toBe(1);
  });
});
