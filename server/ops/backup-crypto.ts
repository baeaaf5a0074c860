// Encrypted backups: AES-256-GCM over the whole SQLite file, streamed so a database of any size
// costs a fixed amount of memory. Layout of an encrypted file:
//   "VIGILBK1" (8 bytes) | version (1 byte, = 1) | IV (12 random bytes) | ciphertext | GCM tag (16 bytes)
// The 21-byte header is authenticated as additional data, so it cannot be altered either.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import { pipeline } from "node:stream/promises";

export const MAGIC = Buffer.from("VIGILBK1", "ascii");
export const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const HEADER_BYTES = MAGIC.length + 1 + IV_BYTES;
const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "ascii");

/**
 * Reads VIGIL_BACKUP_KEY: 64 hex characters, or the base64 of exactly 32 bytes. Anything else is
 * an error naming the variable (never echoing the value, which is a secret).
 */
export function parseBackupKey(raw: string | undefined, name = "VIGIL_BACKUP_KEY"): Buffer | undefined {
  if (raw === undefined || raw === "") return undefined;
  const value = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  if (/^[A-Za-z0-9+/]{43}=?$/.test(value)) {
    const key = Buffer.from(value, "base64");
    if (key.length === 32) return key;
  }
  throw new Error(
    `${name} must be 64 hex characters or the base64 of 32 bytes (got ${value.length} characters); ` +
      "make one with: node -e \"console.log(require('crypto').randomBytes(32).toString('hex'))\"",
  );
}

export type BackupKind = "encrypted" | "sqlite" | "unknown";

/** What a file is, from its first bytes. */
export function detectBackupKind(file: string): BackupKind {
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC)) return "encrypted";
    if (n === 16 && head.equals(SQLITE_MAGIC)) return "sqlite";
    return "unknown";
  } finally {
    fs.closeSync(fd);
  }
}

/** Encrypts `source` into `target` (created with mode 0600, must not exist), streaming. */
export async function encryptFile(source: string, target: string, key: Buffer): Promise<void> {
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION]), iv]);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(header);
  const out = fs.createWriteStream(target, { flags: "wx", mode: 0o600 });
  out.write(header);
  // end: false so the tag can follow the ciphertext once the cipher has finished
  await pipeline(fs.createReadStream(source), cipher, out, { end: false });
  await new Promise<void>((resolve, reject) => {
    out.once("error", reject);
    out.end(cipher.getAuthTag(), () => resolve());
  });
}

/**
 * Decrypts `source` into `target` (created 0600, must not exist), checking the GCM tag. On a
 * wrong key or any altered byte this rejects; the caller deletes `target`, whose contents are
 * then unauthenticated and must not be used.
 */
export async function decryptFile(source: string, target: string, key: Buffer): Promise<void> {
  const size = fs.statSync(source).size;
  if (size < HEADER_BYTES + TAG_BYTES) throw new Error(`${source} is too short to be an encrypted Vigil backup (${size} bytes)`);
  const fd = fs.openSync(source, "r");
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    fs.readSync(fd, header, 0, HEADER_BYTES, 0);
    fs.readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    fs.closeSync(fd);
  }
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`${source} is not an encrypted Vigil backup`);
  const version = header[MAGIC.length];
  if (version !== FORMAT_VERSION) throw new Error(`${source} is an encrypted backup of format version ${version}; this build reads version ${FORMAT_VERSION}`);
  const decipher = createDecipheriv("aes-256-gcm", key, header.subarray(MAGIC.length + 1));
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  const ciphertextEnd = size - TAG_BYTES;
  // an empty ciphertext cannot be read as a range ({start, end} is inclusive), so skip the read
  const input = ciphertextEnd > HEADER_BYTES ? fs.createReadStream(source, { start: HEADER_BYTES, end: ciphertextEnd - 1 }) : [Buffer.alloc(0)];
  try {
    await pipeline(input, decipher, fs.createWriteStream(target, { flags: "wx", mode: 0o600 }));
  } catch (error) {
    if (/unable to authenticate|auth/i.test((error as Error).message)) {
      throw new Error(`${source} failed its authenticity check: wrong VIGIL_BACKUP_KEY, or the file was altered or truncated`);
    }
    throw error;
  }
}
