import { describe, expect, it } from "vitest";
import { testCore } from "../../server/test-support/core";
import { countMatchingEvents, pageEvents, SCAN_CAP } from "./security";
import { tallyRanges } from "./security-top";
import { eventGroupsQuerySchema, eventQuerySchema, topQuerySchema, type EventInput } from "../../lib/contracts/events";

const MIN = 60_000;
const HOUR = 3_600_000;

/** A core with a small, hand-made history around the test clock (2026-11-21T12:00Z). */
function triage() {
  const t = testCore();
  const now = t.clock.now();
  const items: EventInput[] = [
    { kind: "auth_failure", severity: "low", time: now - 50 * MIN, src_ip: "2001:db8::1", user: "root", service: "sshd", signature: "sshd: failed password", message: "Failed password for root" },
    { kind: "auth_failure", severity: "low", time: now - 40 * MIN, src_ip: "2001:db8::1", user: "admin", service: "sshd", signature: "sshd: invalid user", message: "Invalid user admin" },
    { kind: "auth_failure", severity: "medium", time: now - 30 * MIN, src_host: "Host-7.Dyn.Example.NET", user: "root", service: "pam", signature: "pam: authentication failure", message: "rhost=host-7" },
    { kind: "ids_alert", severity: "high", time: now - 20 * MIN, src_ip: "203.0.113.5", dst_ip: "10.0.0.5", service: "suricata", signature: "ET WEB 50% off_promo", message: "discount 50% off" },
    { kind: "ids_alert", severity: "critical", time: now - 10 * MIN, src_ip: "203.0.113.5", dst_ip: "10.0.0.6", service: "suricata", signature: "ET EXPLOIT log4j", message: "jndi lookup" },
    { kind: "ids_alert", severity: "medium", time: now - 5 * MIN, src_ip: "198.51.100.9", dst_ip: "10.0.0.5", service: "suricata", signature: "ET WEB 50X offXpromo", message: "no percent sign here" },
    { kind: "transaction", severity: "info", time: now - 3 * HOUR, src_ip: "198.51.100.9", user: "acct-1", service: "payments", signature: "payment approved", message: "approved 12.00 EUR" },
  ];
  expect(t.core.ingestEvents(items, "test").accepted).toBe(items.length);
  const events = (raw: Record<string, string>) => t.core.events(eventQuerySchema.parse({ limit: "100", ...raw }));
  const messages = (raw: Record<string, string>) => events(raw).events.map((e) => e.message);
  return { ...t, now, events, messages };
}

