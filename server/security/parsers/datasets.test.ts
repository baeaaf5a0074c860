import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { maskCardNumbers } from "../masking";
import type { ParseContext, ParseOutcome } from "../types";
import { parseEveLine } from "./eve";
import { parseFastLine } from "./fast";
import { parseSyslogLine } from "./syslog";
import { parseTransactionCsv } from "./transactions";

// Every line of the real sample logs in ../shared/datasets (see its README) through the parser
// for its format, with the counts asserted exactly. The folder is outside the repository: without
// it these tests are skipped, and say so in their names.

const DATA = path.resolve(process.cwd(), "../shared/datasets");
const present = existsSync(DATA);
const absent = present ? "" : " (SKIPPED: ../shared/datasets not found)";
const ctx: ParseContext = { now: Date.UTC(2026, 11, 1) };

/** Lines as the ingest splits them: a final newline ends the last line, it does not add one. */
function linesOf(file: string): string[] {
  const lines = readFileSync(path.join(DATA, file), "utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

interface Tally {
  counts: { event: number; skipped: number; rejected: number };
  kinds: Record<string, number>;
  signatures: Record<string, number>;
  skips: Record<string, number>;
  eventTypes: Record<string, number>;
  flows: number;
  outcomes: ParseOutcome[];
  /** every rejection with its line number, for the assertion message */
  rejections: string;
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

function tally(outcomes: ParseOutcome[]): Tally {
  const t: Tally = { counts: { event: 0, skipped: 0, rejected: 0 }, kinds: {}, signatures: {}, skips: {}, eventTypes: {}, flows: 0, outcomes, rejections: "" };
  const rejected: string[] = [];
  outcomes.forEach((o, i) => {
    t.counts[o.status]++;
    if (o.status === "event") {
      bump(t.kinds, o.event.kind);
      bump(t.signatures, o.event.signature ?? "(none)");
      const type = o.event.attributes?.event_type;
      if (typeof type === "string") bump(t.eventTypes, type);
    } else {
      bump(t.skips, o.reason);
      if (o.status === "rejected") rejected.push(`line ${i + 1}: ${o.reason}`);
      if (o.status === "skipped" && o.flow) t.flows++;
    }
  });
  t.rejections = rejected.length ? `rejections:\n${rejected.join("\n")}` : "no rejections";
  return t;
}

const run = (file: string, parse: (line: string, ctx: ParseContext) => ParseOutcome) => tally(linesOf(file).map((line) => parse(line, ctx)));

/** No event leaves with a card number in clear or a raw over 8 KiB. */
function expectClean(t: Tally): void {
  for (const o of t.outcomes) {
    if (o.status !== "event") continue;
    expect(Buffer.byteLength(o.event.raw)).toBeLessThanOrEqual(8192);
    for (const s of [o.event.user, o.event.message, o.event.signature]) if (s) expect(maskCardNumbers(s)).toBe(s);
  }
}

describe.skipIf(!present)(`real datasets in ../shared/datasets${absent}`, () => {
  it("suricata/eve-2.json: 118 alerts and 106 anomalies become ids_anomaly events (all decoder events); 2,177 context records are skipped, 923 flows handed over", () => {
    const t = run("suricata/eve-2.json", parseEveLine);
    expect(t.counts, t.rejections).toEqual({ event: 224, skipped: 2177, rejected: 0 });
    expect(t.eventTypes).toEqual({ alert: 118, anomaly: 106 });
    expect(t.kinds).toEqual({ ids_anomaly: 224 });
    expect(t.skips).toEqual({
      "eve dns: context, not stored": 936,
      "eve flow: context, not stored": 923,
      "eve tls: context, not stored": 224,
      "eve smtp: context, not stored": 84,
      "eve http: context, not stored": 5,
      "eve fileinfo: context, not stored": 4,
      "eve stats: context, not stored": 1,
    });
    expect(t.flows).toBe(923);
    expectClean(t);
  });

  it("suricata/eve_payload.json: 131 alerts with payloads become ids_anomaly events, raw cut to 8 KiB", () => {
    const t = run("suricata/eve_payload.json", parseEveLine);
    expect(t.counts, t.rejections).toEqual({ event: 131, skipped: 0, rejected: 0 });
    expect(t.eventTypes).toEqual({ alert: 131 });
    expect(t.signatures).toEqual({
      "SURICATA SMTP invalid reply": 66,
      "SURICATA TLS invalid record type": 36,
      "SURICATA TLS invalid record/traffic": 24,
      "SURICATA Applayer Detect protocol only one direction": 5,
    });
    expect(t.outcomes.some((o) => o.status === "event" && o.event.raw.includes("…[truncated "))).toBe(true);
    expectClean(t);
  });

  it("fast/snort3_alert_fast.log: 4 alerts, IPv6 with and without ports, missing classification or priority", () => {
    const t = run("fast/snort3_alert_fast.log", parseFastLine);
    expect(t.counts, t.rejections).toEqual({ event: 4, skipped: 0, rejected: 0 });
    expect(t.kinds).toEqual({ ids_alert: 4 });
    expectClean(t);
  });

  it("fast/suricata_alert_fast.log: 5 alerts in MM/DD/YY and YY/MM/DD, the blank line skipped", () => {
    const t = run("fast/suricata_alert_fast.log", parseFastLine);
    expect(t.counts, t.rejections).toEqual({ event: 5, skipped: 1, rejected: 0 });
    expect(t.skips).toEqual({ "empty line": 1 });
    expectClean(t);
  });

  it("auth/syslog_ssh.log: 5 accepted and 2 failed logins; Server listening and Connection from skipped", () => {
    const t = run("auth/syslog_ssh.log", parseSyslogLine);
    expect(t.counts, t.rejections).toEqual({ event: 7, skipped: 2, rejected: 0 });
    expect(t.signatures).toEqual({ "sshd: accepted publickey": 4, "sshd: accepted password": 1, "sshd: failed publickey": 1, "sshd: failed password": 1 });
    expectClean(t);
  });

  it("auth/sshd-variants.log: 50 authentication events in three stamp forms, 21 other sshd lines skipped", () => {
    const t = run("auth/sshd-variants.log", parseSyslogLine);
    expect(t.counts, t.rejections).toEqual({ event: 50, skipped: 21, rejected: 0 });
    expect(t.signatures).toEqual({
      "sshd: failed password": 10,
      "sshd: user not allowed": 10,
      "sshd: invalid user": 9,
      "sshd: preauth disconnect": 4,
      "sshd: possible break-in attempt": 3,
      "sshd: maximum authentication attempts exceeded": 3,
      "sshd: failed keyboard-interactive": 2,
      "sshd: pam authentication failure": 2,
      "sshd: pam unknown user": 2,
      "sshd: failed none": 1,
      "sshd: no identification string": 1,
      "sshd: bad protocol version": 1,
      "sshd: unable to negotiate": 2,
    });
    expect(t.skips).toEqual({ "not security-relevant: sshd": 21 });
    expectClean(t);
  });

  it("auth/pam-variants.log: 2 authentication failures and a user-unknown marker; session lines skipped", () => {
    const t = run("auth/pam-variants.log", parseSyslogLine);
    expect(t.counts, t.rejections).toEqual({ event: 3, skipped: 2, rejected: 0 });
    expect(t.signatures).toEqual({ "pam: authentication failure": 2, "pam: user unknown": 1 });
    expectClean(t);
  });

  it("transactions/transaction_data_2K_coldstart.csv: all 1,611 rows become transaction events keyed by EVENT_ID", () => {
    const text = readFileSync(path.join(DATA, "transactions/transaction_data_2K_coldstart.csv"), "utf8");
    const t = tally(parseTransactionCsv(text, ctx));
    expect(t.counts, t.rejections).toEqual({ event: 1611, skipped: 0, rejected: 0 });
    expect(t.kinds).toEqual({ transaction: 1611 });
    const fingerprints = new Set(t.outcomes.map((o) => (o.status === "event" ? o.event.fingerprint : "")));
    expect(fingerprints.size).toBe(1611);
    expectClean(t);
  });
});
