import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { SecurityDetection, StoredEvent } from "../types";
import { IdsCampaignRule } from "./ids-campaign";
import { IdsEngineNoiseRule } from "./ids-engine-noise";
import { IdsPersistentSourceRule } from "./ids-persistent-source";
import { IdsPriorityRule } from "./ids-priority";
import { PortScanRule, type ScanFlow } from "./scan";

// The IDS rules on real Suricata EVE files (../shared/datasets/suricata). The mapping below is the
// least these tests need, not the parser (server/security/parsers/eve.ts does it for real): alert and
// anomaly records become events, Suricata's own decoder / stream / app-layer event rules
// (sid 2200000–2299999, "SURICATA …") become ids_anomaly as the parser's contract says, and flow
// records become ScanFlows starting at flow.start.

const DIR = path.resolve(process.cwd(), "../shared/datasets/suricata");
const present = existsSync(DIR);

type Rec = Record<string, any>;
const instant = (s: string) => Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));

function load(file: string): { events: StoredEvent[]; flows: ScanFlow[] } {
  const events: StoredEvent[] = [];
  const flows: ScanFlow[] = [];
  const lines = readFileSync(path.join(DIR, file), "utf8").split("\n");
  lines.forEach((line, n) => {
    if (!line.trim()) return;
    const r: Rec = JSON.parse(line);
    const time = instant(r.timestamp);
    if (r.event_type === "flow") {
      flows.push({ time: r.flow?.start ? instant(r.flow.start) : time, src_ip: r.src_ip ?? null, dst_ip: r.dest_ip ?? null, dst_port: r.dest_port ?? null, proto: r.proto ?? null, state: r.flow?.state });
      return;
    }
    if (r.event_type !== "alert" && r.event_type !== "anomaly") return;
    const a: Rec = r.alert ?? {};
    const decoder =
      r.event_type === "anomaly" || (a.signature_id >= 2_200_000 && a.signature_id <= 2_299_999) || String(a.signature).startsWith("SURICATA ");
    events.push({
      id: n + 1,
      time,
      kind: decoder ? "ids_anomaly" : "ids_alert",
      severity: "low",
      service: "suricata",
      src_ip: r.src_ip ?? null,
      src_host: null,
      src_port: r.src_port ?? null,
      dst_ip: r.dest_ip ?? null,
      dst_port: r.dest_port ?? null,
      proto: r.proto ?? null,
      user: null,
      signature: r.event_type === "alert" ? a.signature : (r.anomaly?.event ?? r.anomaly?.type ?? "anomaly"),
      message: null,
      attributes: r.event_type === "alert" ? { sid: a.signature_id, gid: a.gid, category: a.category, priority: a.severity } : { anomaly_type: r.anomaly?.type },
      occurrences: 1,
      fingerprint: `${file}:${n}`,
      raw: "",
    });
  });
  return { events, flows };
}

function runAll(events: StoredEvent[], flows: ScanFlow[]) {
  const noise = new IdsEngineNoiseRule();
  const scan = new PortScanRule();
  const found: SecurityDetection[] = [
    ...new IdsPriorityRule().observe(events),
    ...new IdsCampaignRule().observe(events),
    ...new IdsPersistentSourceRule().observe(events),
    ...noise.observe(events),
    ...scan.observe(events),
    ...scan.observeFlows(flows),
  ];
  return { found, noise };
}

const brief = (d: SecurityDetection) => `${d.rule} ${d.entity}: ${d.explanation}`;

describe.skipIf(!present)("IDS rules on real Suricata EVE logs (skipped when ../shared/datasets/suricata is absent)", () => {
  it("eve-2.json: engine events counted, not ranked; the infected host sweeps 64 mail servers on port 587", () => {
    const { events, flows } = load("eve-2.json");
    expect([events.length, flows.length]).toEqual([224, 923]);
    expect(events.every((e) => e.kind === "ids_anomaly")).toBe(true); // all 118 alerts are Suricata's own event rules
    const { found, noise } = runAll(events, flows);
    console.info(`eve-2.json findings:\n${found.map(brief).join("\n")}\nengine noise counted: ${JSON.stringify(noise.counts(10))}`);
    // 20 distinct mail servers within one minute trip it; the flows connected to that minute follow
    expect(found.map((d) => [d.rule, d.entity, d.increment, d.mitre])).toEqual([["port_scan", "10.2.8.102", 79, "T1046"]]);
    expect(found[0].explanation).toBe("10.2.8.102 reached 64 hosts on TCP/587 in 7 min (79 flows); threshold 20 hosts on one port in 60 s");
    expect(noise.counts(3)).toEqual({
      events: 224,
      distinctTypes: 5,
      top: [
        { value: "APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION", count: 84 },
        { value: "SURICATA Applayer Detect protocol only one direction", count: 84 },
        { value: "INVALID_REPLY", count: 22 },
      ],
    });
  });

  it("eve_payload.json: 131 engine alerts over 15 days open nothing", () => {
    const { events, flows } = load("eve_payload.json");
    expect([events.length, flows.length]).toEqual([131, 0]);
    const { found, noise } = runAll(events, flows);
    console.info(`eve_payload.json findings: ${found.length}; engine noise counted: ${JSON.stringify(noise.counts(10))}`);
    expect(found).toEqual([]);
    expect(noise.counts().events).toBe(131);
  });

  it("both files: with engine events taken as signatures (a parser that did not classify them), campaigns would fire — the reason they are not", () => {
    const events = [...load("eve-2.json").events, ...load("eve_payload.json").events]
      .filter((e) => e.attributes?.sid !== undefined)
      .map((e, i) => ({ ...e, id: i + 1, kind: "ids_alert" as const }));
    const campaigns = new IdsCampaignRule().observe(events);
    console.info(`if engine alerts were signatures:\n${campaigns.map(brief).join("\n")}`);
    expect(campaigns.map((d) => [d.entity, d.details?.distinctSources, d.increment])).toEqual([
      ["2220000", 22, 87],
      ["2230002", 12, 46],
      ["2230010", 12, 22],
      ["2260002", 74, 84],
    ]);
  });
});
