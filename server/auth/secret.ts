import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The secret that signs session cookies and encrypts TOTP secrets: $BETTER_AUTH_SECRET, else one
 * generated on first start and kept (mode 0600) beside the database, so restarts keep sessions.
 */
export function loadAuthSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.BETTER_AUTH_SECRET) {
    if (env.BETTER_AUTH_SECRET.length < 32) throw new Error("BETTER_AUTH_SECRET must be at least 32 characters");
    return env.BETTER_AUTH_SECRET;
  }
  if (dataDir === ":memory:") return randomBytes(32).toString("base64url");
  const file = path.join(dataDir, "auth-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
  return secret;
}
