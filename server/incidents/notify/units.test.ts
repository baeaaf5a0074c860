import { describe, expect, it } from "vitest";
import { endpointInputSchema, escalationInputSchema, webhookUrlSchema } from "../../../lib/contracts/notify";
import type { Incident } from "../../../lib/contracts/incidents";
import { renderBody, slackEscape, slackMessage } from "./bodies";
import { retryDelay, RETRY_SCHEDULE_MS } from "./delivery";
import { levelOffsets, nextDue } from "./escalation";
import { signatureHeaders, verifySignature } from "./signature";
import { transitionOf } from "./transitions";

const incident: Incident = {
  id: 42, rule: "node_down", entity: "gw", pane: "network", title: "Gateway is down", severity: "high", status: "open",
  first_seen: 1, last_seen: 2, count: 3, version: 1, acknowledged_by: null, acknowledged_at: null, resolved_by: null, resolved_at: null,
  explanation: null, mitre: null, details: null, assignee: null, snoozed_until: null, resolution: null, previous_id: null,
};

describe("endpoint URLs", () => {
  it.each(["file:///etc/passwd", "javascript:alert(1)", "data:text/plain,hi", "ftp://example.test/x", "gopher://example.test", "http://user:pw@example.test/hook", "http://", "not a url", "//example.test/hook"])("refuses %s", (url) => {
    expect(webhookUrlSchema.safeParse(url).success).toBe(false);
    expect(endpointInputSchema.safeParse({ name: "x", url }).success).toBe(false);
  });

  it("accepts http and https, dropping a fragment", () => {
    expect(webhookUrlSchema.parse("https://hooks.slack.com/services/T0/B0/x")).toBe("https://hooks.slack.com/services/T0/B0/x");
    expect(webhookUrlSchema.parse(" http://127.0.0.1:8080/hook?a=1#frag ")).toBe("http://127.0.0.1:8080/hook?a=1");
  });

  it("defaults: JSON, every event, every severity, enabled; events kept in a fixed order without repeats", () => {
    expect(endpointInputSchema.parse({ name: "ops", url: "https://x.test/" })).toEqual({ name: "ops", url: "https://x.test/", format: "json", events: ["open", "acknowledge", "resolve", "reopen", "escalate"], min_severity: "info", enabled: true });
    expect(endpointInputSchema.parse({ name: "ops", url: "https://x.test/", events: ["resolve", "open", "open"] }).events).toEqual(["open", "resolve"]);
    expect(endpointInputSchema.safeParse({ name: "ops", url: "https://x.test/", events: ["test"] }).success).toBe(false);
    expect(endpointInputSchema.safeParse({ name: "ops", url: "https://x.test/", secret: "short" }).success).toBe(false);
  });
});

describe("Slack escaping", () => {
  it("turns &, < and > into entities so no mention, link or channel can form", () => {
    expect(slackEscape("<!channel> <http://evil|click> <@U024BE7LH> <#C024BE7LR> a & b")).toBe("&lt;!channel&gt; &lt;http://evil|click&gt; &lt;@U024BE7LH&gt; &lt;#C024BE7LR&gt; a &amp; b");
    // already-escaped text is escaped again: "&lt;" stays visible as typed, never becomes "<"
    expect(slackEscape("&lt;!here&gt;")).toBe("&amp;lt;!here&amp;gt;");
  });

  it("cuts long text before escaping, so an entity is never cut in half", () => {
    const out = slackEscape("<".repeat(500), 10);
    expect(out).toBe("&lt;".repeat(9) + "…");
  });

  it("escapes every outside field of the message: title, entity, rule, assignee, who acknowledged, explanation", () => {
    const evil = "<!everyone>";
    const message = slackMessage(
      { event: "acknowledge", incident: { ...incident, title: evil, entity: evil, assignee: evil, acknowledged_by: evil, explanation: evil, status: "acknowledged" }, level: null, endpointName: "x" },
      "https://vigil.example/incidents/42",
    );
    expect(JSON.stringify(message)).not.toContain("<!everyone>");
    expect(message.text).toBe("[HIGH] Incident #42 acknowledged by &lt;!everyone&gt;: &lt;!everyone&gt;");
  });
});

describe("bodies", () => {
  it("the JSON body is {event, incident, url, sent_at} plus the level when a policy paged", () => {
    const body = JSON.parse(renderBody("json", { event: "escalate", incident, level: 2, endpointName: "x" }, "https://vigil.example/", Date.UTC(2026, 10, 21, 12)));
    expect(body).toEqual({ event: "escalate", incident, url: "https://vigil.example/incidents/42", sent_at: "2026-11-21T12:00:00.000Z", level: 2 });
    expect(Object.keys(JSON.parse(renderBody("json", { event: "open", incident, level: null, endpointName: "x" }, "https://vigil.example", 0)))).toEqual(["event", "incident", "url", "sent_at"]);
  });
});

