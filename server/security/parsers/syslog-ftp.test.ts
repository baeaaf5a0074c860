import { describe, expect, it } from "vitest";
import { entryOf, FailureCounter } from "../detections/attempts";
import type { ParseOutcome, ParsedEvent, StoredEvent } from "../types";
import { parseSyslogLine } from "./syslog";

const ctx = { now: Date.UTC(2026, 11, 1) };
const reason = (o: ParseOutcome) => (o.status === "event" ? `event ${o.event.signature}` : o.reason);
function parse(line: string): ParsedEvent {
  const o = parseSyslogLine(line, ctx);
  if (o.status !== "event") throw new Error(`expected an event, got ${o.status}: ${o.reason}`);
  return o.event;
}
const pick = (e: ParsedEvent) => ({ kind: e.kind, service: e.service, signature: e.signature, user: e.user, ip: e.src_ip, host: e.src_host, attempt: e.attributes?.attempt });

describe("FTP servers: vsftpd", () => {
  it("reads its own vsftpd.log: the date (in the configured zone), the pid, FAIL and OK LOGIN, a mapped IPv4 client as IPv4", () => {
    const e = parse('Tue Mar  3 10:00:00 2026 [pid 4711] [ftpuser] FAIL LOGIN: Client "::ffff:203.0.113.5"');
    expect(pick(e)).toEqual({ kind: "auth_failure", service: "ftp", signature: "vsftpd: login failed", user: "ftpuser", ip: "203.0.113.5", host: null, attempt: true });
    expect(e.time).toBe(Date.UTC(2026, 2, 3, 10));
    expect(e.attributes).toMatchObject({ program: "vsftpd", pid: "4711", host: null, server: "vsftpd" });
    expect(parseSyslogLine('Tue Mar  3 10:00:00 2026 [pid 4711] [ftpuser] FAIL LOGIN: Client "203.0.113.5"', { ...ctx, timeZone: "Europe/Berlin" })).toMatchObject({ event: { time: Date.UTC(2026, 2, 3, 9) } });
    expect(pick(parse('Tue Mar 10 10:00:00 2026 [pid 4712] [alice] OK LOGIN: Client "2001:DB8::5"'))).toMatchObject({ kind: "auth_success", signature: "vsftpd: login", user: "alice", ip: "2001:db8::5" });
    expect(pick(parse('Tue Mar  3 10:00:00 2026 [pid 4713] [anonymous] OK LOGIN: Client "203.0.113.6", anon password "guest@"'))).toMatchObject({ kind: "auth_success", user: "anonymous", ip: "203.0.113.6" });
  });

  it("reads its syslog form, with the pid again in the text", () => {
    const e = parse('Mar  3 10:00:00 ftp1 vsftpd[4711]: [pid 4711] [alice] FAIL LOGIN: Client "203.0.113.5"');
    expect(pick(e)).toMatchObject({ signature: "vsftpd: login failed", user: "alice", ip: "203.0.113.5" });
    expect(e.attributes).toMatchObject({ host: "ftp1", pid: "4711" });
  });

  it("skips its other lines", () => {
    expect(reason(parseSyslogLine('Tue Mar  3 10:00:00 2026 [pid 4711] CONNECT: Client "203.0.113.5"', ctx))).toBe("not security-relevant: vsftpd");
    expect(reason(parseSyslogLine('Tue Mar  3 10:00:00 2026 [pid 4711] [alice] OK DOWNLOAD: Client "203.0.113.5", "/pub/a.iso", 1024 bytes, 512.00Kbyte/sec', ctx))).toBe("not security-relevant: vsftpd");
    expect(reason(parseSyslogLine('Tue Mar  3 10:00:00 2026 [pid 4711] [alice] FTP command: Client "203.0.113.5", "PASS <password>"', ctx))).toBe("not security-relevant: vsftpd");
  });

  it("never lets a user name or an anonymous password move the client's address", () => {
    // a user named `x] FAIL LOGIN: Client "6.6.6.6"`: the line ends with vsftpd's own address
    expect(pick(parse('Tue Mar  3 10:00:00 2026 [pid 1] [x] FAIL LOGIN: Client "6.6.6.6"] FAIL LOGIN: Client "203.0.113.5"'))).toMatchObject({ user: 'x] FAIL LOGIN: Client "6.6.6.6"', ip: "203.0.113.5" });
    // an anonymous password that ends like an address, or a user name made to look anonymous: two readings, not read
    expect(reason(parseSyslogLine('Tue Mar  3 10:00:00 2026 [pid 1] [ftp] FAIL LOGIN: Client "203.0.113.5", anon password "x] FAIL LOGIN: Client "6.6.6.6"', ctx))).toBe("not security-relevant: vsftpd");
  });

  it("reads 3.x's reason after a failure (userlist_deny), not as an address", () => {
    const e = parse('Thu Sep  8 00:39:49 2016 [pid 15019] [guest] FAIL LOGIN: Client "::ffff:192.0.2.1", "User is not in the allow user list."');
    expect(pick(e)).toMatchObject({ signature: "vsftpd: login failed", user: "guest", ip: "192.0.2.1" });
    expect(e.attributes).toMatchObject({ reason: "User is not in the allow user list." });
    expect(pick(parse('Mar  3 10:00:00 ftp1 vsftpd[4711]: [x] FAIL LOGIN: Client "6.6.6.6", "a"] FAIL LOGIN: Client "203.0.113.5"'))).toMatchObject({ user: 'x] FAIL LOGIN: Client "6.6.6.6", "a"', ip: "203.0.113.5" });
  });

  it("reads Linux-PAM's old forms (before 0.99.2): the module alone, in parentheses or with a colon, the service the tag's", () => {
    expect(pick(parse("Oct 11 01:06:47 ServerJV vsftpd: (pam_unix) authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=209.67.1.67"))).toEqual({ kind: "auth_failure", service: "ftp", signature: "pam: authentication failure", user: null, ip: "209.67.1.67", host: null, attempt: true });
    expect(pick(parse("Jul 19 18:11:26 srv2 vsftpd: pam_unix: authentication failure; logname= uid=0 euid=0 tty=ftp ruser=an8767 rhost=www.example.com"))).toMatchObject({ service: "ftp", user: "an8767", host: "www.example.com" });
    expect(pick(parse("Feb  7 15:10:42 example pure-ftpd: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=pure-ftpd ruser=sample-user rhost=192.168.1.1 "))).toMatchObject({ service: "ftp", user: "sample-user", ip: "192.168.1.1" });
    expect(pick(parse("May 12 09:47:54 vaio sshd[16004]: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=71-13-115-12.static.example.com  user=root"))).toMatchObject({ service: "sshd", user: "root", host: "71-13-115-12.static.example.com" });
    expect(reason(parseSyslogLine("May 12 09:47:54 vaio sshd[16004]: (pam_unix) session opened for user root by (uid=0)", ctx))).toBe("not security-relevant: sshd");
  });

  it("reads its PAM lines as service ftp, the name it was given (ruser=) when PAM knows no such user", () => {
    const e = parse("Mar  3 10:00:00 ftp1 vsftpd[4711]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=::ffff:203.0.113.5");
    expect(pick(e)).toEqual({ kind: "auth_failure", service: "ftp", signature: "pam: authentication failure", user: "bob", ip: "203.0.113.5", host: null, attempt: true });
    expect(parse("Mar  3 10:00:00 ftp1 vsftpd[4711]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=alice rhost=203.0.113.5  user=alice").user).toBe("alice");
    expect(pick(parse("Nov 11 22:46:29 localhost vsftpd(pam_unix)[25073]: check pass; user unknown"))).toMatchObject({ service: "ftp", signature: "pam: user unknown", attempt: false });
  });
});

