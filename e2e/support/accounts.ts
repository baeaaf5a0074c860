import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, type BrowserContext } from "@playwright/test";
import type { VigilServer } from "./vigil";
// @ts-expect-error plain ESM helper shared with the unit tests
import { cliScript } from "../../scripts/cli-bundle.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");
export const PASSWORD = "correct horse battery staple";

/** Runs `npm run vigil -- …` (the real CLI, bundled once per process: scripts/cli-bundle.mjs) against this server's data directory. */
export async function cli(vigil: VigilServer, args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  const script: string = await cliScript();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [script, ...args],
      { cwd: root, env: { ...process.env, VIGIL_DATA_DIR: vigil.dataDir } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}

/** The one-time setup token a fresh server keeps in its data directory (and prints at start). */
export function setupToken(vigil: VigilServer): string {
  return fs.readFileSync(path.join(vigil.dataDir, "setup-token"), "utf8").trim();
}

export async function createUser(vigil: VigilServer, email: string, role: string, password = PASSWORD): Promise<void> {
  const r = await cli(vigil, ["user", "create", "--email", email, "--role", role], `${password}\n`);
  expect(r.code, r.stderr).toBe(0);
}

export async function createKey(vigil: VigilServer, owner: string, scopes: string): Promise<string> {
  const r = await cli(vigil, ["key", "create", "--owner", owner, "--scope", scopes, "--name", `e2e-${scopes}`]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** Signs a browser context in through the real sign-in endpoint (for accounts without two-factor). */
export async function signIn(context: BrowserContext, baseUrl: string, email: string, password = PASSWORD): Promise<void> {
  const res = await context.request.post(`${baseUrl}/api/auth/sign-in/email`, { data: { email, password }, headers: { origin: baseUrl } });
  expect(res.status(), await res.text()).toBe(200);
}

/** An analyst who can act on security incidents, and an ingest+read+act key of theirs for the test to send data with. */
export async function seedAnalyst(vigil: VigilServer, email = "ana@bank.test") {
  await createUser(vigil, email, "analyst");
  return { email, key: await createKey(vigil, email, "ingest,read,act") };
}
