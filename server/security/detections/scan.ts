import type { SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { EPISODE_LATENESS_MS, EpisodeWindows, type EpisodeReport } from "./ids-episodes";
import { priorityOf, sourceOf } from "./ids-fields";
import { clip, fmtDuration, fmtInt, plural, quote } from "./ids-format";
import { earliestIds, MAX_EVIDENCE, pushEvidence, TopCounter, type EvidenceList } from "./ids-support";

export const PORT_SCAN_RULE = "port_scan";

/**
 * One network flow, as the EVE parser hands it over (structurally the same as types.ts FlowRecord,
 * kept here so this rule does not depend on the parser).
 */
export interface ScanFlow {
  /** when the flow started, epoch ms */
  time: number;
  src_ip: string | null;
  dst_ip: string | null;
  /** null for ICMP and other protocols without ports */
  dst_port: number | null;
  proto: string | null;
  state?: string | null;
}

export interface PortScanConfig {
  /** distinct ports on one host from one source: a vertical scan */
  minPorts: number;
  /** distinct hosts on one port from one source: a horizontal sweep */
  minHosts: number;
  windowMs: number;
  /** signatures that are scan alerts in themselves */
  signaturePattern: RegExp;
  /** (source, host) and (source, port) pairs tracked at most, each */
  maxPairs: number;
  /** units of state at most, each (see EpisodeOptions.maxWeight) */
  maxWeight: number;
}

/** Defaults: 20 ports on one host, or 20 hosts on one port, from one source within 1 min. */
export const PORT_SCAN_DEFAULTS: PortScanConfig = {
  minPorts: 20,
  minHosts: 20,
  windowMs: 60_000,
  signaturePattern: /scan|sweep|nmap|masscan|zmap/i,
  maxPairs: 100_000,
  maxWeight: 400_000,
};

const SEP = "\u0000";

/**
 * Port scans and sweeps, one incident per scanning source (entity: the source address).
 * - `observe`: an IDS alert whose signature names a scan reports at once (the IDS has already
 *   counted); evidence is the alerts.
 * - `observeFlows`: a source reaching `minPorts` distinct ports on one host (vertical scan) or
 *   `minHosts` distinct hosts on one port (horizontal sweep) within `windowMs`; flows are not
 *   stored, so evidence is empty and the increment counts flows. MITRE T1046 (an ICMP sweep,
 *   which has no ports: T1018 Remote System Discovery).
 * A flow that is part of both a scan and a sweep counts in each. A busy NAT gateway, proxy or
 * mail relay can sweep by nature: raise `minHosts` where that shows.
 */
export class PortScanRule implements SecurityRule {
  readonly name = PORT_SCAN_RULE;
  readonly config: PortScanConfig;
  private readonly vertical: EpisodeWindows;
  private readonly horizontal: EpisodeWindows;

  get horizonMs(): number {
    return this.config.windowMs + EPISODE_LATENESS_MS;
  }

  constructor(config: Partial<PortScanConfig> = {}) {
    const merged = { ...PORT_SCAN_DEFAULTS, ...config };
    // a global or sticky pattern would carry lastIndex from one test() to the next
    const { source, flags } = merged.signaturePattern;
    this.config = { ...merged, signaturePattern: new RegExp(source, flags.replace(/[gy]/g, "")) };
    const c = this.config;
    const caps = { windowMs: c.windowMs, maxKeys: c.maxPairs, maxWeight: c.maxWeight, topMembers: 200 };
    this.vertical = new EpisodeWindows({ ...caps, qualifies: (f) => f.distinct >= c.minPorts });
    this.horizontal = new EpisodeWindows({ ...caps, qualifies: (f) => f.distinct >= c.minHosts });
  }

  stats() {
    return { vertical: this.vertical.stats(), horizontal: this.horizontal.stats() };
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    const groups = new Map<string, { alerts: number; first: number; last: number; worst: number; signatures: TopCounter; targets: TopCounter; evidence: EvidenceList }>();
    for (const e of batch) {
      if (e.kind !== "ids_alert" || !e.signature || !this.config.signaturePattern.test(e.signature)) continue;
      const source = sourceOf(e) ?? "unknown";
      let g = groups.get(source);
      if (!g) groups.set(source, (g = { alerts: 0, first: e.time, last: e.time, worst: 4, signatures: new TopCounter(), targets: new TopCounter(), evidence: [] }));
      g.alerts += e.occurrences;
      g.first = Math.min(g.first, e.time);
      g.last = Math.max(g.last, e.time);
      g.worst = Math.min(g.worst, priorityOf(e) ?? 4);
      g.signatures.add(e.signature.slice(0, 200), e.occurrences);
      if (e.dst_ip) g.targets.add(e.dst_ip, e.occurrences);
      pushEvidence(g.evidence, e.time, e.id);
    }
    const out: SecurityDetection[] = [];
    for (const [source, g] of groups) {
      const top = g.signatures.top(1)[0];
      out.push({
        rule: PORT_SCAN_RULE,
        entity: source,
        title: `Port scan from ${clip(source, 64)} (IDS)`,
        severity: g.worst <= 2 ? "high" : "medium",
        firstSeen: g.first,
        lastSeen: g.last,
        increment: g.alerts,
        explanation:
          `${plural(g.alerts, "scan alert")} from ${clip(source, 64)} against ${plural(g.targets.distinct, "host")} in ${fmtDuration(g.last - g.first)} ` +
          `(most ${quote(top.value)}, ${fmtInt(top.count)}); threshold: a scan signature reports at once`,
        mitre: "T1046",
        evidence: earliestIds([g.evidence], MAX_EVIDENCE),
        details: { method: "signature", source, alerts: g.alerts, topSignatures: g.signatures.top(10), distinctTargets: g.targets.distinct, topTargets: g.targets.top(10) },
      });
    }
    return byTime(out);
  }

  observeFlows(flows: readonly ScanFlow[]): SecurityDetection[] {
    for (const f of flows) {
      if (!f.src_ip || !f.dst_ip) continue;
      const proto = (f.proto ?? "?").toUpperCase().slice(0, 16);
      if (f.dst_port !== null) this.vertical.add(`${f.src_ip}${SEP}${f.dst_ip}`, { time: f.time, weight: 1, member: `${proto}/${f.dst_port}` });
      this.horizontal.add(`${f.src_ip}${SEP}${proto}${SEP}${f.dst_port ?? ""}`, { time: f.time, weight: 1, member: f.dst_ip });
    }
    const found: Found[] = [
      ...this.vertical.flush().map((r) => ({ r, method: "vertical" as const })),
      ...this.horizontal.flush().map((r) => ({ r, method: "horizontal" as const })),
    ];
    const bySource = new Map<string, Found[]>();
    for (const x of found) {
      const source = x.r.key.split(SEP)[0];
      bySource.set(source, [...(bySource.get(source) ?? []), x]);
    }
    return byTime([...bySource].map(([source, xs]) => this.flowReport(source, xs)));
  }

  private flowReport(source: string, found: Found[]): SecurityDetection {
    const c = this.config;
    found.sort((a, b) => b.r.episode.members.distinct - a.r.episode.members.distinct || (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : 0));
    const main = found[0];
    const ep = main.r.episode;
    const parts = main.r.key.split(SEP);
    const icmpSweep = main.method === "horizontal" && parts[2] === "";
    const what =
      main.method === "vertical"
        ? `${plural(ep.members.distinct, "port")} on ${parts[1]}`
        : `${plural(ep.members.distinct, "host")} on ${icmpSweep ? parts[1] : `${parts[1]}/${parts[2]}`}`;
    const threshold =
      main.method === "vertical"
        ? `threshold ${plural(c.minPorts, "port")} on one host in ${fmtDuration(c.windowMs)}`
        : `threshold ${plural(c.minHosts, "host")} on one port in ${fmtDuration(c.windowMs)}`;
    const others = found.slice(1);
    return {
      rule: PORT_SCAN_RULE,
      entity: source,
      title: `${main.method === "vertical" ? "Port scan" : icmpSweep ? "Ping sweep" : "Port sweep"} from ${source}`,
      severity: "medium",
      firstSeen: Math.min(...found.map((x) => x.r.firstSeen)),
      lastSeen: Math.max(...found.map((x) => x.r.lastSeen)),
      increment: found.reduce((n, x) => n + x.r.increment, 0),
      explanation:
        `${source} reached ${what} in ${fmtDuration(ep.last - ep.first)} (${plural(ep.weight, "flow")})` +
        `${others.length ? ` and ${plural(others.length, "more target")}` : ""}; ${threshold}`,
      mitre: found.every((x) => x.method === "horizontal" && x.r.key.split(SEP)[2] === "") ? "T1018" : "T1046",
      evidence: [],
      details: {
        method: main.method,
        source,
        target: main.method === "vertical" ? parts[1] : icmpSweep ? parts[1] : `${parts[1]}/${parts[2]}`,
        flows: ep.weight,
        distinct: ep.members.distinct,
        top: ep.members.top(10),
        others: others.slice(0, 10).map((x) => {
          const p = x.r.key.split(SEP);
          return { method: x.method, target: x.method === "vertical" ? p[1] : p[2] === "" ? p[1] : `${p[1]}/${p[2]}`, distinct: x.r.episode.members.distinct };
        }),
      },
    };
  }
}

interface Found {
  r: EpisodeReport;
  method: "vertical" | "horizontal";
}

function byTime(out: SecurityDetection[]): SecurityDetection[] {
  return out.sort((a, b) => a.firstSeen - b.firstSeen || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0));
}
