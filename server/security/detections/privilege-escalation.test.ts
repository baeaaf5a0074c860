import { describe, expect, it } from "vitest";
import { parseSyslogLine } from "../parsers/syslog";
import type { StoredEvent } from "../types";
import { chunks, incidents, MIN, SEC, shuffled, T0, totals } from "./auth-test-events";
import { BruteForceRule } from "./brute-force";
import { PRIVILEGE_ESCALATION_RULE, PrivilegeEscalationRule } from "./privilege-escalation";

// Real su and sudo lines, parsed as the syslog ingest parses them: the rule sees what Vigil stores.
let nextId = 10_000;
const iso = (t: number) => new Date(t).toISOString();
function stored(line: string): StoredEvent {
  const o = parseSyslogLine(line, { now: T0 + 86_400_000, timeZone: "UTC" });
  if (o.status !== "event") throw new Error(`not an event: ${line} (${o.reason})`);
  return { ...o.event, id: nextId++ };
}
const tag = (program: string, pid?: number) => (pid === undefined ? `${program}:` : `${program}[${pid}]:`);

/** PAM's line for one failed su: `pam_unix(su:auth): authentication failure; … ruser=bob rhost=  user=root`. */
const suPam = (t: number, o: { pid?: number; host?: string; by?: string; target?: string } = {}) =>
  stored(`${iso(t)} ${o.host ?? "web-1"} ${tag("su", o.pid)} pam_unix(su:auth): authentication failure; logname=${o.by ?? "bob"} uid=1000 euid=0 tty=pts/0 ruser=${o.by ?? "bob"} rhost=  user=${o.target ?? "root"}`);
/** su's own line for the same try. */
const suFailed = (t: number, o: { pid?: number; host?: string; by?: string } = {}) => stored(`${iso(t)} ${o.host ?? "web-1"} ${tag("su", o.pid)} FAILED SU (to root) ${o.by ?? "bob"} on pts/0`);
/** PAM's line of a sudo run (sudo asks for bob's own password), no pid as classic sudo logs it. */
const sudoPam = (t: number, pid?: number) => stored(`${iso(t)} web-1 ${tag("sudo", pid)} pam_unix(sudo:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=bob rhost=  user=bob`);
/** sudo's own line at the end of the run: `bob : 3 incorrect password attempts ; … USER=root ; COMMAND=…`. */
const sudoWrong = (t: number, n: number, pid?: number) =>
  stored(`${iso(t)} web-1 ${tag("sudo", pid)}     bob : ${n} incorrect password attempt${n === 1 ? "" : "s"} ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id`);
/** One sudo run that failed all `n` tries: PAM's line at its start, sudo's own at its end. */
const sudoRun = (t: number, n = 3, pid?: number) => [sudoPam(t, pid), sudoWrong(t + 8 * SEC, n, pid)];

const KEY_SU = `${PRIVILEGE_ESCALATION_RULE}|su:web-1:root:bob`;
const KEY_SUDO = `${PRIVILEGE_ESCALATION_RULE}|sudo:web-1:bob:bob`;

