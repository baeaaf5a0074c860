import { createHmac, timingSafeEqual } from "node:crypto";
import { eq, lt } from "drizzle-orm";
import type { VigilDb } from "../../db/client";
import { totpSteps } from "../../db/schema";

/** better-auth's TOTP settings (two-factor plugin defaults, which Vigil keeps). */
export const TOTP = { periodS: 30, digits: 6, window: 1 } as const;

/** RFC 4226 HOTP of `counter` under `key`. */
export function hotp(key: Uint8Array, counter: number, digits: number = TOTP.digits): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = mac[mac.length - 1] & 15;
  const value = ((mac[offset] & 127) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return (value % 10 ** digits).toString().padStart(digits, "0");
}

/**
 * The time step a TOTP code belongs to, among those better-auth accepts at `now` (the current
 * step and `window` either side), or null when it matches none. Every candidate is computed and
 * compared in constant time, like the library's own check.
 */
export function totpStepOf(key: Uint8Array, code: string, now: number): number | null {
  const current = Math.floor(now / (TOTP.periodS * 1000));
  const given = Buffer.from(code.padEnd(TOTP.digits, "\0").slice(0, 16));
  let found: number | null = null;
  for (let step = current - TOTP.window; step <= current + TOTP.window; step++) {
    const expected = Buffer.from(hotp(key, step).padEnd(TOTP.digits, "\0"));
    const same = given.length === expected.length && timingSafeEqual(given, expected);
    if (same && found === null) found = step;
  }
  return found;
}

/**
 * The HMAC key of a decrypted better-auth TOTP secret: the secret's UTF-8 bytes, or for secrets
 * imported as `base32:<secret>` the decoded bytes (as the plugin does).
 */
export function totpKey(secret: string): Uint8Array {
  return secret.startsWith("base32:") ? base32Decode(secret.slice(7)) : Buffer.from(secret, "utf8");
}

function base32Decode(text: string): Uint8Array {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.toUpperCase().replace(/=+$/, "")) {
    const index = alphabet.indexOf(ch);
    if (index < 0) continue;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/**
 * A TOTP code is accepted once: the last accepted time step per user is kept in `totp_steps`, and
 * a code whose step is not later than it is refused, even inside its validity window.
 */
export class TotpReplayGuard {
  constructor(private readonly db: VigilDb) {}

  /**
   * Records `step` as the user's last accepted one, atomically; false when that step or a later
   * one was already accepted (a replay, or an older code after a newer one).
   */
  claim(userId: string, step: number): boolean {
    const result = this.db
      .insert(totpSteps)
      .values({ userId, lastStep: step })
      .onConflictDoUpdate({ target: totpSteps.userId, set: { lastStep: step }, setWhere: lt(totpSteps.lastStep, step) })
      .run();
    return result.changes === 1;
  }

  /** A new authenticator (or none): the old secret's steps say nothing about the next one. */
  forget(userId: string): void {
    this.db.delete(totpSteps).where(eq(totpSteps.userId, userId)).run();
  }
}
