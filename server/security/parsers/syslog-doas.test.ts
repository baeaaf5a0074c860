import { describe, expect, it } from "vitest";
import { PrivilegeEscalationRule } from "../detections/privilege-escalation";
import type { ParseOutcome, ParsedEvent, StoredEvent } from "../types";
import { parseSyslogLine } from "./syslog";

// OpenBSD's doas and Linux's opendoas (program "doas", LOG_AUTHPRIV), in the words of their
// doas.c: "failed auth for alice" (a wrong password), "command not permitted for alice: cmd"
// (doas.conf allows it not; opendoas before 6.6 "failed command for alice: cmd"), "alice ran command
// ls as root from /home/alice" (it ran), and opendoas's PAM stack, pam_unix(doas:auth). Lines
// written for Vigil.

const ctx = { now: Date.UTC(2026, 11, 1), timeZone: "UTC" };
function event(o: ParseOutcome): ParsedEvent {
  if (o.status !== "event") throw new Error(`expected an event, got ${o.status}: ${o.reason}`);
  return o.event;
}
const parse = (line: string) => event(parseSyslogLine(line, ctx));

describe("parseSyslogLine: doas", () => {
  it("reads doas's failed auth as a password try by and for the user who ran doas", () => {
    const e = parse("Mar 11 22:55:32 web-1 doas: failed auth for alice");
    expect(e).toMatchObject({ kind: "auth_failure", service: "doas", signature: "doas: failed auth", user: "alice", src_ip: null, occurrences: 1 });
    expect(e.attributes).toMatchObject({ host: "web-1", program: "doas", attempt: true, by: "alice" });
  });

  it("reads command not permitted (and opendoas's older failed command) as a marker, not a password try", () => {
    for (const line of ["Mar 11 22:55:32 web-1 doas: command not permitted for alice: rm -rf /tmp/x", "Mar 11 22:55:32 web-1 doas: failed command for alice: rm -rf /tmp/x"]) {
      const e = parse(line);
      expect(e).toMatchObject({ kind: "auth_failure", service: "doas", signature: "doas: command not permitted", user: "alice" });
      expect(e.attributes).toMatchObject({ attempt: false, by: "alice", command: "rm -rf /tmp/x" });
    }
  });

  it("reads pam_unix(doas:auth) as doas, and skips a command that ran (as sudo's)", () => {
    const e = parse("Mar 11 22:55:30 web-1 doas: pam_unix(doas:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/1 ruser=alice rhost=  user=alice");
    expect(e).toMatchObject({ service: "doas", signature: "pam: authentication failure", user: "alice" });
    expect(e.attributes).toMatchObject({ ruser: "alice", pam_service: "doas" });
    expect(parseSyslogLine("Mar 11 22:55:32 web-1 doas: alice ran command ls as root from /home/alice", ctx)).toEqual({ status: "skipped", reason: "not security-relevant: doas" });
  });

  it("skips 'tty required for alice' with its own reason, not as a failed attempt: doas.conf permitted her and no password was tried (doas had no terminal to ask on), as sudo's 'a terminal is required to read the password' is skipped", () => {
    expect(parseSyslogLine("Mar 11 22:55:32 web-1 doas: tty required for alice", ctx)).toEqual({ status: "skipped", reason: "doas: tty required for alice: no terminal to ask for a password on, none was tried (as sudo's 'a terminal is required')" });
    // sudo's line of the same situation, skipped (not a password try, not a policy refusal)
    expect(parseSyslogLine("Mar 11 22:55:32 web-1 sudo:    alice : a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper ; TTY=unknown ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls", ctx).status).toBe("skipped");
    // with a pid too (opendoas under journald)
    expect(parseSyslogLine("Mar 11 22:55:32 web-1 doas[4711]: tty required for alice", ctx).status).toBe("skipped");
  });

  it("feeds privilege_escalation, counting a PAM line and doas's own line of one try once", () => {
    let id = 1;
    const stored = (line: string): StoredEvent => ({ ...parse(line), id: id++ });
    const t = (s: number) => `2026-03-11T22:${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}Z`;
    const tries = (n: number) =>
      Array.from({ length: n }, (_, i) => [
        stored(`${t(i * 20)} web-1 doas: pam_unix(doas:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/1 ruser=alice rhost=  user=alice`),
        stored(`${t(i * 20 + 2)} web-1 doas: failed auth for alice`),
      ]).flat();
    // 6 tries, each reported twice: below the threshold of 7
    expect(new PrivilegeEscalationRule().observe(tries(6))).toEqual([]);
    const [d, ...rest] = new PrivilegeEscalationRule().observe(tries(7));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ entity: "doas:web-1:alice:alice", increment: 7, severity: "high" });
  });
});
