import type { PeerCertificate } from "node:tls";
import type { CheckDetails } from "./check";

const DAY_MS = 86_400_000;

/** Thresholds on a certificate's remaining days: below `min_days` fails, below `warn_days` warns. */
export interface CertThresholds {
  cert_min_days?: number;
  cert_warn_days?: number;
}

export interface CertFacts {
  /** whole days left, rounded down; negative once expired */
  days_left: number;
  expires_at: number;
  subject: string | null;
  issuer: string | null;
}

/** The expiry facts of a peer certificate, or null when the peer sent none. */
export function certFacts(cert: PeerCertificate | null | undefined, now: number): CertFacts | null {
  if (!cert || !cert.valid_to) return null;
  const expiresAt = Date.parse(cert.valid_to);
  if (!Number.isFinite(expiresAt)) return null;
  const name = (x: PeerCertificate["subject"] | undefined) => (x && typeof x.CN === "string" ? x.CN : null);
  return { days_left: Math.floor((expiresAt - now) / DAY_MS), expires_at: expiresAt, subject: name(cert.subject), issuer: name(cert.issuer) };
}

export function certDetails(facts: CertFacts): CheckDetails {
  return {
    cert_days_left: facts.days_left,
    cert_expires_at: new Date(facts.expires_at).toISOString(),
    cert_subject: facts.subject,
    cert_issuer: facts.issuer,
  };
}

/** The failure or warning the thresholds give for a certificate (neither when it is fine). */
export function judgeCert(facts: CertFacts, t: CertThresholds): { error?: string; warning?: string } {
  const left = facts.days_left;
  const when = new Date(facts.expires_at).toISOString();
  if (left < 0) return { error: `TLS certificate expired on ${when}` };
  if (t.cert_min_days !== undefined && left < t.cert_min_days) return { error: `TLS certificate expires in ${left} days (${when}), under the ${t.cert_min_days}-day minimum` };
  if (t.cert_warn_days !== undefined && left < t.cert_warn_days) return { warning: `TLS certificate expires in ${left} days (${when})` };
  return {};
}