describe("FTP servers: proftpd", () => {
  it("reads its syslog lines: the bracketed address (not the reverse name), the user, the reason", () => {
    const e = parse("Oct 28 17:23:30 deacon proftpd[10662]: deacon.example.org (host-7.Example.net[192.0.2.30]) - USER lori (Login failed): Incorrect password. ");
    expect(pick(e)).toEqual({ kind: "auth_failure", service: "ftp", signature: "proftpd: login failed", user: "lori", ip: "192.0.2.30", host: null, attempt: true });
    expect(e.attributes).toMatchObject({ reason: "Incorrect password", vhost: "deacon.example.org", client_name: "host-7.Example.net", pid: "10662" });
    expect(pick(parse("Aug 27 06:45:54 tester proftpd[7449]: tester (::ffff:203.0.113.130[::ffff:203.0.113.130]) - USER werethet: no such user found from ::ffff:203.0.113.130 [::ffff:203.0.113.130] to ::ffff:198.51.100.14:21"))).toEqual({ kind: "auth_failure", service: "ftp", signature: "proftpd: no such user", user: "werethet", ip: "203.0.113.130", host: null, attempt: true });
    expect(pick(parse("Mar  3 10:00:00 ftp1 proftpd[7450]: ftp1 (203.0.113.9[203.0.113.9]) - USER alice: Login successful."))).toMatchObject({ kind: "auth_success", signature: "proftpd: login", user: "alice", ip: "203.0.113.9" });
  });

  it("reads Maximum login attempts as a medium marker and a refused root login as the try it is", () => {
    const max = parse("May 31 10:53:25 mail proftpd[15302]: mail.example (::ffff:203.0.113.4[::ffff:203.0.113.4]) - Maximum login attempts (3) exceeded, connection refused");
    expect(pick(max)).toMatchObject({ signature: "proftpd: maximum login attempts exceeded", ip: "203.0.113.4", user: null, attempt: false });
    expect(max.severity).toBe("medium");
    expect(pick(parse("Mar  3 10:00:00 ftp1 proftpd[7451]: ftp1 (203.0.113.9[203.0.113.9]) - SECURITY VIOLATION: Root login attempted"))).toMatchObject({ signature: "proftpd: root login refused", user: null, ip: "203.0.113.9", attempt: true });
  });

  it("reads its own SystemLog (no colon after proftpd[pid], '): ' before the message), old and ISO stamps", () => {
    const e = parse("Nov 01 10:27:18 zen proftpd[5471] localhost.localdomain (::ffff:192.0.2.1[::ffff:192.0.2.1]): USER test (Login failed): Incorrect password.");
    expect(pick(e)).toMatchObject({ signature: "proftpd: login failed", user: "test", ip: "192.0.2.1" });
    expect(e.attributes).toMatchObject({ host: "zen", program: "proftpd", pid: "5471" });
    expect(parse("2026-03-03 10:00:00,123 ftp1 proftpd[4711] ftp1.example (scan.example[203.0.113.7]): SECURITY VIOLATION: root login attempted.")).toMatchObject({ time: Date.UTC(2026, 2, 3, 10, 0, 0, 123), src_ip: "203.0.113.7" });
  });

  it("skips its PAM echo of the same try and session lines, and never takes the result from inside a user name", () => {
    expect(reason(parseSyslogLine("Nov 01 10:27:18 zen proftpd[5471] localhost.localdomain (::ffff:192.0.2.1[::ffff:192.0.2.1]): PAM(test): Authentication failure.", ctx))).toBe("not security-relevant: proftpd");
    expect(reason(parseSyslogLine("Mar  3 10:00:00 ftp1 proftpd[7450]: ftp1 (203.0.113.9[203.0.113.9]) - FTP session opened.", ctx))).toBe("not security-relevant: proftpd");
    expect(pick(parse("Mar  3 10:00:00 ftp1 proftpd[7450]: ftp1 (203.0.113.9[203.0.113.9]) - USER a (Login failed): b: Login successful."))).toMatchObject({ kind: "auth_success", user: "a (Login failed): b" });
    expect(pick(parse("Mar  3 10:00:00 ftp1 proftpd[7450]: ftp1 (203.0.113.9[203.0.113.9]) - USER x: no such user found from y [6.6.6.6] to 1.1.1.1:21 (Login failed): Incorrect password."))).toMatchObject({ kind: "auth_failure", signature: "proftpd: login failed", ip: "203.0.113.9" });
  });
});

