import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ParseOutcome } from "../types";
import { parseSyslogLine } from "./syslog";

// fixtures/auth-variants.log: the forms real systems write (OpenSSH, PAM, su, sudo, vsftpd, proftpd,
// pure-ftpd, Dropbear), each line after a "#>" line saying what it must become.

const ctx = { now: Date.UTC(2026, 11, 1) };
const file = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures", "auth-variants.log");

interface Case {
  at: number;
  line: string;
  want: string[];
}

function cases(): Case[] {
  const out: Case[] = [];
  const lines = readFileSync(file, "utf8").split("\n");
  lines.forEach((line, i) => {
    if (!line.startsWith("#> ")) return;
    out.push({ at: i + 2, line: lines[i + 1], want: line.slice(3).split(" | ").map((s) => s.trim()) });
  });
  return out;
}

const classOf = (o: ParseOutcome) => (o.status !== "event" ? (o.status === "skipped" ? "skip" : "reject") : o.event.kind === "auth_success" ? "success" : o.event.attributes?.attempt === false ? "marker" : "failure");

describe("fixtures/auth-variants.log: real systems' authentication lines", () => {
  const all = cases();

  it.each(all.map((c) => [`line ${c.at}: ${c.line.slice(0, 90)}`, c] as const))("%s", (_, c) => {
    const o = parseSyslogLine(c.line, ctx);
    const [cls, what, source, account] = c.want;
    if (cls === "skip" || cls === "reject") {
      expect(classOf(o)).toBe(cls);
      expect(o.status === "event" ? "" : o.reason.startsWith(what) ? what : o.reason).toBe(what);
      return;
    }
    if (o.status !== "event") throw new Error(`expected ${cls}, got ${o.status}: ${o.reason}`);
    const e = o.event;
    expect({ cls: classOf(o), signature: e.signature, source: e.src_ip ?? e.src_host ?? "-", account: e.user ?? "-" }).toEqual({ cls, signature: what, source, account });
    // the event's time is the line's own: its clock time (a stamp with an offset is checked in UTC by the parser's own tests)
    // (a TAI64N label shows no clock time: the parser's own test checks it)
    const shown = /(?:^|\D)(\d{2}):(\d{2}):(\d{2})(?!\d)/.exec(c.line);
    if (shown && !/^\d{4}-\d{2}-\d{2}[T ][\d:.]+[+-]\d{2}/.test(c.line)) {
      const t = new Date(e.time);
      expect([t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()]).toEqual(shown.slice(1, 4).map(Number));
    }
  });

  it("reads them all: how many of each", () => {
    const tally: Record<string, number> = {};
    for (const c of all) tally[classOf(parseSyslogLine(c.line, ctx))] = (tally[classOf(parseSyslogLine(c.line, ctx))] ?? 0) + 1;
    expect(tally).toEqual({ failure: 46, marker: 31, success: 4, skip: 14, reject: 1 });
  });
});
