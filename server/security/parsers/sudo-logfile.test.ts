import { describe, expect, it } from "vitest";
import { parseUpload } from "../formats";
import type { ParseOutcome } from "../types";
import { parseSyslogLine } from "./syslog";

// sudo's own log file (sudoers: Defaults logfile=/var/log/sudo.log), as sudo writes it: no host or
// tag, entries past loglinelen (80) wrapped at a blank with the rest indented by 4 spaces.
const ctx = { now: Date.UTC(2026, 2, 12) };
const upload = (lines: string[]) => parseUpload("syslog", Buffer.from(lines.join("\n")), "text/plain", ctx).map((o) => o.outcome);
const brief = (o: ParseOutcome) => (o.status === "event" ? { user: o.event.user, signature: o.event.signature, ...o.event.attributes } : { [o.status]: o.reason });

describe("sudo's own log file", () => {
  it("joins the indented lines of a wrapped entry to it and reads the entry whole; the continuation lines are skipped saying so", () => {
    const out = upload([
      "Mar 11 22:55:32 : bob : 3 incorrect password attempts ; TTY=pts/0 ;",
      "    PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/apt-get install",
      "    nginx",
      "Mar 11 22:55:40 : bob : command not allowed ; TTY=pts/0 ; PWD=/home/bob ;",
      "    USER=root ; COMMAND=/bin/sh",
    ]);
    expect(out.map(brief)).toEqual([
      expect.objectContaining({ user: "bob", signature: "sudo: incorrect password", target_user: "root", command: "/usr/bin/apt-get install nginx", pwd: "/home/bob", tty: "pts/0" }),
      { skipped: "sudo log: a continuation line, read with the entry above it" },
      { skipped: "sudo log: a continuation line, read with the entry above it" },
      expect.objectContaining({ user: "bob", signature: "sudo: command not allowed", target_user: "root", command: "/bin/sh" }),
      { skipped: "sudo log: a continuation line, read with the entry above it" },
    ]);
    expect(out[0].status === "event" && out[0].event.occurrences).toBe(3);
  });

  it("skips a continuation line sent without its entry (the upload starting mid-entry), not as a timestamp error", () => {
    expect(brief(upload(["    PWD=/home/bob ; USER=root ; COMMAND=/bin/ls", "Mar 11 22:55:33 : bob : user NOT in sudoers ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/ls"])[0])).toEqual({
      skipped: "an indented continuation line with no stamp (as sudo's log file wraps its long entries), sent without the entry it continues",
    });
    expect(parseSyslogLine("    USER=root ; COMMAND=/bin/ls", ctx).status).toBe("skipped");
  });

  it("does not join an indented line to an ordinary syslog line", () => {
    const out = upload(["Mar 11 22:55:32 web1 sshd[42]: Failed password for root from 203.0.113.5 port 4000 ssh2", "    at java.lang.Thread.run(Thread.java:748)"]);
    expect(brief(out[0])).toMatchObject({ signature: "sshd: failed password" });
    expect(out[1].status).toBe("skipped");
  });

  it("reads log_host's HOST= (sudo's order, user then HOST, and the other) as the host, and log_year's year", () => {
    const [a, b, c] = upload([
      "Mar 11 22:55:33 : bob : HOST=web1 : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/ls",
      "Mar 11 22:55:34 : HOST=web2 : alice : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls",
      "Mar 11 22:55:35 2026 : carol : user NOT authorized on host ; TTY=pts/2 ; PWD=/tmp ; USER=root ; COMMAND=/bin/ls",
    ]);
    expect(brief(a)).toMatchObject({ user: "bob", host: "web1", signature: "sudo: incorrect password", command: "/bin/ls" });
    expect(brief(b)).toMatchObject({ user: "alice", host: "web2", signature: "sudo: user not in sudoers" });
    expect(brief(c)).toMatchObject({ user: "carol", host: null, signature: "sudo: user not authorized on host" });
    expect(c.status === "event" && c.event.time).toBe(Date.UTC(2026, 2, 11, 22, 55, 35));
  });

  it("joins a wrapped entry written with log_year and log_host both", () => {
    const [entry, rest] = upload(["Mar  1 09:00:00 2026 : bob : HOST=web1 : 1 incorrect password attempt ; TTY=pts/0 ;", "    PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id"]);
    expect(brief(entry)).toMatchObject({ user: "bob", host: "web1", signature: "sudo: incorrect password", command: "/usr/bin/id" });
    expect(entry.status === "event" && entry.event.time).toBe(Date.UTC(2026, 2, 1, 9));
    expect(rest.status).toBe("skipped");
  });
});
