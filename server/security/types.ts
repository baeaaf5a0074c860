import type { Severity } from "../../lib/contracts/common";

/**
 * Kinds of security events Vigil stores. `ids_anomaly` is an IDS decoder or stream-engine event
 * (Suricata `event_type: anomaly`, "SURICATA STREAM …" / decoder signatures): counted and grouped,
 * never ranked above real signatures.
 */
export type SecurityKind = "ids_alert" | "ids_anomaly" | "auth_failure" | "auth_success" | "transaction" | "anomaly" | "system";

/** The formats Vigil reads natively. */
export type LogFormat = "suricata" | "fast" | "syslog" | "transactions" | "vigil";

/** One event as a parser makes it from one line: plain data, no database id yet. */
export interface ParsedEvent {
  /** the log's own time, epoch ms */
  time: number;
  kind: SecurityKind;
  severity: Severity;
  /** what produced it: sshd, pam, su, sudo, suricata, snort, payments */
  service: string | null;
  /** the source address, canonical (lib/net/ip.ts canonicalIp) */
  src_ip: string | null;
  /** the source when the log names a host name instead of an address (lower-case) */
  src_host: string | null;
  src_port: number | null;
  dst_ip: string | null;
  dst_port: number | null;
  /** TCP, UDP, ICMP, IPv6-ICMP … as the log writes it, upper-case */
  proto: string | null;
  /** the account: a login name, a wallet or account id */
  user: string | null;
  /** IDS signature text, or the kind of login event ("Failed password", "Invalid user") */
  signature: string | null;
  message: string | null;
  /** format-specific fields (sid, gid, rev, category, amount, currency, card, device, merchant, outcome …) */
  attributes: Record<string, unknown> | null;
  /** how many occurrences this line stands for ("message repeated N times"), at least 1 */
  occurrences: number;
  /** stable identity for dedup: the same line re-sent yields the same fingerprint */
  fingerprint: string;
  /** the line as received (card numbers already masked), at most 8 KiB */
  raw: string;
}

/** One connection as an IDS saw it (Suricata EVE `flow`): what scan and sweep detection counts. */
export interface FlowRecord {
  /** when the flow started (EVE `flow.start`, else the record's timestamp), epoch ms */
  time: number;
  /** canonical addresses (lib/net/ip.ts canonicalIp) */
  src_ip: string;
  dst_ip: string;
  /** null for ICMP and other protocols without ports */
  dst_port: number | null;
  /** upper-case: TCP, UDP, ICMP … */
  proto: string | null;
  /** EVE `flow.state`: new, established, closed, bypassed … */
  state?: string | null;
  /**
   * what makes a re-sent record of this flow a duplicate: `flow_id` and `flow.start` as written
   * (the line's fingerprint when the record has no flow_id)
   */
  key?: string;
}

/** What a parser makes of one line. */
export type ParseOutcome =
  | { status: "event"; event: ParsedEvent }
  /**
   * well-formed but not security-relevant (a cron line, an EVE dns record): counted, not stored.
   * An EVE `flow` record also hands its flow over, for scan and sweep detection.
   */
  | {
      status: "skipped";
      reason: string;
      flow?: FlowRecord;
      /** BSD syslog's "last message repeated N times": the host's previous line happened N more times */
      repeat?: { host: string | null; times: number };
    }
  /** malformed or unusable: reported with the reason */
  | { status: "rejected"; reason: string };

/** What a parser may know besides the line: the clock for year-less stamps, and the zone of zone-less ones. */
export interface ParseContext {
  /** now, epoch ms: a stamp with no year takes this year, or the last one if that would be in the future */
  now: number;
  /** IANA zone for stamps without an offset (RFC 3164, fast.log); default "UTC" */
  timeZone?: string;
  /** /ingest/fast's ?fields=: the field list Snort 3's alert_csv lines of the upload are written in */
  snort3CsvFields?: string;
}

/** An event as stored: what detections see. */
export interface StoredEvent extends ParsedEvent {
  id: number;
}

/**
 * What a detection reports for one key: opens an incident under `rule:entity`, or grows the active
 * one. Times are the evidence's own times, never the time a batch arrived.
 */
export interface SecurityDetection {
  rule: string;
  /** the dedup entity: a source, an account, a signature … (with the service when it matters) */
  entity: string;
  title: string;
  severity: Severity;
  /** earliest and latest evidence time, epoch ms */
  firstSeen: number;
  lastSeen: number;
  /** occurrences this report adds to the incident's count */
  increment: number;
  /** in words: "23 failed logins for 9 accounts from 203.0.113.5 in 60 s; threshold 8 in 120 s" */
  explanation: string;
  /** MITRE ATT&CK technique id where one fits */
  mitre: string | null;
  /** ids of the events that are this report's evidence (bounded by the rule, at most 100) */
  evidence: number[];
  /** rule-specific figures: distinct accounts, top members with counts … (small, JSON-able) */
  details?: Record<string, unknown>;
  /** lines for the incident's timeline (a payment key that joined a burst's incident): plain text, written as notes by "vigil" */
  notes?: string[];
}

/**
 * A detection rule: pure and synchronous over stored events, state bounded, windows on event time
 * (never on arrival order or the wall clock). `observe` takes one batch (in any time order) and
 * returns what fires or grows.
 */
export interface SecurityRule {
  readonly name: string;
  /**
   * How far before now stored events can still change what the rule reports (its window, plus the
   * disorder it tolerates): what a restart replays into it (server/security/warm.ts). 0 for a rule
   * that keeps no window.
   */
  readonly horizonMs: number;
  /**
   * The least of that history a replay must hold for the rule to be warmed from it (default: all of
   * it). An auth rule needs twice its window: a burst cut by where the replay starts cannot then be
   * completed by events that come on time (server/security/warm.ts).
   */
  readonly leastReplayMs?: number;
  /**
   * Told, at start and before the replay, the rule's incidents still active (entity and details), for
   * a rule whose dedup entity depends on the order things crossed (payment_velocity's and card_testing's bursts).
   */
  resume?(active: readonly { entity: string; details: Record<string, unknown> | null }[]): void;
  observe(batch: readonly StoredEvent[]): SecurityDetection[];
  /** What the rule holds in memory and what its caps made it drop, for a rule that keeps windows. */
  state?(): RuleState;
}

/**
 * A windowed rule's memory (GET /api/v1/security/rules, `vigil_detection_state` in /metrics):
 * keys and entries held, connections remembered, and what was dropped since start — keys evicted
 * to stay within the caps, entries that came older than their key's horizon, connections forgotten.
 */
export interface RuleState {
  keys: number;
  entries: number;
  connections: number;
  evicted_keys: number;
  late_entries: number;
  evicted_connections: number;
}
