// No imports: shared by the browser, route handlers and the custom server.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** Parses dotted-quad IPv4 (no leading zeros, which some parsers read as octal) into 4 bytes. */
function parseIpv4(text: string): number[] | null {
  if (!IPV4.test(text)) return null;
  return text.split(".").map(Number);
}

/** Parses IPv6 text (with `::` and an optional trailing dotted quad) into 8 hextets. */
function parseIpv6(text: string): number[] | null {
  if (text.length > 45 || !text.includes(":")) return null;
  let head = text;
  let tail4: number[] | null = null;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    tail4 = parseIpv4(text.slice(lastColon + 1));
    if (!tail4) return null;
    head = text.slice(0, lastColon + 1) + "0:0";
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const part = (s: string) => (s === "" ? [] : s.split(":"));
  const left = part(halves[0]);
  const right = halves.length === 2 ? part(halves[1]) : [];
  if (![...left, ...right].every((h) => HEXTET.test(h))) return null;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const words = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right].map((h) => parseInt(h, 16));
  if (tail4) {
    words[6] = (tail4[0] << 8) | tail4[1];
    words[7] = (tail4[2] << 8) | tail4[3];
  }
  return words;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero hextets as `::`. */
function formatIpv6(words: number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

/**
 * One spelling per address, so that a source cannot evade a per-source count by respelling
 * itself: IPv4 as dotted quad, IPv6 as RFC 5952, and IPv4-mapped IPv6 (`::ffff:203.0.113.5`,
 * in any spelling) as the IPv4 address. Brackets are accepted around IPv6; zone ids are not.
 * Returns null for anything that is not an address.
 */
export function canonicalIp(input: string): string | null {
  let text = input.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  const v4 = parseIpv4(text);
  if (v4) return v4.join(".");
  const v6 = parseIpv6(text);
  if (!v6) return null;
  if (v6.slice(0, 5).every((w) => w === 0) && v6[5] === 0xffff) {
    return [v6[6] >> 8, v6[6] & 255, v6[7] >> 8, v6[7] & 255].join(".");
  }
  return formatIpv6(v6);
}