describe("FTP servers: pure-ftpd", () => {
  it("reads an authentication failure from the address, or the host name it resolved", () => {
    expect(pick(parse("Mar  3 10:00:00 h pure-ftpd: (?@203.0.113.5) [WARNING] Authentication failed for user [alice]"))).toEqual({ kind: "auth_failure", service: "ftp", signature: "pure-ftpd: authentication failed", user: "alice", ip: "203.0.113.5", host: null, attempt: true });
    expect(pick(parse("Mar  3 10:00:00 h pure-ftpd[99]: (?@Scan.Example.net) [WARNING] Authentication failed for user [al]ice]"))).toMatchObject({ user: "al]ice", ip: null, host: "scan.example.net" });
    expect(pick(parse("Mar  3 10:00:00 h pure-ftpd: (?@::ffff:203.0.113.5) [WARNING] Authentication failed for user [bob]"))).toMatchObject({ ip: "203.0.113.5" });
  });

  it("reads a login and skips the rest", () => {
    expect(pick(parse("Mar  3 10:00:00 h pure-ftpd: (alice@203.0.113.5) [INFO] alice is now logged in"))).toMatchObject({ kind: "auth_success", signature: "pure-ftpd: login", user: "alice", ip: "203.0.113.5" });
    expect(reason(parseSyslogLine("Mar  3 10:00:00 h pure-ftpd: (?@203.0.113.5) [INFO] New connection from 203.0.113.5", ctx))).toBe("not security-relevant: pure-ftpd");
    expect(reason(parseSyslogLine("Mar  3 10:00:00 h pure-ftpd: (?@203.0.113.5) [INFO] Logout.", ctx))).toBe("not security-relevant: pure-ftpd");
  });
});

