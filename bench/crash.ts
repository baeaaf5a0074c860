// Crash benchmark: the real server killed with SIGKILL during sustained ingest, N rounds (default
// 20), each restarted on the same data directory; prints per round and in total how many events
// were acknowledged (answered 202) and how many of those are missing afterwards (must be 0).
// Usage: npx tsx bench/crash.ts [--rounds 20] [--writers 6] [--batch 100] [--min-ms 300] [--max-ms 1500]
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startVigil } from "../e2e/support/vigil";
import { crashRound, type CrashRoundResult } from "../e2e/support/crash";
// @ts-expect-error plain ESM helper shared with `npm start`
import { ensureBuild } from "../scripts/ensure-build.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive whole number`);
  return value;
}
const ROUNDS = flag("rounds", 20);
const WRITERS = flag("writers", 6);
const BATCH = flag("batch", 100);
const MIN_MS = flag("min-ms", 300);
const MAX_MS = flag("max-ms", 1500);

/** An analyst and an ingest key of theirs, made with the real CLI in the fresh data directory. */
function ingestKey(dataDir: string): string {
  const cli = (args: string[], input = "") =>
    execFileSync(process.execPath, ["--import", "tsx", "server/cli.ts", ...args], { cwd: root, input, env: { ...process.env, VIGIL_DATA_DIR: dataDir }, stdio: ["pipe", "pipe", "ignore"] })
      .toString()
      .trim();
  cli(["user", "create", "--email", "crash@vigil.local", "--role", "analyst"], "crash bench password 1234\n");
  return cli(["key", "create", "--owner", "crash@vigil.local", "--scope", "ingest,read", "--name", "crash-bench"]);
}

async function main() {
  ensureBuild();
  const vigil = await startVigil();
  const results: CrashRoundResult[] = [];
  const started = Date.now();
  try {
    const key = ingestKey(vigil.dataDir);
    const run = Date.now().toString(36);
    for (let round = 1; round <= ROUNDS; round++) {
      const r = await crashRound(vigil, { key, round, run, writers: WRITERS, batch: BATCH, killAfterMs: [MIN_MS, MAX_MS] });
      results.push(r);
      console.log(
        `round ${String(round).padStart(2)}: kill after ${String(r.killAfterMs).padStart(4)} ms, ${r.inFlightAtKill} POSTs in flight; ` +
          `acknowledged ${String(r.acknowledged).padStart(6)}, missing ${r.missing}, stored without an answer ${r.storedUnanswered}` +
          (r.unexpected.length ? `, ${r.unexpected.length} unexpected answers (first: ${r.unexpected[0]})` : "") +
          (r.missing ? ` e.g. ${r.missingSample.join(", ")}` : ""),
      );
    }
  } finally {
    await vigil.dispose();
  }
  const sum = (f: (r: CrashRoundResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const totals = {
    rounds: results.length,
    acknowledged: sum((r) => r.acknowledged),
    missing: sum((r) => r.missing),
    storedWithoutAnswer: sum((r) => r.storedUnanswered),
    unexpectedAnswers: sum((r) => r.unexpected.length),
    seconds: Math.round((Date.now() - started) / 1000),
  };
  console.log(`\ntotals: ${JSON.stringify(totals)}`);
  if (totals.missing > 0 || totals.unexpectedAnswers > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