describe("privilege_escalation", () => {
  it("fires on the reviewer's case: 30 PAM su failures in 30 s with no source address", () => {
    const log = Array.from({ length: 30 }, (_, i) => suPam(T0 + i * SEC));
    const [d, ...rest] = new PrivilegeEscalationRule().observe(log);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: PRIVILEGE_ESCALATION_RULE,
      entity: "su:web-1:root:bob",
      title: "su password guessing for root by bob on web-1",
      severity: "high",
      mitre: "T1110.001",
      increment: 30,
      firstSeen: T0,
      lastSeen: T0 + 29 * SEC,
      explanation: "30 failed su attempts for root by bob on web-1 in 29 s; threshold 7 in 5 min",
    });
    expect(d.evidence).toEqual(log.map((e) => e.id));
    // the remote rules have no source to count them by
    expect(new BruteForceRule().observe(log)).toEqual([]);
  });

  it("names a doas run in doas's words: the user's own password, T1548", () => {
    const log = Array.from({ length: 7 }, (_, i) => stored(`${iso(T0 + i * SEC)} web-1 doas: failed auth for alice`));
    const [d, ...rest] = new PrivilegeEscalationRule().observe(log);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      entity: "doas:web-1:alice:alice",
      title: "doas password guessing by alice on web-1",
      mitre: "T1548",
      increment: 7,
      explanation: "7 failed doas passwords by alice on web-1 in 6 s; threshold 7 in 5 min",
    });
  });

  it("does not fire one failure below the threshold, nor when the threshold's failures spread wider than 5 min", () => {
    expect(new PrivilegeEscalationRule().observe(Array.from({ length: 6 }, (_, i) => suPam(T0 + i * 10 * SEC)))).toEqual([]);
    expect(new PrivilegeEscalationRule().observe(Array.from({ length: 7 }, (_, i) => suPam(T0 + i * 51 * SEC)))).toEqual([]);
    expect(new PrivilegeEscalationRule().observe(Array.from({ length: 7 }, (_, i) => suPam(T0 + i * 50 * SEC)))).toHaveLength(1);
  });

  it("counts a su try once when PAM and su both report it, with or without a pid", () => {
    const paired = (pid?: number) => Array.from({ length: 6 }, (_, i) => [suPam(T0 + i * 20 * SEC, { pid: pid === undefined ? undefined : pid + i }), suFailed(T0 + i * 20 * SEC + 500, { pid: pid === undefined ? undefined : pid + i })]).flat();
    expect(new PrivilegeEscalationRule().observe(paired(4000))).toEqual([]);
    expect(new PrivilegeEscalationRule().observe(paired())).toEqual([]);
    const seven = [...paired(), suPam(T0 + 3 * MIN), suFailed(T0 + 3 * MIN + 500)];
    expect(new PrivilegeEscalationRule().observe(seven)[0]).toMatchObject({ increment: 7, firstSeen: T0, lastSeen: T0 + 3 * MIN + 500 });
  });

  it("sudo: counts '3 incorrect password attempts' as 3 and PAM's line of the same run as nothing; two failed runs stay below", () => {
    expect(new PrivilegeEscalationRule().observe([...sudoRun(T0), ...sudoRun(T0 + MIN)])).toEqual([]);
    const log = [...sudoRun(T0), ...sudoRun(T0 + MIN), ...sudoRun(T0 + 2 * MIN, 1)];
    const [d, ...rest] = new PrivilegeEscalationRule().observe(log);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      entity: "sudo:web-1:bob:bob",
      title: "sudo password guessing by bob on web-1",
      mitre: "T1548.003",
      severity: "high",
      increment: 7,
      // PAM's line of the first run is evidence (it counts nothing): the incident starts there
      firstSeen: T0,
      lastSeen: T0 + 2 * MIN + 8 * SEC,
      explanation: "7 failed sudo passwords by bob on web-1 to run as root in 128 s; threshold 7 in 5 min",
      details: expect.objectContaining({ runAs: ["root"], requester: "bob", host: "web-1" }),
    });
    expect(d.evidence).toEqual(log.map((e) => e.id));
  });

  it("sudo with a pid per run counts the same", () => {
    const log = [...sudoRun(T0, 3, 501), ...sudoRun(T0 + MIN, 3, 502), ...sudoRun(T0 + 2 * MIN, 1, 503)];
    expect(new PrivilegeEscalationRule().observe(log)[0]).toMatchObject({ increment: 7, firstSeen: T0 });
  });

  it("sudo from PAM lines alone counts each line", () => {
    expect(new PrivilegeEscalationRule().observe(Array.from({ length: 6 }, (_, i) => sudoPam(T0 + i * 10 * SEC)))).toEqual([]);
    expect(new PrivilegeEscalationRule().observe(Array.from({ length: 7 }, (_, i) => sudoPam(T0 + i * 10 * SEC)))[0]).toMatchObject({ increment: 7, entity: "sudo:web-1:bob:bob" });
  });

  it("gives the same incidents for su and sudo logs reversed, shuffled and in batches of any size", () => {
    const log = [
      ...Array.from({ length: 12 }, (_, i) => [suPam(T0 + i * 15 * SEC), suFailed(T0 + i * 15 * SEC + 300)]).flat(),
      ...sudoRun(T0 + 10 * MIN),
      ...sudoRun(T0 + 11 * MIN),
      ...sudoRun(T0 + 12 * MIN),
      ...sudoRun(T0 + 40 * MIN, 2),
      ...sudoRun(T0 + 42 * MIN, 3),
      ...sudoRun(T0 + 43 * MIN, 3),
    ];
    const sorted = [...log].sort((a, b) => a.time - b.time || a.id - b.id);
    const expected = totals(incidents(new PrivilegeEscalationRule(), [sorted]));
    expect(expected).toEqual({
      [KEY_SU]: { count: 12, firstSeen: T0, lastSeen: T0 + 165 * SEC + 300 },
      [KEY_SUDO]: { count: 17, firstSeen: T0 + 10 * MIN, lastSeen: T0 + 43 * MIN + 8 * SEC },
    });
    expect(totals(incidents(new PrivilegeEscalationRule(), [[...sorted].reverse()]))).toEqual(expected);
    expect(totals(incidents(new PrivilegeEscalationRule(), chunks(sorted, 1)))).toEqual(expected);
    expect(totals(incidents(new PrivilegeEscalationRule(), chunks([...sorted].reverse(), 3)))).toEqual(expected);
    for (const seed of [1, 2, 3]) expect(totals(incidents(new PrivilegeEscalationRule(), chunks(shuffled(log, seed), 2 + seed * 3)))).toEqual(expected);
  });

  it("counts a late failure that completes a burst in event time, and dates the incident by it", () => {
    const rule = new PrivilegeEscalationRule();
    expect(rule.observe(Array.from({ length: 6 }, (_, i) => suPam(T0 + (i + 1) * 10 * SEC)))).toEqual([]);
    const late = suPam(T0);
    expect(rule.observe([late])[0]).toMatchObject({ increment: 7, firstSeen: T0, lastSeen: T0 + 60 * SEC, evidence: expect.arrayContaining([late.id]) });
  });

  it("keeps hosts, target accounts and requesting users apart", () => {
    const spread = [
      ...Array.from({ length: 4 }, (_, i) => suPam(T0 + i * SEC)),
      ...Array.from({ length: 4 }, (_, i) => suPam(T0 + i * SEC, { host: "web-2" })),
      ...Array.from({ length: 4 }, (_, i) => suPam(T0 + i * SEC, { target: "postgres" })),
      ...Array.from({ length: 4 }, (_, i) => suPam(T0 + i * SEC, { by: "eve" })),
    ];
    expect(new PrivilegeEscalationRule().observe(spread)).toEqual([]);
  });

  it("leaves markers out: sudo's 'command not allowed' is no password try", () => {
    const denied = Array.from({ length: 10 }, (_, i) => stored(`${iso(T0 + i * SEC)} web-1 sudo:      bob : command not allowed ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/sh`));
    expect(new PrivilegeEscalationRule().observe(denied)).toEqual([]);
  });

  it("takes a changed threshold and window", () => {
    const log = Array.from({ length: 3 }, (_, i) => suPam(T0 + i * MIN));
    expect(new PrivilegeEscalationRule().observe(log)).toEqual([]);
    expect(new PrivilegeEscalationRule({ threshold: 3, windowMs: 2 * MIN }).observe(log)[0]).toMatchObject({ increment: 3, explanation: "3 failed su attempts for root by bob on web-1 in 120 s; threshold 3 in 120 s" });
  });

  it("keeps its state bounded", () => {
    const rule = new PrivilegeEscalationRule({ maxKeys: 500, maxConnections: 500 });
    rule.observe(Array.from({ length: 5_000 }, (_, n) => suPam(T0 + n, { by: `u${n}` })));
    expect(rule.trackedKeys).toBe(500);
    expect(rule.trackedConnections).toBe(500);
  });
});
