import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskCardNumbers } from "../masking";
import type { ParseContext, ParseOutcome, ParsedEvent } from "../types";
import { parseEveLine } from "./eve";
import { parseFastLine } from "./fast";
import { parseSyslogLine } from "./syslog";
import { parseTransactionLine } from "./transactions";

// What every parser owes the ingest whatever the input: an outcome (never a throw), a rejection
// with a reason, and for an event, plain data within the stored limits with no card in clear.

const ctx: ParseContext = { now: Date.UTC(2026, 11, 1) };
const parsers: [string, (line: string, ctx: ParseContext) => ParseOutcome][] = [
  ["eve", parseEveLine],
  ["fast", parseFastLine],
  ["syslog", parseSyslogLine],
  ["transactions", parseTransactionLine],
];

/** The invariants of an event that leaves a parser. */
function checkEvent(e: ParsedEvent): void {
  expect(Number.isFinite(e.time)).toBe(true);
  expect(Number.isInteger(e.occurrences) && e.occurrences >= 1).toBe(true);
  expect(e.fingerprint).toMatch(/^(suricata|fast|syslog|transactions):/);
  expect(Buffer.byteLength(e.raw)).toBeLessThanOrEqual(8192);
  const texts = [e.user, e.signature, e.message, e.raw, e.src_host, ...Object.values(e.attributes ?? {})].filter((v): v is string => typeof v === "string");
  for (const t of texts) expect(maskCardNumbers(t), "a card number left in clear").toBe(t);
}

function checkOutcome(o: ParseOutcome): void {
  expect(["event", "skipped", "rejected"]).toContain(o.status);
  if (o.status === "event") checkEvent(o.event);
  else expect(o.reason.length).toBeGreaterThan(0);
}

describe.each(parsers)("%s parser on a malformed corpus", (_name, parse) => {
  it("rejects a 1 MB line without parsing it, giving its size", () => {
    expect(parse("a".repeat(1_048_576), ctx)).toEqual({ status: "rejected", reason: "line is 1,048,576 bytes; at most 65,536" });
  });

  it("counts the limit in UTF-8 bytes, not characters", () => {
    expect(parse("€".repeat(30_000), ctx)).toEqual({ status: "rejected", reason: "line is 90,000 bytes; at most 65,536" });
  });

  it("does not reject a line of exactly 64 KiB for its size", () => {
    const o = parse("x".repeat(65_536), ctx);
    expect(o.status === "rejected" && o.reason.startsWith("line is")).toBe(false);
  });

  it("rejects binary garbage with a reason", () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 73 + 11) % 256);
    const text = new TextDecoder("utf-8").decode(bytes); // invalid sequences become U+FFFD
    const o = parse(text, ctx);
    expect(o.status).toBe("rejected");
    checkOutcome(o);
  });

  it("skips an empty line and a line of only a carriage return", () => {
    expect(parse("", ctx)).toEqual({ status: "skipped", reason: "empty line" });
    expect(parse("\r", ctx)).toEqual({ status: "skipped", reason: "empty line" });
  });

  it("never throws on arbitrary text, and what it returns keeps the invariants", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: "binary" }), (line) => {
        checkOutcome(parse(line, ctx));
      }),
      { numRuns: 300, seed: 9 },
    );
  });
});

