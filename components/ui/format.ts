/**
 * 12,345 and 1,234.5: a number with thousands separators, as `toLocaleString("en")` writes it (at
 * most three decimals), but without Intl. The same on the server and in every browser, and cheap:
 * a page's first `toLocaleString` call loads the browser's number formatting data, about 30 ms of
 * the console's first load on this machine, before anything can be clicked.
 */
export function count(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  const rounded = Number.isInteger(abs) ? abs : Math.round(abs * 1000) / 1000;
  if (rounded >= 1e21) return n.toLocaleString("en");
  const [int, frac] = String(rounded).split(".");
  return `${n < 0 || Object.is(n, -0) ? "-" : ""}${int.replace(/\B(?=(\d{3})+$)/g, ",")}${frac ? `.${frac}` : ""}`;
}

/** HH:MM:SS in the viewer's time zone. */
export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
}

/** "5s ago", "3m ago", "2h ago", "4d ago". */
export function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function latency(ms: number | null): string {
  if (ms === null) return "–";
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
