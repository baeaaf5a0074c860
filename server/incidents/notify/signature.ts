import { createHmac, timingSafeEqual } from "node:crypto";

/** Seconds a receiver should accept between X-Vigil-Timestamp and its own clock (replays outside are refused). */
export const SIGNATURE_TOLERANCE_S = 300;

/**
 * The signed string is `<timestamp>.<body>`: the X-Vigil-Timestamp header (Unix seconds, decimal),
 * a dot, then the exact body bytes. X-Vigil-Signature is `sha256=` and the lower-case hex of
 * HMAC-SHA256(secret, signed string). The timestamp being signed, a receiver that refuses stale
 * timestamps refuses a replayed delivery.
 */
export function signatureHeaders(secret: string, body: string, nowMs: number): { "x-vigil-timestamp": string; "x-vigil-signature": string } {
  const timestamp = String(Math.floor(nowMs / 1000));
  const mac = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
  return { "x-vigil-timestamp": timestamp, "x-vigil-signature": `sha256=${mac}` };
}

/** A receiver's check (used by the tests and shown in the README): signature valid and timestamp fresh. */
export function verifySignature(secret: string, body: string | Buffer, timestamp: string | undefined, signature: string | undefined, nowMs: number, toleranceS = SIGNATURE_TOLERANCE_S): boolean {
  if (!timestamp || !signature || !/^[0-9]{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceS) return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
