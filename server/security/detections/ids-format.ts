// Words and figures for explanations, and the MITRE ATT&CK keyword map. Deterministic (no locale):
// the same evidence always reads the same.

/** 1204 → "1,204". */
export function fmtInt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** 5400 → "5,400.00". */
export function fmtAmount(n: number): string {
  const [whole, cents] = Math.abs(n).toFixed(2).split(".");
  return `${n < 0 ? "-" : ""}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}

/** A span in the unit a reader expects: "41 s", "10 min", "1 h", "58 h", "3.5 d". */
export function fmtDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 3_600) return `${Math.round(s / 60)} min`;
  const h = s / 3_600;
  if (h < 72) return `${h < 10 && Math.round(h * 10) % 10 !== 0 ? h.toFixed(1) : Math.round(h)} h`;
  const d = h / 24;
  return `${d < 10 && Math.round(d * 10) % 10 !== 0 ? d.toFixed(1) : Math.round(d)} d`;
}

/** "one source" / "53 sources". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}

// C0/C1 controls and bidirectional overrides: text from a log never steers how a line reads
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Log-borne text as a short, single-quoted, inert string for titles and explanations. */
export function quote(text: string, max = 120): string {
  const clean = text.replace(UNSAFE, "\uFFFD");
  return `'${clean.length > max ? `${clean.slice(0, max - 1)}…` : clean}'`;
}

/** Log-borne text, cleaned and shortened, without quotes (for titles). */
export function clip(text: string, max = 120): string {
  return quote(text, max).slice(1, -1);
}

/**
 * Signature text or classification to a MITRE ATT&CK technique, first match wins. A small map on
 * purpose: it names a technique only where the words leave little doubt, and null otherwise.
 */
export const IDS_MITRE_MAP: readonly { pattern: RegExp; technique: string; name: string }[] = [
  { pattern: /brute.?force|libssh|password guess|credential stuffing/i, technique: "T1110", name: "Brute Force" },
  {
    pattern: /log4j|log4shell|\bCVE-\d{4}-\d{4,}|\bexploit|web application attack|sql injection|command injection|remote code execution/i,
    technique: "T1190",
    name: "Exploit Public-Facing Application",
  },
  { pattern: /\bscan|nmap|masscan|zmap|\bsweep/i, technique: "T1046", name: "Network Service Discovery" },
  {
    pattern: /trojan|malware|\bcnc\b|\bc2\b|command and control|botnet|backdoor/i,
    technique: "T1071",
    name: "Application Layer Protocol (command and control)",
  },
  { pattern: /coin.?min|crypto(currency)?.?min|cryptonight|stratum/i, technique: "T1496", name: "Resource Hijacking" },
  { pattern: /phish/i, technique: "T1566", name: "Phishing" },
  { pattern: /\bET DOS\b|denial of service|\bddos\b/i, technique: "T1498", name: "Network Denial of Service" },
];

/** The technique for a signature (and its classification), or null when nothing fits. */
export function mitreFor(signature: string | null, category?: string | null): string | null {
  const text = `${signature ?? ""} ${category ?? ""}`;
  for (const { pattern, technique } of IDS_MITRE_MAP) if (pattern.test(text)) return technique;
  return null;
}
