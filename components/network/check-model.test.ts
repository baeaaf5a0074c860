// The node page's check and window editors as data: a check as written survives the form, blank
// fields fall back to the defaults, and the server's 400 lands next to the field it names.
import { describe, expect, it } from "vitest";
import { describeZodError } from "@/lib/contracts/common";
import { nodePatchSchema } from "@/server/network/definition";
import { changedIntervals, checkOf, draftOf, fieldProblems, intervalProblems, intervalsOf, settingsText, windowOf } from "./check-model";

describe("check drafts", () => {
  it("a check as written goes through the form unchanged, settings it has no field for included", () => {
    const written = { id: "health", type: "http", url: "https://gw.example/h", method: "POST", expected_status: [200, "3xx"], keyword: "ok", max_redirects: 0, headers: { authorization: "[redacted]" }, interval: "30s", failures_before_down: 2, enabled: false };
    const d = draftOf(written);
    expect(d.values).toMatchObject({ url: "https://gw.example/h", expected_status: "200, 3xx", max_redirects: "0", interval: "30s" });
    expect(d.extra).toEqual({ headers: { authorization: "[redacted]" } });
    expect(checkOf(d)).toEqual(written);
  });

  it("blank fields are left out, numbers and lists are shaped, and the server's schema takes the result", () => {
    const d = draftOf(null, "dns");
    d.values = { name: "api.example", record_type: "AAAA", server: "127.0.0.1:5353", expected: " ::1 , 2001:db8::1 ", timeout: "", latency_threshold_ms: "250" };
    const check = checkOf(d);
    expect(check).toEqual({ type: "dns", name: "api.example", record_type: "AAAA", server: "127.0.0.1:5353", expected: ["::1", "2001:db8::1"], latency_threshold_ms: 250 });
    expect(nodePatchSchema.safeParse({ checks: [check] }).success).toBe(true);
    // text that is not a number is sent as typed: the server says what is wrong with it
    d.values.latency_threshold_ms = "fast";
    const bad = nodePatchSchema.safeParse({ checks: [checkOf(d)] });
    expect(bad.success).toBe(false);
  });

  it("a type change drops the settings of the old type", () => {
    const d = draftOf({ id: "x", type: "http", url: "https://a.example", headers: { a: "b" } });
    d.type = "tcp";
    d.values = { host: "10.0.0.1", port: "179" };
    expect(checkOf(d, false)).toEqual({ type: "tcp", id: "x", host: "10.0.0.1", port: 179 });
  });

  it("reads settings without showing secrets", () => {
    expect(settingsText({ id: "h", type: "http", url: "https://a.example", headers: { authorization: "[redacted]" }, body: "[redacted]", expected_status: [200, "2xx"] })).toEqual([
      { key: "url", value: "https://a.example" },
      { key: "headers", value: "authorization (values hidden)" },
      { key: "body", value: "(hidden)" },
      { key: "expected_status", value: "200, 2xx" },
    ]);
  });
});

describe("the server's 400 by field", () => {
  it("takes the issues of one entry of one list, the rest kept as text", () => {
    const msg = 'checks.1.expected_status.0: expected a status (200), a class (2xx) or a range (200-299), not "abc"; checks.1.url: expected an http:// or https:// URL; checks.0.port: too big';
    expect(fieldProblems(msg, "checks", 1)).toEqual({
      fields: { expected_status: 'expected a status (200), a class (2xx) or a range (200-299), not "abc"', url: "expected an http:// or https:// URL" },
      rest: ["checks.0.port: too big"],
    });
    expect(fieldProblems("checks.2: id: another check of this node is already called \"http\"", "checks", 2).fields).toEqual({ id: 'id: another check of this node is already called "http"' });
    expect(fieldProblems("maintenance.0.tz: tz: an IANA time zone such as Europe/Berlin", "maintenance", 0).fields).toEqual({ tz: "tz: an IANA time zone such as Europe/Berlin" });
    expect(fieldProblems("parent: no node x", "checks", 0)).toEqual({ fields: {}, rest: ["parent: no node x"] });
  });

  it("matches what the server really answers for a bad check", () => {
    const parsed = nodePatchSchema.safeParse({ checks: [{ type: "tcp", host: "a", port: 1 }, { type: "http", url: "ftp://x", expected_status: ["abc"] }] });
    expect(parsed.success).toBe(false);
    const { fields } = fieldProblems(describeZodError(parsed.error!), "checks", 1);
    expect(Object.keys(fields).sort()).toEqual(["expected_status", "url"]);
  });
});

