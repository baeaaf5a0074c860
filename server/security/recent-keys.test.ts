import { describe, expect, it } from "vitest";
import { RecentKeys } from "./recent-keys";

describe("RecentKeys", () => {
  it("remembers a key for at least one generation of later adds, then forgets it: never more than two generations held", () => {
    const keys = new RecentKeys(3);
    keys.add("a");
    for (const k of ["b", "c", "d"]) keys.add(k);
    expect(keys.has("a")).toBe(true); // 3 adds after it: still held
    for (const k of ["e", "f", "g"]) keys.add(k);
    expect(keys.has("a")).toBe(false);
    expect(["d", "e", "f", "g"].every((k) => keys.has(k))).toBe(true);
    for (let i = 0; i < 100; i++) keys.add(`k${i}`);
    expect(keys.size).toBeLessThanOrEqual(6);
  });

  it("does not count a key added twice twice", () => {
    const keys = new RecentKeys(2);
    keys.add("a");
    keys.add("a");
    keys.add("b");
    expect(keys.size).toBe(2);
    keys.add("c");
    expect(keys.has("a")).toBe(true);
  });
});