describe("FTP servers: TCP wrappers", () => {
  it("reads proftpd's mod_wrap refusal as a marker of the client's connection, the address in parentheses", () => {
    const e = parse("Jan  4 22:51:57 server proftpd[2344]: refused connect from x@6.6.6.6 (192.0.2.7)");
    expect(pick(e)).toEqual({ kind: "auth_failure", service: "ftp", signature: "proftpd: refused by tcp wrappers", user: null, ip: "192.0.2.7", host: null, attempt: false });
  });
});

describe("FTP servers: one try counts once", () => {
  it("vsftpd through syslog: its FAIL LOGIN and PAM's line of the same process are one try each", () => {
    const lines = [
      "Mar  3 10:00:00 ftp1 vsftpd[4711]: pam_unix(vsftpd:auth): check pass; user unknown",
      "Mar  3 10:00:00 ftp1 vsftpd[4711]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=203.0.113.5",
      'Mar  3 10:00:01 ftp1 vsftpd[4711]: [pid 4711] [bob] FAIL LOGIN: Client "203.0.113.5"',
      "Mar  3 10:00:04 ftp1 vsftpd[4711]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=203.0.113.5",
      'Mar  3 10:00:05 ftp1 vsftpd[4711]: [pid 4711] [bob] FAIL LOGIN: Client "203.0.113.5"',
    ];
    const events: StoredEvent[] = lines.map((l, i) => ({ ...parse(l), id: i + 1 }));
    const items = events.map((event) => ({ key: "k", event, entry: entryOf(event) }));
    expect(new FailureCounter().weigh(items).reduce((n, it) => n + it.entry.weight, 0)).toBe(2);
  });

  /** The lines' failures through one counter, in the order given (and as one batch): what they count in all. */
  const eventsOf = (lines: string[], from = 1): StoredEvent[] => lines.flatMap((l, i) => {
    const o = parseSyslogLine(l, ctx);
    return o.status === "event" ? [{ ...o.event, id: from + i }] : [];
  });
  const counted = (lines: string[]) => {
    const events = eventsOf(lines);
    return new FailureCounter().weigh(events.filter((e) => e.kind === "auth_failure").map((event) => ({ key: "k", event, entry: entryOf(event) }))).reduce((n, it) => n + it.entry.weight, 0);
  };
  const vsftpdLog = ['Tue Mar  3 10:00:01 2026 [pid 4711] [bob] FAIL LOGIN: Client "::ffff:203.0.113.5"', 'Tue Mar  3 10:00:05 2026 [pid 4711] [alice] FAIL LOGIN: Client "::ffff:203.0.113.5"', 'Tue Mar  3 10:00:09 2026 [pid 4711] [alice] FAIL LOGIN: Client "::ffff:203.0.113.5"'];
  // auth.log beside it: vsftpd logs to its own file, so PAM's lines carry no pid (and name no user PAM does not know)
  const pamLines = [
    "Mar  3 10:00:00 ftp1 vsftpd: pam_unix(vsftpd:auth): check pass; user unknown",
    "Mar  3 10:00:00 ftp1 vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser= rhost=::ffff:203.0.113.5",
    "Mar  3 10:00:04 ftp1 vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser= rhost=::ffff:203.0.113.5 user=alice",
    "Mar  3 10:00:08 ftp1 vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser= rhost=::ffff:203.0.113.5 user=alice",
  ];

  it("vsftpd.log and auth.log both sent: each try counts once (vsftpd's line), in either order; either log alone counts them all", () => {
    expect(counted([...vsftpdLog, ...pamLines])).toBe(3);
    expect(counted([...pamLines, ...vsftpdLog].reverse())).toBe(3);
    expect(counted(vsftpdLog)).toBe(3);
    expect(counted(pamLines)).toBe(3);
    // PAM's "user unknown" before the failure line of its try: with no pid it cannot be tied to it
    expect(reason(parseSyslogLine(pamLines[0], ctx))).toBe("pam check pass; user unknown without a pid: the authentication failure line of the same try counts it");
  });

  it("journald's PAM line (vsftpd's pid, the host, a reverse-DNS name for the client) pairs with vsftpd.log's line of that pid", () => {
    const journal = ["Mar  3 10:00:00 ftp1 vsftpd[4711]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser= rhost=scan-5.example.net user=bob"];
    expect(counted([vsftpdLog[0], ...journal])).toBe(1);
  });

  it("vsftpd.log and auth.log sent in two uploads: the later lines take the count over, the total unchanged", () => {
    const counter = new FailureCounter();
    const batch = (lines: string[], from: number) => counter.weigh(eventsOf(lines, from).filter((e) => e.kind === "auth_failure").map((event) => ({ key: "k", event, entry: entryOf(event) })));
    const pam = batch(pamLines, 1);
    const own = batch(vsftpdLog, 100);
    expect(pam.reduce((n, it) => n + it.entry.weight, 0) + own.reduce((n, it) => n + it.entry.weight, 0)).toBe(3);
    expect(own.reduce((n, it) => n + it.entry.weight, 0)).toBe(3);
  });

  it("pure-ftpd writes no pid: its Authentication failed and its PAM line of one try count once", () => {
    const lines = [
      "Mar  3 10:00:00 h pure-ftpd: pam_unix(pure-ftpd:auth): authentication failure; logname= uid=0 euid=0 tty=pure-ftpd ruser=alice rhost=203.0.113.5  user=alice",
      "Mar  3 10:00:02 h pure-ftpd: (?@203.0.113.5) [WARNING] Authentication failed for user [alice]",
      "Mar  3 10:00:05 h pure-ftpd: pam_unix(pure-ftpd:auth): authentication failure; logname= uid=0 euid=0 tty=pure-ftpd ruser=alice rhost=203.0.113.5  user=alice",
      "Mar  3 10:00:07 h pure-ftpd: (?@203.0.113.5) [WARNING] Authentication failed for user [alice]",
    ];
    expect(counted(lines)).toBe(2);
    expect(counted(lines.filter((l) => l.includes("pam_unix")))).toBe(2);
  });

  it("a client's FTP tries more than 10 minutes after its last are another run: PAM's lines count there", () => {
    expect(counted([vsftpdLog[0], "Mar  3 10:20:00 ftp1 vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser= rhost=203.0.113.5 user=alice"])).toBe(2);
  });
});