describe("signature", () => {
  it("is HMAC-SHA256 over `<timestamp>.<body>` and verifies only with the same secret, body and a fresh timestamp", () => {
    const now = Date.UTC(2026, 10, 21, 12);
    const body = '{"event":"open"}';
    const h = signatureHeaders("s".repeat(32), body, now);
    expect(h["x-vigil-timestamp"]).toBe(String(now / 1000));
    expect(verifySignature("s".repeat(32), body, h["x-vigil-timestamp"], h["x-vigil-signature"], now + 299_000)).toBe(true);
    expect(verifySignature("s".repeat(32), body, h["x-vigil-timestamp"], h["x-vigil-signature"], now + 301_000)).toBe(false);
    expect(verifySignature("s".repeat(32), body + " ", h["x-vigil-timestamp"], h["x-vigil-signature"], now)).toBe(false);
    expect(verifySignature("s".repeat(32), body, h["x-vigil-timestamp"], "sha256=00", now)).toBe(false);
    expect(verifySignature("s".repeat(32), body, undefined, h["x-vigil-signature"], now)).toBe(false);
  });
});

describe("transitions", () => {
  it.each([
    [null, "open", 1, "open"],
    [null, "acknowledged", 2, null],
    [null, "resolved", 2, null],
    [{ status: "open", version: 1 }, "acknowledged", 2, "acknowledge"],
    [{ status: "open", version: 1 }, "resolved", 2, "resolve"],
    [{ status: "acknowledged", version: 2 }, "resolved", 3, "resolve"],
    [{ status: "resolved", version: 3 }, "open", 4, "reopen"],
    // a snooze that ends, an acknowledgement that times out
    [{ status: "acknowledged", version: 2 }, "open", 3, "reopen"],
  ] as const)("seen %o, now %s (v%d): %s", (seen, status, version, event) => {
    expect(transitionOf(seen, { status, version })).toEqual({ kind: "changed", event });
  });

  it("the same status is nothing to send; an older version than seen is stale", () => {
    expect(transitionOf({ status: "open", version: 1 }, { status: "open", version: 1 })).toEqual({ kind: "same" });
    expect(transitionOf({ status: "acknowledged", version: 2 }, { status: "acknowledged", version: 3 })).toEqual({ kind: "same" });
    expect(transitionOf({ status: "acknowledged", version: 2 }, { status: "open", version: 1 })).toEqual({ kind: "stale" });
  });
});

describe("retry schedule", () => {
  it("waits 10 s, 30 s, 2 min, 10 min, 1 h, stretched by up to 20 % at random, then gives up", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, RETRY_SCHEDULE_MS, 0.2, () => 0))).toEqual([10_000, 30_000, 120_000, 600_000, 3_600_000]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, RETRY_SCHEDULE_MS, 0.2, () => 1))).toEqual([12_000, 36_000, 144_000, 720_000, 4_320_000]);
    expect(retryDelay(6)).toBeNull();
  });
});

describe("escalation plan", () => {
  const parse = (levels: unknown) => escalationInputSchema.parse({ policies: { high: { levels } } }).policies.high!.levels.map((l) => ({ after: l.after?.text ?? null, after_ms: l.after?.ms ?? null, endpoints: l.endpoints }));

  it("pages level 1 at 0 and each next level after the previous one's `after`", () => {
    const levels = parse([{ after: "15m", endpoints: [1] }, { after: "1h", endpoints: [2] }, { endpoints: [3] }]);
    expect(levelOffsets(levels)).toEqual([0, 15 * 60_000, 75 * 60_000]);
    expect(nextDue(levels, 1000, 1)).toBe(1000 + 15 * 60_000);
    expect(nextDue(levels, 1000, 2)).toBe(1000 + 75 * 60_000);
    expect(nextDue(levels, 1000, 3)).toBeNull();
  });

  it("refuses a level without `after` that is not the last, durations under a minute or without a unit, and empty levels", () => {
    for (const levels of [[{ endpoints: [1] }, { endpoints: [2] }], [{ after: "30s", endpoints: [1] }, { endpoints: [2] }], [{ after: "15", endpoints: [1] }, { endpoints: [2] }], [{ after: "15m", endpoints: [] }]]) {
      expect(escalationInputSchema.safeParse({ policies: { high: { levels } } }).success).toBe(false);
    }
    expect(escalationInputSchema.safeParse({ policies: { urgent: { levels: [{ endpoints: [1] }] } } }).success).toBe(false);
  });
});
