import { describe, expect, it } from "vitest";
import { BodyError, checkContentType } from "../ingest/body";
import { ACCEPTED_TYPES } from "./content-types";
import { parseUpload } from "./formats";
import type { ParseOutcome } from "./types";

const ctx = { now: Date.UTC(2026, 11, 1) };
const RS = "\u001e";
const status = (o: ParseOutcome) => (o.status === "event" ? `event ${o.event.signature}` : `${o.status}: ${o.reason}`);

const eve = (sid: number) => JSON.stringify({ timestamp: "2026-11-30T10:00:00.000000+0000", event_type: "alert", src_ip: "203.0.113.5", src_port: 4444, dest_ip: "192.0.2.10", dest_port: 80, proto: "TCP", alert: { gid: 1, signature_id: sid, rev: 1, signature: `ET TEST ${sid}`, severity: 2 } });

describe("application/json-seq (RFC 7464) on the ingest routes", () => {
  it("is accepted wherever NDJSON is, and the NDJSON types stay accepted", () => {
    for (const format of ["suricata", "fast", "syslog", "transactions"] as const) {
      for (const type of ["application/json-seq", "application/x-ndjson", "application/jsonlines", "application/ndjson"]) expect(() => checkContentType(type, ACCEPTED_TYPES[format]), `${format} ${type}`).not.toThrow();
    }
  });

  it("reads EVE records each after an RS, a pretty-printed one too, numbered by record", () => {
    const pretty = JSON.stringify(JSON.parse(eve(3)), null, 2);
    const body = `${RS}${eve(1)}\n${RS}${eve(2)}\n${RS}${pretty}\n`;
    const out = parseUpload("suricata", Buffer.from(body), "application/json-seq", ctx);
    expect(out.map((o) => [o.line, status(o.outcome)])).toEqual([[1, "event ET TEST 1"], [2, "event ET TEST 2"], [3, "event ET TEST 3"]]);
  });

  it("gives a record the same fingerprint as the line sent as NDJSON, so re-sending stores nothing twice", () => {
    const [seq] = parseUpload("suricata", Buffer.from(`${RS}${eve(1)}\n`), "application/json-seq", ctx);
    const [nd] = parseUpload("suricata", Buffer.from(`${eve(1)}\n`), "application/x-ndjson", ctx);
    expect(seq.outcome.status === "event" && nd.outcome.status === "event" && seq.outcome.event.fingerprint === nd.outcome.event.fingerprint).toBe(true);
  });

  it("reads a leading RS on a line sent as text (a jq --seq file) as no part of the record", () => {
    const out = parseUpload("suricata", Buffer.from(`${RS}${eve(1)}\n`), "text/plain", ctx);
    expect(status(out[0].outcome)).toBe("event ET TEST 1");
  });

  it("reads transactions and journalctl -o json-seq records, and rejects a truncated record by number", () => {
    const tx = (id: string) => JSON.stringify({ id, time: "2026-11-30T10:00:00Z", amount: "12.50", currency: "EUR" });
    const out = parseUpload("transactions", Buffer.from(`${RS}${tx("a")}\n${RS}{"id":"b","time":\n${RS}${tx("c")}\n`), "application/json-seq", ctx);
    expect(out.map((o) => [o.line, o.outcome.status])).toEqual([[1, "event"], [2, "rejected"], [3, "event"]]);
    const journal = { __REALTIME_TIMESTAMP: "1796032800000000", _HOSTNAME: "bastion", SYSLOG_IDENTIFIER: "sshd", _PID: "4242", MESSAGE: "Failed password for root from 203.0.113.5 port 40000 ssh2" };
    const [j] = parseUpload("syslog", Buffer.from(`${RS}${JSON.stringify(journal)}\n`), "application/json-seq", ctx);
    expect(status(j.outcome)).toBe("event sshd: failed password");
  });

  it("refuses another Content-Type with 415, naming every type the route reads", () => {
    let refusal: unknown;
    try {
      checkContentType("application/xml", ACCEPTED_TYPES.transactions);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(BodyError);
    expect(refusal).toMatchObject({ status: 415, code: "unsupported_media_type", message: expect.stringMatching(/^Content-Type "application\/xml" is not accepted: send text\/csv or application\/json \(also read: [^)]*application\/x-ndjson[^)]*application\/json-seq\)$/) });
    expect(() => parseUpload("suricata", Buffer.from(eve(1)), "text/html", ctx)).toThrow(/send application\/x-ndjson or text\/plain/);
  });
});