describe("valid lines carrying arbitrary text", () => {
  // text an attacker controls, mixed with card numbers in the forms masking must catch
  const piece = fc.oneof(
    fc.string({ maxLength: 80, unit: "binary" }),
    fc.constantFrom("4111111111111111", "4111 1111 1111 1111", "5555-5555-5555-4444", "x378282246310005y", "<script>", "\u0000", "#012"),
  );
  const text = fc.array(piece, { maxLength: 4 }).map((parts) => parts.join(" "));
  const templates: [string, (t: string) => string, (line: string, ctx: ParseContext) => ParseOutcome][] = [
    ["eve", (t) => JSON.stringify({ timestamp: "2026-01-01T00:00:00Z", event_type: "alert", src_ip: "10.0.0.1", alert: { signature: t || "x", category: t }, payload_printable: t }), parseEveLine],
    ["fast", (t) => `01/01-00:00:00.0 [**] [1:1:1] "${t.replace(/\[\*\*\]/g, "")}" [**] [Classification: ${t.replace(/[[\]]/g, "")}] {TCP} 10.0.0.1:1 -> 10.0.0.2:2`, parseFastLine],
    // Snort 3's alert_json writes the message raw (quotes, backslashes and all)
    ["snort3 json", (t) => `{ "timestamp" : "11/30-10:00:00.000001", "rule" : "1:1:1", "msg" : "${t}", "class" : ${JSON.stringify(t)}, "b64_data" : "${Buffer.from(t).toString("base64")}", "src_ap" : "10.0.0.1:1" }`, parseFastLine],
    ["snort3 csv", (t) => `11/30-10:00:00.000001, 1, TCP, raw, 1, C2S, 10.0.0.1:1, 10.0.0.2:2, 1:1:1, ${t}`, parseFastLine],
    ["syslog", (t) => `Mar 11 22:55:32 h sshd[1]: Failed password for invalid user ${t} from 203.0.113.5 port 22 ssh2`, parseSyslogLine],
    ["syslog snort", (t) => `Mar 11 22:55:32 h snort[1]: [1:1:1] ${t} [Classification: ${t.replace(/[[\]]/g, "")}] [Priority: 2] {TCP} 10.0.0.1:1 -> 10.0.0.2:2`, parseSyslogLine],
    ["syslog eve", (t) => `Mar 11 22:55:32 ${t.replace(/\s/g, "_") || "h"} suricata: ${JSON.stringify({ timestamp: "2026-01-01T00:00:00Z", event_type: "alert", src_ip: "10.0.0.1", alert: { signature: t || "x", category: t } })}`, parseSyslogLine],
    ["transactions", (t) => JSON.stringify({ time: "2026-01-01T00:00:00Z", amount: 1, account: t.slice(0, 200), merchant: t.slice(0, 200), card: t.slice(0, 60) }), parseTransactionLine],
  ];

  it.each(templates)("%s: never throws and never lets a card number through", (_name, make, parse) => {
    fc.assert(
      fc.property(text, (t) => {
        checkOutcome(parse(make(t).replace(/[\r\n]/g, " "), ctx));
      }),
      { numRuns: 300, seed: 12 },
    );
  });
});

describe("EVE lines that are JSON but wrong", () => {
  it.each([
    ['{"timestamp":"2026-01-01T00:00:00Z","event_type":"alert","alert":{"sig', /^not JSON: /],
    ['{"timestamp":"2026-01-01T00:00:00Z","event_type":5}', /^event_type: not a record type/],
    ['{"timestamp":{},"event_type":"alert"}', /^timestamp: not a time: /],
    ['{"timestamp":-5,"event_type":"alert"}', /^timestamp: not a time: /],
    ['{"timestamp":"2026-01-01T00:00:00Z","event_type":"alert","alert":[]}', /^alert: missing or not an object$/],
    ['{"timestamp":"2026-01-01T00:00:00Z","event_type":"alert","src_ip":["1.2.3.4"],"alert":{"signature":"x"}}', /^src_ip: not an IP address/],
    ["null", /^not a JSON object: null$/],
    ['"text"', /^not a JSON object: string$/],
  ])("rejects %s", (line, why) => {
    const o = parseEveLine(line, ctx);
    expect(o.status === "rejected" ? o.reason : o.status).toMatch(why);
  });

  it("rejects an alert nested too deep to mask rather than store it unmasked", () => {
    let deep = '"4111111111111111"';
    for (let i = 0; i < 80; i++) deep = `{"a":${deep}}`;
    const line = `{"timestamp":"2026-01-01T00:00:00Z","event_type":"alert","alert":{"signature":"x"},"extra":${deep}}`;
    expect(parseEveLine(line, ctx)).toEqual({ status: "rejected", reason: "unparseable: nested deeper than 64 levels" });
  });

  it("rejects thousands of nested brackets without a crash", () => {
    const line = `${"[".repeat(30_000)}${"]".repeat(30_000)}`;
    expect(parseEveLine(line, ctx).status).toBe("rejected");
  });
});

