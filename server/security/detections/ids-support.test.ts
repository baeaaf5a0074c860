import { describe, expect, it } from "vitest";
import { clip, fmtAmount, fmtDuration, fmtInt, mitreFor, quote } from "./ids-format";
import { BoundedLru, earliestIds, pushEvidence, TopCounter } from "./ids-support";

describe("BoundedLru", () => {
  it("forgets the least recently used key beyond maxKeys, and a get counts as use", () => {
    const lru = new BoundedLru<number>({ maxKeys: 2, maxWeight: 100 });
    lru.set("a", 1);
    lru.set("b", 2);
    lru.get("a");
    lru.set("c", 3);
    expect([...lru.keys()]).toEqual(["a", "c"]);
    expect(lru.evictions).toBe(1);
  });

  it("forgets keys until the total weight is within maxWeight, never the key just written", () => {
    const lru = new BoundedLru<string>({ maxKeys: 10, maxWeight: 10 });
    lru.set("a", "x", 4);
    lru.set("b", "x", 4);
    lru.set("c", "x", 1);
    lru.reweigh("c", 9);
    expect([...lru.keys()]).toEqual(["c"]);
    expect(lru.weight).toBe(9);
  });

  it("stays within its caps over 200,000 distinct keys", () => {
    const lru = new BoundedLru<number>({ maxKeys: 5_000, maxWeight: 8_000 });
    for (let i = 0; i < 200_000; i++) lru.set(`k${i}`, i, 2);
    expect(lru.size).toBe(4_000);
    expect(lru.weight).toBe(8_000);
    expect(lru.peek("k199999")).toBe(199_999);
  });
});

describe("TopCounter", () => {
  it("ranks by count, ties by value, whatever the order members came in", () => {
    const a = new TopCounter();
    const b = new TopCounter();
    const adds: [string, number][] = [["x", 2], ["y", 5], ["z", 2], ["x", 1]];
    for (const [m, n] of adds) a.add(m, n);
    for (const [m, n] of [...adds].reverse()) b.add(m, n);
    expect(a.top(3)).toEqual([{ value: "y", count: 5 }, { value: "x", count: 3 }, { value: "z", count: 2 }]);
    expect(b.top(3)).toEqual(a.top(3));
    expect(a.distinct).toBe(3);
  });

  it("answers a few of many exactly as ranking them all would, ties included", () => {
    const c = new TopCounter(5_000);
    let seed = 7;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3_000; i++) {
      const value = `203.0.113.${next() % 400}`;
      const n = 1 + (next() % 3);
      c.add(value, n);
      counts.set(value, (counts.get(value) ?? 0) + n);
    }
    const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([value, count]) => ({ value, count }));
    for (const n of [1, 3, 10, 50, 99, 100, 101, 400, 1_000]) expect(c.top(n)).toEqual(ranked.slice(0, n));
  });

  it("holds at most its cap, keeps the heavy hitters and says when distinct became approximate", () => {
    const c = new TopCounter(100);
    c.add("heavy", 1_000);
    for (let i = 0; i < 200_000; i++) c.add(`m${i}`, 1);
    expect(c.size).toBeLessThanOrEqual(100);
    expect(c.top(1)).toEqual([{ value: "heavy", count: 1_000 }]);
    expect(c.distinct).toBe(200_001);
    expect(c.distinctApproximate).toBe(true);
  });
});

describe("evidence", () => {
  it("keeps the earliest pieces by time, then id", () => {
    expect(earliestIds([[5, 1, 1, 9], [1, 3, 7, 2]], 3)).toEqual([3, 9, 1]);
  });

  it("holds a bounded list however much evidence comes, keeping the earliest", () => {
    const list: number[] = [];
    for (let i = 10_000; i > 0; i--) pushEvidence(list, i, i);
    expect(list.length).toBeLessThanOrEqual(800);
    expect(earliestIds([list], 3)).toEqual([1, 2, 3]);
  });
});

describe("words and figures", () => {
  it("formats counts, amounts and spans the same on every machine", () => {
    expect(fmtInt(1204)).toBe("1,204");
    expect(fmtInt(1_000_000)).toBe("1,000,000");
    expect(fmtAmount(5400)).toBe("5,400.00");
    expect(fmtAmount(0.5)).toBe("0.50");
    expect([41_000, 60_000, 120_000, 600_000, 3_600_000, 5_400_000, 86_400_000, 58 * 3_600_000, 4 * 86_400_000].map(fmtDuration)).toEqual([
      "41 s",
      "60 s",
      "2 min",
      "10 min",
      "1 h",
      "1.5 h",
      "24 h",
      "58 h",
      "4 d",
    ]);
  });

  it("quotes log-borne text inert: controls and bidi overrides replaced, long text cut", () => {
    expect(quote("ET SCAN\u001b[31m\u202e")).toBe("'ET SCAN\uFFFD[31m\uFFFD'");
    expect(quote("x".repeat(300), 10)).toBe(`'${"x".repeat(9)}…'`);
    expect(clip("<b>a</b>")).toBe("<b>a</b>");
  });

  it("maps signatures to MITRE techniques by a small keyword map, and null when nothing fits", () => {
    const cases: [string, string | null, string | null][] = [
      ["ET EXPLOIT Apache log4j RCE Attempt (CVE-2021-44228)", "Attempted Administrator Privilege Gain", "T1190"],
      ["ET SCAN LibSSH Based Frequent SSH Connections Likely BruteForce Attack", null, "T1110"],
      ["ET SCAN Nmap Scripting Engine User-Agent Detected", null, "T1046"],
      ["ET MALWARE Win32/Emotet CnC Activity", null, "T1071"],
      ["MALWARE-CNC outbound connection", null, "T1071"],
      ["Some local rule", "A Network Trojan was detected", "T1071"],
      ["ET POLICY Cryptocurrency Miner Checkin", null, "T1496"],
      ["GPL ICMP PING", "Misc activity", null],
      ["PROTOCOL-ICMP PING Unix", null, null],
    ];
    for (const [signature, category, technique] of cases) expect(mitreFor(signature, category), signature).toBe(technique);
  });
});
