import { describe, expect, it } from "vitest";
import type { ParseOutcome, ParsedEvent } from "../types";
import { parseSyslogLine } from "./syslog";

// Envelopes as real relays and small syslog daemons write them, beside the common ones that
// syslog.test.ts covers: rsyslog's RFC 5424 template, BusyBox's syslogd, OpenWrt's logread, GDM's tag,
// and rsyslog's escapes of control characters a client or a sender put in a line.

const ctx = { now: Date.UTC(2026, 11, 3, 18) };

function event(o: ParseOutcome): ParsedEvent {
  if (o.status !== "event") throw new Error(`expected an event, got ${o.status}: ${o.reason}`);
  return o.event;
}
const reason = (o: ParseOutcome) => (o.status === "event" ? "(event)" : o.reason);
const parse = (line: string, zone?: string) => event(parseSyslogLine(line, { ...ctx, timeZone: zone }));
const FAILED = "Failed password for root from 203.0.113.5 port 40001 ssh2";

describe("parseSyslogLine: relays' and small daemons' envelopes", () => {
  it("reads rsyslog's RFC 5424 output of a message it received as RFC 3164: the blank kept before the text is no part of it", () => {
    // RSYSLOG_SyslogProtocol23Format's %msg% starts with the blank that followed the tag
    const e = parse(`<38>1 2026-12-03T10:00:01.123456+01:00 web1 sshd 1001 - -  ${FAILED}`);
    expect(e).toMatchObject({ time: Date.UTC(2026, 11, 3, 9, 0, 1, 123), signature: "sshd: failed password", user: "root", src_ip: "203.0.113.5", src_port: 40001 });
    expect(parse(`<38>1 2026-12-03T10:00:01Z web1 sshd 1001 - [timeQuality tzKnown="1"]  \uFEFF${FAILED}`)).toMatchObject({ signature: "sshd: failed password" });
  });

  it("reads an RFC 5424 message that repeats its RFC 3164 tag after the header where the tag is the APP-NAME, or the only name (APP-NAME '-')", () => {
    expect(parse(`<38>1 2026-12-03T10:00:01Z web1 sshd 1001 - - sshd[1001]: ${FAILED}`)).toMatchObject({ signature: "sshd: failed password", user: "root", attributes: { program: "sshd", pid: "1001" } });
    expect(parse(`<38>1 2026-12-03T10:00:01Z web1 sshd-session 1001 - - sshd-session: ${FAILED}`)).toMatchObject({ signature: "sshd: failed password" });
    // no APP-NAME: the tag left in the message (with its pid) names the program
    expect(parse(`<38>1 2026-12-03T10:00:01Z web1 - - - - sshd[1001]: ${FAILED}`)).toMatchObject({ signature: "sshd: failed password", attributes: { program: "sshd", pid: "1001" } });
    // another program's name before a colon is its text, not a tag to drop
    expect(reason(parseSyslogLine(`<38>1 2026-12-03T10:00:01Z web1 sshd 1001 - - error: kex_exchange_identification: Connection closed by remote host`, ctx))).toBe("not security-relevant: sshd");
  });

  it("reads BusyBox syslogd's (OpenWrt, Alpine) and AIX's facility and level after the host as neither host nor tag", () => {
    const e = parse("Dec  3 10:00:01 OpenWrt authpriv.info dropbear[1234]: Bad password attempt for 'root' from 203.0.113.5:54321");
    expect(e).toMatchObject({ time: Date.UTC(2026, 11, 3, 10, 0, 1), signature: "dropbear: bad password", user: "root", src_ip: "203.0.113.5", src_port: 54321, attributes: { host: "OpenWrt", program: "dropbear", pid: "1234" } });
    expect(parse(`Dec  3 10:00:01 alpine auth.notice sshd[1001]: ${FAILED}`)).toMatchObject({ signature: "sshd: failed password", attributes: { host: "alpine", program: "sshd" } });
    expect(parse(`Dec  3 10:00:01 nas local7.<7> sshd[1001]: ${FAILED}`)).toMatchObject({ attributes: { host: "nas", program: "sshd" } });
    // AIX's syslogd: the facility's names, a colon, the level
    expect(parse(`Dec  3 10:00:01 aix1 auth|security:info sshd[2346]: ${FAILED}`)).toMatchObject({ signature: "sshd: failed password", attributes: { host: "aix1", program: "sshd", pid: "2346" } });
    // a word with a dot that is no facility.level is still the tag's place: a host, then no tag
    expect(reason(parseSyslogLine(`Dec  3 10:00:01 web1 foo.bar sshd[1001]: ${FAILED}`, ctx))).toBe("not security-relevant: no program tag");
  });

  it("reads OpenWrt's logread: ctime's stamp with its year, in the configured zone, then the facility and level, no host", () => {
    const e = parse("Wed Dec  3 10:00:01 2026 authpriv.info dropbear[1234]: Bad password attempt for 'root' from 203.0.113.5:54321", "Europe/Berlin");
    expect(e).toMatchObject({ time: Date.UTC(2026, 11, 3, 9, 0, 1), signature: "dropbear: bad password", user: "root", src_ip: "203.0.113.5", attributes: { host: null, program: "dropbear", pid: "1234" } });
    expect(parse("Thu Jan  1 00:00:05 2026 authpriv.warn dropbear[77]: Login attempt for nonexistent user from 203.0.113.5:60495")).toMatchObject({ time: Date.UTC(2026, 0, 1, 0, 0, 5), signature: "dropbear: nonexistent user" });
    expect(reason(parseSyslogLine("Wed Feb 30 10:00:01 2026 authpriv.info dropbear[1234]: x", ctx))).toMatch(/^timestamp: not a calendar date/);
  });

  it("reads Kiwi Syslog Server's file: its stamp, the facility and level (any case), then the host, tab-separated", () => {
    const e = parse("2026-12-03 10:00:01\tLocal7.Info\t10.0.0.7\tsshd[1001]: Failed password for root from 203.0.113.5 port 40001 ssh2", "Europe/Berlin");
    expect(e).toMatchObject({ time: Date.UTC(2026, 11, 3, 9, 0, 1), signature: "sshd: failed password", src_ip: "203.0.113.5", attributes: { host: "10.0.0.7", program: "sshd", pid: "1001" } });
  });

  it("reads GDM's PAM worker under its tag 'gdm-password]' as that program", () => {
    const e = parse("Dec  3 10:00:01 desk gdm-password]: pam_unix(gdm-password:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=bob");
    expect(e).toMatchObject({ kind: "auth_failure", signature: "pam: authentication failure", user: "bob", src_ip: null, attributes: { program: "gdm-password", pam_service: "gdm-password" } });
    expect(reason(parseSyslogLine("Dec  3 10:00:01 desk gdm-password]: gkr-pam: unable to locate daemon control file", ctx))).toBe("not security-relevant: gdm-password");
  });
});