describe("fast.log lines built to be slow", () => {
  it("reads 60 KB lines built against the header, bracket, protocol, address and CSV patterns in well under a second each", () => {
    const head = "01/01-00:00:00.0 [**] [1:1:1] ";
    const lines = [
      `${head}${" ".repeat(60_000)}x`,
      `${head}x${" ".repeat(60_000)}[*`,
      `${head}x [**] ${"[a: b] ".repeat(8_000)}`,
      `${head}x [**] ${"[".repeat(60_000)}`,
      `${head}x [**] {TCP} ${"a -> ".repeat(12_000)}`,
      `${head}x [**] {TCP} a${" ".repeat(60_000)}-> b`,
      `01/01-00:00:00.0 ${"[drop] ".repeat(8_000)}[**] [1:1:1] x [**]`,
      `${head} ${"<".repeat(60_000)}> x [**]`,
      `01/01-00:00:00.0 ,${",".repeat(60_000)}`,
      `01/01-00:00:00.0 ,${'"'.repeat(60_000)}`,
      `01/01-00:00:00.0 ,1,1,1,"${'""'.repeat(30_000)}`,
      `01/01-00:00:00.0 ,1,1,1,${'"a",'.repeat(15_000)}`,
      `Oct 11 15:08:06 ${"a ".repeat(30_000)}`,
      `<190>Jul 23 18:12:00 snort: ${"[x] ".repeat(15_000)}`,
      `<190>1 ${"snort ".repeat(10_000)}`,
    ];
    for (const line of lines) {
      const t = performance.now();
      parseFastLine(line, ctx);
      expect(performance.now() - t).toBeLessThan(500);
    }
  });
});

describe("Snort 3 alert_json and alert_csv lines built to be slow", () => {
  it("reads 60 KB lines built against the record, message-mending, label, CSV and custom-list patterns in well under a second each", () => {
    const stamp = "11/30-10:00:00.123456";
    const fast = [
      `{${" ".repeat(60_000)}x`,
      `{${" ".repeat(60_000)},x`,
      `{ "msg" : "${'"'.repeat(60_000)}`,
      `{ "msg" : "${" ".repeat(60_000)}`,
      `{ "msg" : ${'", "class" : '.repeat(4_500)}}`,
      `{ "msg" : x${'"msg"'.repeat(10_000)}: }`,
      `{, ${'"msg" : '.repeat(6_000)}`,
      `{ "rule" : "1:1:1", "timestamp" : "${stamp}", "msg" : "${'\\"'.repeat(20_000)}" }`,
      `{ "rule" : "1:1:1", "timestamp" : "${stamp}", "b64_data" : "${"NDExMTExMTExMTExMTExMQ==".slice(0, 20).repeat(3_000)}" }`,
      `{ "rule" : "1:1:1", "timestamp" : "${stamp}", "src_ap" : "${"1:".repeat(30_000)}1" }`,
      `${stamp},${",".repeat(60_000)}`,
      `${stamp}, ${"1:1:1, ".repeat(8_000)}`,
      `${stamp}, 1, TCP, raw, 1, C2S, ${"1:".repeat(30_000)}1, 192.0.2.1:1, 1:1:1, allow`,
      `${stamp}, 1, TCP, raw, 1, C2S, ${"f".repeat(60_000)}:1, 192.0.2.1:1, 1:1:1, allow`,
      `${"1111111111:".repeat(5_000)}`,
      `${", 1:1:1x".repeat(7_000)}`,
      `${", 1111111111:1111111111:1111111111".repeat(1_700)}x`,
    ];
    for (const line of fast) {
      const t = performance.now();
      parseFastLine(line, ctx);
      expect(performance.now() - t).toBeLessThan(500);
    }
    for (const line of [`{${" ".repeat(60_000)}x`, `{${" ".repeat(30_000)},${" ".repeat(30_000)}x`, `{ "a" : ${"[".repeat(30_000)}`]) {
      const t = performance.now();
      parseEveLine(line, ctx);
      expect(performance.now() - t).toBeLessThan(500);
    }
  });
});

