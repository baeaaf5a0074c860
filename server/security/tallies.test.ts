import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { prepareTallies, type TallyInput } from "./tallies";

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 21, 12, 0, 0);

const input = (over: Partial<TallyInput> = {}): TallyInput => ({
  time: T,
  severity: "low",
  src_ip: "203.0.113.5",
  src_host: null,
  signature: "ET SCAN x",
  user: null,
  service: "suricata",
  kind: "ids_alert",
  occurrences: 1,
  ...over,
});

function setup() {
  const handle = openDatabase(":memory:");
  const tally = prepareTallies(handle.sqlite);
  const rows = () =>
    handle.sqlite.prepare("SELECT dim, span, bucket, value, count, worst FROM event_tallies WHERE dim IN ('src', 'sig', 'user') ORDER BY dim, span, bucket, value").all() as {
      dim: string; span: number; bucket: number; value: string; count: number; worst: number;
    }[];
  const all = () =>
    handle.sqlite.prepare("SELECT dim, span, bucket, value, count, worst, rows, first, last FROM event_tallies ORDER BY dim, span, bucket, value").all() as {
      dim: string; span: number; bucket: number; value: string; count: number; worst: number; rows: number; first: number; last: number;
    }[];
  return { tally, rows, all };
}

describe("tallies", () => {
  it("counts each source, signature and account per minute and per hour, by occurrences, with the worst severity", () => {
    const { tally, rows } = setup();
    tally([
      input({ occurrences: 3 }),
      input({ time: T + 61_000, severity: "critical" }),
      input({ src_ip: null, src_host: "host.example", user: "root", signature: null }),
    ]);
    expect(rows()).toEqual([
      { dim: "sig", span: 60_000, bucket: T, value: "ET SCAN x", count: 3, worst: 3 },
      { dim: "sig", span: 60_000, bucket: T + 60_000, value: "ET SCAN x", count: 1, worst: 0 },
      { dim: "sig", span: HOUR, bucket: T, value: "ET SCAN x", count: 4, worst: 0 },
      { dim: "src", span: 60_000, bucket: T, value: "203.0.113.5", count: 3, worst: 3 },
      { dim: "src", span: 60_000, bucket: T, value: "host.example", count: 1, worst: 3 },
      { dim: "src", span: 60_000, bucket: T + 60_000, value: "203.0.113.5", count: 1, worst: 0 },
      { dim: "src", span: HOUR, bucket: T, value: "203.0.113.5", count: 4, worst: 0 },
      { dim: "src", span: HOUR, bucket: T, value: "host.example", count: 1, worst: 3 },
      { dim: "user", span: 60_000, bucket: T, value: "root", count: 1, worst: 3 },
      { dim: "user", span: HOUR, bucket: T, value: "root", count: 1, worst: 3 },
    ]);
  });

  it("keeps stored rows, first and last time per key, tallies service and kind, and counts events without a value under 'none'", () => {
    const { tally, all } = setup();
    tally([
      input({ time: T + 5_000, occurrences: 4 }),
      input({ time: T + 1_000, service: null, signature: null }),
      input({ time: T + 61_000, kind: "auth_failure", service: "sshd", user: "root", severity: "medium" }),
    ]);
    const hour = all().filter((r) => r.span === HOUR);
    const at = (dim: string, value: string) => hour.find((r) => r.dim === dim && r.value === value);
    expect(at("src", "203.0.113.5")).toMatchObject({ count: 6, rows: 3, first: T + 1_000, last: T + 61_000, worst: 2 });
    expect(at("svc", "suricata")).toMatchObject({ count: 4, rows: 1, first: T + 5_000, last: T + 5_000 });
    expect(at("svc", "sshd")).toMatchObject({ count: 1, rows: 1 });
    expect(at("kind", "ids_alert")).toMatchObject({ count: 5, rows: 2, first: T + 1_000, last: T + 5_000 });
    expect(at("kind", "auth_failure")).toMatchObject({ count: 1, rows: 1, worst: 2 });
    // the "no value" counts: 2 events without an account, 1 without a signature, 1 without a service
    expect(at("none", "user")).toMatchObject({ count: 5, rows: 2 });
    expect(at("none", "sig")).toMatchObject({ count: 1, rows: 1, first: T + 1_000 });
    expect(at("none", "svc")).toMatchObject({ count: 1, rows: 1 });
    expect(at("none", "src")).toBeUndefined();
    // a later batch widens first and last and adds rows
    tally([input({ time: T - 1 + HOUR, occurrences: 2 })]);
    expect(all().find((r) => r.span === HOUR && r.dim === "src")).toMatchObject({ count: 8, rows: 4, first: T + 1_000, last: T - 1 + HOUR });
  });

  it("adds a later batch to the counts already stored, over more keys than one statement holds", () => {
    const { tally, rows } = setup();
    const many = Array.from({ length: 130 }, (_, i) => input({ src_ip: `198.51.100.${i}`, signature: null }));
    tally(many);
    tally([...many, input({ src_ip: "198.51.100.7", signature: null, severity: "high" })]);
    const minute = rows().filter((r) => r.span === 60_000);
    expect(minute).toHaveLength(130);
    expect(minute.find((r) => r.value === "198.51.100.7")).toMatchObject({ count: 3, worst: 1 });
    expect(minute.filter((r) => r.value !== "198.51.100.7").every((r) => r.count === 2 && r.worst === 3)).toBe(true);
  });
});
