import { describe, expect, it } from "vitest";
import { displayName, formatDuration, MAX_NAME, tally } from "./report";
import type { WindowEntry } from "./window";

const e = (account: string | null, weight = 1): WindowEntry => ({ time: 0, id: 0, weight, account, source: null, service: "sshd", flags: 0 });

describe("formatDuration", () => {
  it("says seconds under three minutes, minutes under two hours, whole hours as hours", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(70_000)).toBe("70 s");
    expect(formatDuration(120_000)).toBe("120 s");
    expect(formatDuration(180_000)).toBe("3 min");
    expect(formatDuration(600_000)).toBe("10 min");
    expect(formatDuration(3_600_000)).toBe("1 h");
    expect(formatDuration(5_400_000)).toBe("90 min");
    expect(formatDuration(9_000_000)).toBe("2 h 30 min");
  });
});

describe("tally", () => {
  it("counts members by weight, most first and ties by name, leaving out what counts nothing", () => {
    expect(tally([e("b"), e("a"), e("b"), e("c", 3), e(null), e("z", 0)], (x) => x.account)).toEqual({
      distinct: 3,
      top: [
        { value: "c", count: 3 },
        { value: "b", count: 2 },
        { value: "a", count: 1 },
      ],
    });
  });

  it("lists at most ten members and cuts attacker-chosen names short", () => {
    const long = "x".repeat(5_000);
    const t = tally([...Array.from({ length: 30 }, (_, i) => e(`u${i}`)), e(long, 5)], (x) => x.account);
    expect(t.distinct).toBe(31);
    expect(t.top).toHaveLength(10);
    expect(t.top[0].value).toHaveLength(MAX_NAME);
    expect(displayName(long).endsWith("…")).toBe(true);
  });
});
