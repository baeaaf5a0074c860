import type { Severity } from "../../../lib/contracts/common";
import { atMost, type Draft } from "./common";

/**
 * Snort generator ids whose events come from the decoder and normalisers, not from rules:
 * 116 packet decoder, 119/120 HTTP inspection, 123 IP fragment reassembly, 129 TCP stream.
 */
export const DECODER_GIDS: ReadonlySet<number> = new Set([116, 119, 120, 123, 129]);

/** Suricata's own decoder, stream and app-layer event rules (suricata/rules/*.rules) use this sid range. */
export const SURICATA_EVENT_SIDS = { from: 2_200_000, to: 2_299_999 } as const;

/** IDS priority (Suricata `alert.severity`, Snort `[Priority: N]`): 1 high, 2 medium, 3 low, else info. */
export function idsSeverity(priority: unknown): Severity {
  if (priority === 1) return "high";
  if (priority === 2) return "medium";
  if (priority === 3) return "low";
  return "info";
}

/**
 * Whether an IDS alert is a decoder or stream-engine event (invalid checksums from NIC offloading,
 * stream anomalies, protocol decode failures) rather than a signature match: Suricata's event
 * rules (sid 2200000–2299999, or "SURICATA …" in the "Generic Protocol Command Decode" class, or
 * "SURICATA STREAM …") and Snort's decoder generators. These become `ids_anomaly`: counted and
 * grouped, never ranked above real signatures.
 */
export function isDecoderEvent(gid: number | null, sid: number | null, signature: string, category: string | null): boolean {
  if (gid !== null && DECODER_GIDS.has(gid)) return true;
  if (sid !== null && sid >= SURICATA_EVENT_SIDS.from && sid <= SURICATA_EVENT_SIDS.to) return true;
  if (signature.startsWith("SURICATA STREAM ")) return true;
  return signature.startsWith("SURICATA ") && category === "Generic Protocol Command Decode";
}

export type Endpoint = { ip: string | null; port: number | null };
/** Both ends; for ICMP the type and code some sensors append where the ports would be. */
export type Endpoints = { src: Endpoint; dst: Endpoint; icmpType?: number; icmpCode?: number };
export const NO_ENDPOINTS: Endpoints = { src: { ip: null, port: null }, dst: { ip: null, port: null } };

/** What an IDS alert (fast.log, syslog, Snort 3's alert_json and alert_csv) says, read: the event but its time. */
export interface IdsFields {
  /** null when the log does not name the rule (a Snort 3 alert_json field list without it) */
  gid: number | null;
  sid: number | null;
  rev: number | null;
  signature: string;
  classification: string | null;
  /** as written; 0 (Snort's "none") is read as no priority */
  priority: number | null;
  appId: string | null;
  iface: string | null;
  action: string | undefined;
  proto: string | null;
  ends: Endpoints;
  service: string;
}

/** The event of an IDS alert (fast.log's, syslog's, Snort 3's JSON and CSV), but its time. */
export function idsDraft(f: IdsFields): Omit<Draft, "time"> {
  // Snort prints a rule without classtype or priority as [Priority: 0] (its syslog output leaves
  // it out): no priority, as when the bracket is absent
  const priority = f.priority === 0 ? null : f.priority;
  const decoder = isDecoderEvent(f.gid, f.sid, f.signature, f.classification);
  // no [Priority] at all: the rule gave none, so it is neither high nor negligible
  const severity = priority === null ? "medium" : idsSeverity(priority);
  const { src, dst } = f.ends;
  return {
    kind: decoder ? "ids_anomaly" : "ids_alert",
    severity: decoder ? atMost(severity, "low") : severity,
    service: f.service,
    src_ip: src.ip,
    src_host: null,
    src_port: src.port,
    dst_ip: dst.ip,
    dst_port: dst.port,
    proto: f.proto,
    user: null,
    signature: f.signature,
    message: f.classification ? `${f.signature} [${f.classification}]` : f.signature,
    attributes: {
      sid: f.sid,
      gid: f.gid,
      rev: f.rev,
      category: f.classification,
      priority,
      appid: f.appId ?? undefined,
      action: f.action,
      interface: f.iface ?? undefined,
      icmp_type: f.ends.icmpType ?? undefined,
      icmp_code: f.ends.icmpCode ?? undefined,
    },
  };
}

/**
 * An inline verdict as the `action` attribute: what was done (`blocked`) or would have been
 * (`would_block`: IDS mode, or Snort 3's cant_* when it could not); any other word as written.
 */
export function actionOf(word: string): string {
  const w = word.toLowerCase();
  if (w === "drop" || /^(?:force_)?(?:drop|block|reset)$/.test(w)) return "blocked";
  if (w === "wdrop" || /^(?:would|cant)_(?:drop|block|reset)$/.test(w)) return "would_block";
  return w;
}