describe("triage filters", () => {
  const { core, now, events, messages } = triage();

  it("matches an IPv6 source however it is written (fully expanded, upper case, zeros spelt out) against the stored compressed form", () => {
    for (const src of ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:DB8::1", "2001:db8:0:0::1"]) {
      expect(messages({ src })).toEqual(["Invalid user admin", "Failed password for root"]);
    }
    expect(messages({ src: "::ffff:203.0.113.5" })).toEqual(["jndi lookup", "discount 50% off"]);
  });

  it("takes a source that is not an address as a host name, in any case", () => {
    expect(messages({ src: "host-7.dyn.example.net" })).toEqual(["rhost=host-7"]);
    expect(messages({ src: "HOST-7.dyn.example.net" })).toEqual(["rhost=host-7"]);
    // a host name never matches an address column, nor an address a host name
    expect(messages({ src: "host-8.dyn.example.net" })).toEqual([]);
  });

  it("filters by kind and severity lists, destination, account, signature, service and time range", () => {
    expect(messages({ kind: "ids_alert,transaction", severity: "critical,info" })).toEqual(["jndi lookup", "approved 12.00 EUR"]);
    expect(messages({ severity: "medium" })).toEqual(["no percent sign here", "rhost=host-7"]);
    expect(messages({ dst: "10.0.0.5" })).toEqual(["no percent sign here", "discount 50% off"]);
    expect(messages({ user: "root" })).toEqual(["rhost=host-7", "Failed password for root"]);
    expect(messages({ signature: "ET EXPLOIT log4j" })).toEqual(["jndi lookup"]);
    expect(messages({ service: "SSHD" })).toEqual(["Invalid user admin", "Failed password for root"]);
    expect(messages({ since: String(now - 40 * MIN), until: String(now - 10 * MIN) })).toEqual(["discount 50% off", "rhost=host-7", "Invalid user admin"]);
    expect(messages({ user: "root", service: "pam" })).toEqual(["rhost=host-7"]);
    expect(messages({ src: "203.0.113.5", severity: "critical" })).toEqual(["jndi lookup"]);
  });

  it("answers totals that agree with the rows it lists", () => {
    for (const raw of [{ kind: "auth_failure" }, { src: "2001:db8::1" }, { dst: "10.0.0.5" }, { q: "root" }, { user: "root", service: "pam" }] as Record<string, string>[]) {
      const page = events(raw);
      expect(page).toMatchObject({ total: page.events.length, total_exact: true, partial: false, next_before: null });
    }
  });

  it("searches free text case-insensitively in signature, message, account, source and service", () => {
    expect(messages({ q: "LOG4J" })).toEqual(["jndi lookup"]);
    expect(messages({ q: "acct-" })).toEqual(["approved 12.00 EUR"]);
    expect(messages({ q: "dyn.example" })).toEqual(["rhost=host-7"]);
    expect(messages({ q: "2001:db8" })).toEqual(["Invalid user admin", "Failed password for root"]);
    expect(messages({ q: "payments" })).toEqual(["approved 12.00 EUR"]);
  });

  it("takes % and _ in free text literally, not as LIKE wildcards", () => {
    // "ET WEB 50X offXpromo" would match 50_off_promo or 50%off if they were wildcards
    expect(messages({ q: "%" })).toEqual(["discount 50% off"]);
    expect(messages({ q: "50% off" })).toEqual(["discount 50% off"]);
    expect(messages({ q: "off_promo" })).toEqual(["discount 50% off"]);
    expect(messages({ q: "\\" })).toEqual([]);
  });

  it("lists an incident's evidence events, with the other filters applied to them", () => {
    const more = Array.from({ length: 10 }, (_, i) => ({ kind: "auth_failure" as const, src_ip: "192.0.2.77", user: `u${i}`, service: "sshd", time: now - 60_000 + i * 1000, message: `evidence ${i}` }));
    core.ingestEvents(more, "test");
    const incident = core.incidentsSnapshot({ status: "all", limit: 50 }).incidents.find((i) => i.entity.includes("192.0.2.77"));
    expect(incident).toBeDefined();
    const page = events({ incident: String(incident!.id) });
    expect(page.events.length).toBeGreaterThan(0);
    expect(page.events.every((e) => e.src_ip === "192.0.2.77")).toBe(true);
    expect(page.total).toBe(page.events.length);
    expect(events({ incident: String(incident!.id), user: "u9" }).events.map((e) => e.message)).toEqual(page.events.some((e) => e.user === "u9") ? ["evidence 9"] : []);
    expect(events({ incident: "999999" }).events).toEqual([]);
  });
});

describe("a filter checked row by row stops at the scan bound", () => {
  it("answers a partial page whose cursor goes on where it stopped, and a lower-bound total", () => {
    const { core, clock } = testCore();
    const now = clock.now();
    // SCAN_CAP + 300 events, only the oldest 5 of them carry the text
    const n = SCAN_CAP + 300;
    for (let start = 0; start < n; start += 5000) {
      const batch = Array.from({ length: Math.min(5000, n - start) }, (_, k) => ({ kind: "system" as const, time: now - HOUR + start + k, message: start + k < 5 ? `needle ${start + k}` : "hay" }));
      expect(core.ingestEvents(batch, "test").accepted).toBe(batch.length);
    }
    const first = core.events(eventQuerySchema.parse({ q: "needle", limit: "50" }));
    expect(first).toMatchObject({ events: [], partial: true, total: 0, total_exact: false });
    const second = core.events(eventQuerySchema.parse({ q: "needle", limit: "50", before: first.next_before! }));
    expect(second.events.map((e) => e.message)).toEqual(["needle 4", "needle 3", "needle 2", "needle 1", "needle 0"]);
    expect(second).toMatchObject({ partial: false, next_before: null });
    // without the bound every page is full: the same events as one unbounded read
    expect(pageEvents(core.handle.db, { limit: 10 }).partial).toBe(false);
    expect(countMatchingEvents(core.handle.db, { kind: ["system"] }, 1000)).toEqual({ total: 1000, exact: false });
  });
});

