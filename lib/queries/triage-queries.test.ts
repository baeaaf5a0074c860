import { describe, expect, it } from "vitest";
import { apiParams, readFilter } from "./triage-queries";

const anchor = Date.parse("2026-11-21T12:00:00Z");

describe("triage filter ↔ API parameters", () => {
  it("reads only the filter keys from the page URL, dropping empty values", () => {
    const f = readFilter(new URLSearchParams("src=203.0.113.5&q=&view=src&event=12&severity=high,critical&other=1"));
    expect(f).toEqual({ src: "203.0.113.5", severity: "high,critical" });
  });

  it("turns the default range into since = anchor − 24 h and reads the list as of the anchor", () => {
    const p = apiParams({}, anchor);
    expect(Number(p.get("since"))).toBe(anchor - 86_400_000);
    expect(Number(p.get("until"))).toBe(anchor + 1);
    expect(p.has("range")).toBe(false);
  });

  it("sends no since for 'all stored', and an explicit since/until wins over the range", () => {
    expect(apiParams({ range: "all" }, anchor).has("since")).toBe(false);
    const p = apiParams({ range: "15m", since: "1000", until: "2000" }, anchor);
    expect(p.get("since")).toBe("1000");
    expect(p.get("until")).toBe("2000");
  });

  it("passes attacker-shaped text through as one parameter value, never as extra parameters", () => {
    const p = apiParams({ q: "x&severity=critical", signature: "a=b&c" }, anchor);
    expect(p.get("q")).toBe("x&severity=critical");
    expect(p.get("signature")).toBe("a=b&c");
    expect(p.has("severity")).toBe(false);
  });
});
