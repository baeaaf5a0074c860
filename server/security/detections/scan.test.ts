import { describe, expect, it } from "vitest";
import { alert, anomaly, batchesOf, chunks, nthAddress, SEC, shuffled, T0, totals } from "./ids-fixtures";
import { PortScanRule, type ScanFlow } from "./scan";

const SCANNER = "203.0.113.50";
const flow = (time: number, dst: string, port: number | null, proto = "TCP", src = SCANNER): ScanFlow => ({ time, src_ip: src, dst_ip: dst, dst_port: port, proto, state: "new" });
/** n flows from SCANNER to one host, one port each, `step` apart. */
const vertical = (n: number, step = SEC, host = "10.0.0.9") => Array.from({ length: n }, (_, i) => flow(T0 + i * step, host, 1_000 + i));
/** n flows from SCANNER to n hosts on one port, `step` apart. */
const horizontal = (n: number, step = SEC, port: number | null = 445, proto = "TCP") => Array.from({ length: n }, (_, i) => flow(T0 + i * step, `10.0.${i >> 8}.${i & 255}`, port, proto));

describe("port_scan from flows", () => {
  it("opens nothing for 19 ports on one host, or 19 hosts on one port, in a minute (just below)", () => {
    expect(new PortScanRule().observeFlows(vertical(19))).toEqual([]);
    expect(new PortScanRule().observeFlows(horizontal(19))).toEqual([]);
  });

  it("opens nothing for 20 ports spread over exactly a minute", () => {
    expect(new PortScanRule().observeFlows(vertical(20, (60 * SEC) / 19))).toEqual([]);
  });

  it("reports a vertical scan at 20 ports on one host, with the exact count, times and words", () => {
    expect(new PortScanRule().observeFlows(vertical(20))).toEqual([
      {
        rule: "port_scan",
        entity: SCANNER,
        title: `Port scan from ${SCANNER}`,
        severity: "medium",
        firstSeen: T0,
        lastSeen: T0 + 19 * SEC,
        increment: 20,
        explanation: `${SCANNER} reached 20 ports on 10.0.0.9 in 19 s (20 flows); threshold 20 ports on one host in 60 s`,
        mitre: "T1046",
        evidence: [],
        details: expect.objectContaining({ method: "vertical", target: "10.0.0.9", flows: 20, distinct: 20, others: [] }),
      },
    ]);
  });

  it("reports a horizontal sweep at 20 hosts on one port, and an ICMP sweep as a ping sweep (T1018)", () => {
    const [sweep] = new PortScanRule().observeFlows(horizontal(20));
    expect(sweep).toMatchObject({ title: `Port sweep from ${SCANNER}`, increment: 20, mitre: "T1046" });
    expect(sweep.explanation).toBe(`${SCANNER} reached 20 hosts on TCP/445 in 19 s (20 flows); threshold 20 hosts on one port in 60 s`);
    const [ping] = new PortScanRule().observeFlows(horizontal(20, SEC, null, "ICMP"));
    expect(ping).toMatchObject({ title: `Ping sweep from ${SCANNER}`, mitre: "T1018" });
    expect(ping.explanation).toBe(`${SCANNER} reached 20 hosts on ICMP in 19 s (20 flows); threshold 20 hosts on one port in 60 s`);
  });

  it("makes one report per source per call when it scans and sweeps at once", () => {
    // (a flow that belongs to both a scan and a sweep would count in each: the hosts differ here)
    const reports = new PortScanRule().observeFlows([...vertical(25, SEC, "10.0.1.200"), ...horizontal(20, SEC, 22)]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ entity: SCANNER, increment: 45, title: `Port scan from ${SCANNER}` });
    expect(reports[0].explanation).toBe(`${SCANNER} reached 25 ports on 10.0.1.200 in 24 s (25 flows) and 1 more target; threshold 20 ports on one host in 60 s`);
  });

  it("grows far beyond: 1,000 ports in 50 s, in batches, add up to 1,000 flows", () => {
    const rule = new PortScanRule();
    const reports = chunks(vertical(1_000, 50), 64).flatMap((b) => rule.observeFlows(b));
    expect(totals(reports)).toEqual({ [`port_scan|${SCANNER}`]: { count: 1_000, firstSeen: T0, lastSeen: T0 + 999 * 50 } });
  });

  it("gives the identical report for a batch in any order, and the same totals from late batches", () => {
    const flows = [...vertical(30, 700), ...horizontal(40, 900, 3389), ...horizontal(25, 500, 22).map((f) => ({ ...f, src_ip: "198.51.100.77" }))];
    const expected = new PortScanRule().observeFlows(flows);
    expect(expected).toHaveLength(2);
    expect(new PortScanRule().observeFlows([...flows].reverse())).toEqual(expected);
    expect(new PortScanRule().observeFlows(shuffled(flows))).toEqual(expected);
    const rule = new PortScanRule();
    expect(totals(chunks([...flows].reverse(), 7).flatMap((b) => rule.observeFlows(b)))).toEqual(totals(expected));
  });

  it("keeps its state within the caps over 200,000 distinct keys (100,000 source and host, 100,000 source and port)", () => {
    const rule = new PortScanRule({ maxPairs: 2_000, maxWeight: 10_000 });
    for (const batch of batchesOf(100_000, 10_000, (i) => flow(T0 + i, "10.0.0.1", 443, "TCP", nthAddress(i)))) expect(rule.observeFlows(batch)).toEqual([]);
    const s = rule.stats();
    expect(Math.max(s.vertical.keys, s.horizontal.keys)).toBeLessThanOrEqual(2_000);
    expect(Math.max(s.vertical.weight, s.horizontal.weight)).toBeLessThanOrEqual(10_000);
  });
});

describe("port_scan from IDS alerts", () => {
  it("reports a scan signature at once, per source, with its alerts as evidence", () => {
    const nmap = "ET SCAN Nmap Scripting Engine User-Agent Detected (Nmap Scripting Engine)";
    const events = [alert(T0, SCANNER, nmap, { priority: 1, dst: "10.0.0.9" }), alert(T0 + 5 * SEC, SCANNER, nmap, { priority: 1, dst: "10.0.0.10" })];
    const [d, ...rest] = new PortScanRule().observe([...events, alert(T0, SCANNER, "ET POLICY curl User-Agent Outbound"), anomaly(T0, "SURICATA STREAM scan-like noise")]);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      entity: SCANNER,
      title: `Port scan from ${SCANNER} (IDS)`,
      severity: "high",
      increment: 2,
      firstSeen: T0,
      lastSeen: T0 + 5 * SEC,
      mitre: "T1046",
      evidence: events.map((e) => e.id),
      explanation: `2 scan alerts from ${SCANNER} against 2 hosts in 5 s (most '${nmap}', 2); threshold: a scan signature reports at once`,
    });
  });
});