describe("window drafts", () => {
  it("one-off windows become instants, recurring ones keep local time, days in week order and the zone", () => {
    expect(windowOf({ kind: "once", start: "2026-12-01T22:00", end: "2026-12-01T23:30", days: [], time: "", duration: "", tz: "", reason: " swap " })).toEqual({
      start: new Date("2026-12-01T22:00").toISOString(),
      end: new Date("2026-12-01T23:30").toISOString(),
      reason: "swap",
    });
    const w = windowOf({ kind: "recurring", start: "", end: "", days: ["sun", "sat"], time: "02:00", duration: "2h", tz: "Europe/Berlin", reason: "" });
    expect(w).toEqual({ days: ["sat", "sun"], start: "02:00", duration: "2h", tz: "Europe/Berlin" });
    expect(nodePatchSchema.safeParse({ maintenance: [w] }).success).toBe(true);
  });
});

describe("each check's interval in the settings form", () => {
  const checks = [
    { id: "tcp", type: "tcp", host: "10.0.0.1", port: 179, interval: "1m" },
    { id: "backup", type: "push", interval: "1d" },
    { id: "icmp", type: "icmp", host: "10.0.0.1" },
  ];
  it("reads each check's interval as written, blank for the default", () => {
    expect(intervalsOf(checks)).toEqual([
      { id: "tcp", type: "tcp", interval: "1m" },
      { id: "backup", type: "push", interval: "1d" },
      { id: "icmp", type: "icmp", interval: "" },
    ]);
  });
  it("sends only the intervals changed, each for its own check (a cleared one back to the default), and the server's schema takes them", () => {
    const read = intervalsOf(checks);
    expect(changedIntervals(read, {})).toBeNull();
    expect(changedIntervals(read, { tcp: " 1m ", icmp: "" })).toBeNull();
    const changed = changedIntervals(read, { tcp: "30s", backup: "", icmp: "5m" });
    expect(changed).toEqual({ tcp: "30s", backup: "1m", icmp: "5m" });
    expect(nodePatchSchema.safeParse({ intervals: changed }).success).toBe(true);
  });
  it("puts the server's word on an interval under its check's field, the rest under the form", () => {
    expect(intervalProblems('intervals.icmp: invalid duration "30": a unit is needed; parent: no node x')).toEqual({ byCheck: { icmp: 'invalid duration "30": a unit is needed' }, rest: ["parent: no node x"] });
  });
});

describe("flap thresholds in the check form", () => {
  it("are fields of every check's form (not settings kept aside), sent as numbers the server takes, its refusal under the field", () => {
    const d = draftOf({ id: "bgp", type: "tcp", host: "10.0.0.1", port: 179, flap_high_percent: 70, flap_low_percent: 40 });
    expect(d.values).toMatchObject({ flap_high_percent: "70", flap_low_percent: "40" });
    expect(d.extra).toEqual({});
    d.values.flap_low_percent = "80";
    const bad = nodePatchSchema.safeParse({ checks: [checkOf(d)] });
    expect(fieldProblems(describeZodError(bad.error!), "checks", 0).fields).toEqual({ flap_low_percent: expect.stringMatching(/^flap_low_percent \(80\) must be under flap_high_percent \(70\)/) });
  });
});