describe("groups", () => {
  it("counts occurrences, rows, worst severity, first and last time and distinct sources per group, largest first", () => {
    const { core, clock } = testCore();
    const now = clock.now();
    const line = (min: number, text: string) => `<38>${new Date(now - min * MIN).toISOString()} bastion sshd[77]: ${text}`;
    const syslog = [
      line(30, "message repeated 5 times: [ Failed password for root from 203.0.113.5 port 22 ssh2]"),
      line(29, "Failed password for root from 203.0.113.6 port 22 ssh2"),
      line(28, "Failed password for admin from 203.0.113.5 port 22 ssh2"),
      line(27, "Invalid user guest from 203.0.113.7 port 22"),
    ].join("\n");
    expect(core.ingestLog("syslog", new TextEncoder().encode(syslog), "text/plain").accepted).toBe(4);
    const groups = (raw: Record<string, string>) => core.eventGroups(eventGroupsQuerySchema.parse(raw));

    const bySig = groups({ by: "signature" });
    expect(bySig).toMatchObject({ by: "signature", total_groups: 2, rows: 4, exact: true });
    expect(bySig.groups[0]).toEqual({ key: "sshd: failed password", count: 7, rows: 3, worst: "low", first: now - 30 * MIN, last: now - 28 * MIN, sources: 2 });
    expect(bySig.groups[1]).toMatchObject({ key: "sshd: invalid user", count: 1, rows: 1, sources: 1 });

    const bySrc = groups({ by: "src" });
    expect(bySrc.groups.map((g) => [g.key, g.count, g.rows])).toEqual([
      ["203.0.113.5", 6, 2],
      ["203.0.113.6", 1, 1],
      ["203.0.113.7", 1, 1],
    ]);
    expect(groups({ by: "user", limit: "1" })).toMatchObject({ groups: [{ key: "root", count: 6 }], total_groups: 3 });
    expect(groups({ by: "signature", src: "203.0.113.5" }).groups.map((g) => [g.key, g.count])).toEqual([["sshd: failed password", 6]]);
    expect(groups({ by: "kind", since: String(now - 28 * MIN) }).groups).toMatchObject([{ key: "auth_failure", count: 2, rows: 2 }]);
  });

  it("refuses a grouping it does not know and an unknown parameter", () => {
    expect(eventGroupsQuerySchema.safeParse({ by: "dst" }).success).toBe(false);
    expect(eventGroupsQuerySchema.safeParse({ by: "src", sort: "asc" }).success).toBe(false);
  });
});

describe("top sources, signatures and accounts", () => {
  it("counts whole hours from the hour tallies and the edges from minute tallies, and says what range it counted", () => {
    const { core, clock } = testCore();
    const now = clock.now();
    const at = (ms: number, src: string, user: string, severity: "low" | "high" = "low") => ({ kind: "auth_failure" as const, severity, time: ms, src_ip: src, user, signature: "sshd: failed password" });
    core.ingestEvents(
      [
        at(now - 26 * HOUR, "192.0.2.1", "old"), // before the range
        at(now - 23 * HOUR - 30 * MIN, "192.0.2.1", "root"), // in a minute edge
        at(now - 10 * HOUR, "192.0.2.2", "root", "high"),
        at(now - 10 * HOUR + 1, "192.0.2.2", "admin"),
        at(now - 2 * MIN, "192.0.2.2", "admin"),
        at(now - 90 * MIN, "192.0.2.3", "root"),
      ],
      "test",
    );
    const since = now - 24 * HOUR + 25 * MIN + 17_000; // not on a minute
    const top = core.securityTop(topQuerySchema.parse({ since: String(since), until: String(now - 30_000), limit: "2" }));
    expect(top.since).toBe(now - 24 * HOUR + 25 * MIN);
    expect(top.until).toBe(now);
    expect(top.sources).toEqual([
      { value: "192.0.2.2", count: 3, worst: "high" },
      { value: "192.0.2.1", count: 1, worst: "low" },
    ]);
    expect(top.users).toEqual([
      { value: "root", count: 3, worst: "high" },
      { value: "admin", count: 2, worst: "low" },
    ]);
    expect(top.signatures).toEqual([{ value: "sshd: failed password", count: 5, worst: "high" }]);
    expect(top.counts).toEqual({ critical: 0, high: 1, medium: 0, low: 4, info: 0 });
    // the default range is the last 24 hours
    expect(core.securityTop(topQuerySchema.parse({})).sources.map((s) => s.count)).toEqual([3, 1, 1]);
  });

  it("widens edges older than the minute tallies' retention to whole hours", () => {
    const now = Date.UTC(2026, 10, 21, 12, 0, 0);
    const r = tallyRanges(now - 60 * HOUR + 10 * MIN, now - 50 * HOUR + 10 * MIN, now);
    expect(r).toEqual({ since: now - 60 * HOUR, until: now - 49 * HOUR, minutes: [], hours: [[now - 60 * HOUR, now - 49 * HOUR]] });
    const recent = tallyRanges(now - 90 * MIN + 1, now - 10 * MIN, now);
    expect(recent).toEqual({ since: now - 90 * MIN, until: now - 10 * MIN, minutes: [[now - 90 * MIN, now - 10 * MIN]], hours: [] });
  });
});
