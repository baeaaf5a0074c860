import type { Severity } from "../../../lib/contracts/common";

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