describe("syslog lines built to be slow", () => {
  it("reads 60 KB lines built against the origin-id, disconnect, PAM and IDS-alert patterns in well under a second each", () => {
    const lines = [
      `<189>123: ${"a ".repeat(30_000)}`,
      `<189>${"a:a ".repeat(15_000)}: Nov 30 10:00:00 UTC: %SEC_LOGIN-4-LOGIN_FAILED: x`,
      `<189>Nov 30 10:00:00 h ${"a a ".repeat(15_000)}`,
      `<189>: ${"a:a ".repeat(15_000)}: Nov 30 2026 10:00:00 UTC: %SEC_LOGIN-4-LOGIN_FAILED: x`,
      `<189>1: ${"a 1: ".repeat(12_000)}Nov 30 2026 10:00:00 UTC: %X`,
      `<189>Nov 30 10:00:00 h sw01: ${"1: ".repeat(20_000)}Nov 30 2026 10:00:00 UTC: %SEC_LOGIN-4-LOGIN_`,
      `Mar 11 22:55:32 h sshd[1]: Received disconnect from ${"1: ".repeat(20_000)}`,
      `Mar 11 22:55:32 h sshd[1]: Failed password for root from 1.2.3.4 port 1 ssh2${" from 6.6.6.6 port 1 ssh2:".repeat(2_000)}`,
      `Mar 11 22:55:32 h sshd[1]: error: PAM: Authentication failure for ${"x from y ".repeat(6_000)}via`,
      `Mar 11 22:55:32 h vsftpd: (pam_unix) authentication failure;${" rhost=x".repeat(7_000)}`,
      `Mar 11 22:55:32 h snort[1]: [1:1:1] ${"[Priority: 1]".repeat(4_000)}`,
      `Mar 11 22:55:32 h snort[1]: [1:1:1] x${" ".repeat(60_000)}[Priority: 1]`,
      `Mar 11 22:55:32 h snort[1]: [1:1:1] x ${"a -> ".repeat(12_000)}b`,
      `Mar 11 22:55:32 h snort[1]: [1:1:1] x {TCP} ${"{".repeat(30_000)} -> b`,
      `Mar 11 22:55:32 h suricata[1]: [Drop] [1:1:1] x${" [**] [Raw pkt:".repeat(4_000)}`,
      `Mar 11 22:55:32 h suricata[1]: [1:1:1] ${"<a> ".repeat(15_000)}{TCP} 192.0.2.1:1 -> 192.0.2.2:2`,
      `Mar 11 22:55:32 h suricata[1]: ${"{".repeat(30_000)}`,
    ];
    for (const line of lines) {
      const t = performance.now();
      parseSyslogLine(line, ctx);
      expect(performance.now() - t).toBeLessThan(500);
    }
  });

  it("reads a 60 KB line of repeated ' from x' in a user name and still finds the real source", () => {
    const user = " from 6.6.6.6: x".repeat(3_500);
    const o = parseSyslogLine(`Mar 11 22:55:32 h sshd[1]: Failed password for invalid user a${user} from 203.0.113.5 port 22 ssh2`, ctx);
    expect(o.status === "event" && o.event.src_ip).toBe("203.0.113.5");
  });
});
