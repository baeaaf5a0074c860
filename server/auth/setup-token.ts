import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Largest setup token a request may send; anything longer is wrong without reading it. */
export const SETUP_TOKEN_MAX = 128;

/**
 * The one-time token that proves whoever completes first-run setup can read the server's log or
 * data directory: whoever merely reaches the port cannot claim the first admin. Kept in
 * `<dataDir>/setup-token` (mode 0600) so the CLI can print it again; removed once an account
 * exists. A database in memory (tests) keeps it in memory.
 */
export class SetupToken {
  private memory: string | null = null;

  /** `file` null: in memory only */
  constructor(readonly file: string | null) {}

  /** The setup token of a database file: `setup-token` in the same directory. */
  static beside(databaseFile: string): SetupToken {
    return new SetupToken(databaseFile === ":memory:" || databaseFile === "" ? null : path.join(path.dirname(databaseFile), "setup-token"));
  }

  /** The current token, created (26 base32 characters, 130 bits) when there is none. */
  ensure(): string {
    const existing = this.read();
    if (existing) return existing;
    const token = base32(randomBytes(17)).slice(0, 26);
    if (!this.file) {
      this.memory = token;
      return token;
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    try {
      fs.writeFileSync(this.file, `${token}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      // another process (server and CLI at once) made it first: use theirs
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return this.read() ?? token;
      throw error;
    }
    return token;
  }

  /** Whether `candidate` is the current token; compared in constant time. False when there is none. */
  matches(candidate: unknown): boolean {
    if (typeof candidate !== "string" || candidate.length === 0 || candidate.length > SETUP_TOKEN_MAX) return false;
    const expected = this.read();
    if (!expected) return false;
    // digests have one length, so the comparison leaks neither content nor length
    const digest = (s: string) => createHash("sha256").update(s.trim().toUpperCase()).digest();
    return timingSafeEqual(digest(candidate), digest(expected));
  }

  /** Removes the token: setup is over. */
  clear(): void {
    this.memory = null;
    if (this.file) fs.rmSync(this.file, { force: true });
  }

  private read(): string | null {
    if (!this.file) return this.memory;
    try {
      const value = fs.readFileSync(this.file, "utf8").trim();
      return value || null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 without padding: easy to read aloud and to type, no look-alike 0/O, 1/I. */
function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}