describe("parseSyslogLine: rsyslog's escapes of control characters", () => {
  it("drops '#015' at the end of a line (a sender's CRLF): the line is read", () => {
    expect(parse(`Dec  3 10:00:01 web1 sshd[1001]: ${FAILED}#015`)).toMatchObject({ signature: "sshd: failed password", user: "root", src_ip: "203.0.113.5", src_port: 40001 });
    expect(parse(`Dec  3 10:00:01 web1 sudo:      bob : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/ls#015`)).toMatchObject({ occurrences: 3, attributes: { command: "/bin/ls" } });
  });

  it("does not let '#012' typed into a user name hide the try: sshd's lines hold no line break, so the line is read whole", () => {
    const failed = parse("Dec  3 10:00:01 web1 sshd[1001]: Failed password for invalid user a#012b from 203.0.113.5 port 40001 ssh2");
    expect(failed).toMatchObject({ signature: "sshd: failed password", user: "a#012b", src_ip: "203.0.113.5", src_port: 40001, attributes: { attempt: true } });
    expect(parse("Dec  3 10:00:01 web1 sshd[1001]: Invalid user x#012 from 203.0.113.5 port 40001")).toMatchObject({ signature: "sshd: invalid user", user: "x#012" });
    expect(parse("Dec  3 10:00:01 web1 sshd[1001]: message repeated 4 times: [ Failed password for invalid user #012 from 203.0.113.5 port 40001 ssh2]")).toMatchObject({ user: "#012", occurrences: 4 });
    // a real continuation after an event's first line is still kept out of the reading
    expect(parse(`Dec  3 10:00:01 web1 sshd[1001]: ${FAILED}#012 from 198.51.100.9 port 1 ssh2`)).toMatchObject({ src_ip: "203.0.113.5", src_port: 40001 });
  });
});
