import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect, type BrowserContext } from "@playwright/test";
import type { VigilServer } from "./vigil";

const root = path.resolve(import.meta.dirname, "..", "..");
export const PASSWORD = "correct horse battery staple";

let cliBundle: Promise<string> | null = null;

/**
 * server/cli.ts bundled to plain JavaScript, once per test process, from the current sources. The
 * same code `npm run vigil` runs, but without a TypeScript loader in every run: a tsx start cost
 * about 4.5 s of CPU per call (the specs make about 50 calls), the bundle about 1 s. Each source
 * file keeps its own import.meta.url, so paths it finds from there (db/migrations) are the ones
 * tsx would find. Written atomically into .next/ (inside the project, so node_modules resolve).
 */
function cliScript(): Promise<string> {
  cliBundle ??= (async () => {
    const { build } = await import("esbuild");
    const out = path.join(root, ".next", "e2e", "cli.mjs");
    const result = await build({
      entryPoints: [path.join(root, "server", "cli.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      target: "node20",
      logLevel: "warning",
      write: false,
      outfile: out,
      plugins: [
        {
          name: "source-import-meta",
          setup(b) {
            b.onLoad({ filter: /\.ts$/ }, (args) => {
              const url = JSON.stringify(pathToFileURL(args.path).href);
              const text = fs
                .readFileSync(args.path, "utf8")
                .replaceAll("import.meta.url", url)
                .replaceAll("import.meta.dirname", JSON.stringify(path.dirname(args.path)))
                .replaceAll("import.meta.filename", JSON.stringify(args.path));
              return { contents: text, loader: "ts" };
            });
          },
        },
      ],
    });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, result.outputFiles[0].contents);
    fs.renameSync(tmp, out);
    return out;
  })();
  return cliBundle;
}

/** Runs `npm run vigil -- …` (the real CLI, bundled: see cliScript) against this server's data directory. */
export async function cli(vigil: VigilServer, args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = await cliScript();
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
