import path from "node:path";
import Database from "better-sqlite3";
import type { VigilServer } from "./vigil";

/**
 * One crash round, shared by e2e/crash.spec.ts and bench/crash.ts: `writers` concurrent loops
 * POST NDJSON batches of uniquely marked events to /api/v1/events, the server is killed with
 * SIGKILL at a random moment while requests are in flight, then started again on the same data
 * directory, and every event that was answered 202 is looked up in the database file.
 */
export interface CrashRoundOptions {
  key: string;
  round: number;
  /** concurrent POST loops (default 6) */
  writers?: number;
  /** events per POST (default 100) */
  batch?: number;
  /** the kill lands uniformly in [minMs, maxMs] after the first acknowledgement (default 300-1500 ms) */
  killAfterMs?: [number, number];
  /** a tag in every marker so rounds of different runs never mix */
  run: string;
  random?: () => number;
}

export interface CrashRoundResult {
  round: number;
  killAfterMs: number;
  /** events in batches answered 202 with every item accepted */
  acknowledged: number;
  /** of those, not found after the restart: must be 0 */
  missing: number;
  missingSample: string[];
  /** POSTs still unanswered when the server died */
  inFlightAtKill: number;
  /** events stored although their POST got no answer (committed just before the kill): allowed */
  storedUnanswered: number;
  /** answers other than 202 (a rejected batch would hide a real failure) */
  unexpected: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function crashRound(vigil: VigilServer, o: CrashRoundOptions): Promise<CrashRoundResult> {
  const writers = o.writers ?? 6;
  const batch = o.batch ?? 100;
  const random = o.random ?? Math.random;
  const [lo, hi] = o.killAfterMs ?? [300, 1500];
  const killAfterMs = Math.round(lo + random() * (hi - lo));
  const prefix = `crash-${o.run}-r${o.round}-`;
  const acked: string[] = [];
  const unexpected: string[] = [];
  let inFlight = 0;
  let dead = false;

  const writer = async (w: number) => {
    for (let b = 0; !dead; b++) {
      const markers = Array.from({ length: batch }, (_, i) => `${prefix}w${w}-b${b}-i${i}`);
      const body = markers.map((message) => JSON.stringify({ kind: "system", severity: "info", message, attributes: { round: o.round, writer: w } })).join("\n");
      inFlight++;
      try {
        const res = await fetch(`${vigil.url}/api/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${o.key}`, "content-type": "application/x-ndjson" },
          body,
        });
        const text = await res.text();
        if (res.status === 202) {
          const answer = JSON.parse(text) as { accepted: number };
          if (answer.accepted === batch) acked.push(...markers);
          else unexpected.push(`202 with ${answer.accepted}/${batch} accepted: ${text.slice(0, 200)}`);
        } else {
          unexpected.push(`${res.status}: ${text.slice(0, 200)}`);
        }
      } catch {
        // the connection died with the server: this batch's outcome is unknown, so it is not counted
        if (!dead) await sleep(5);
      } finally {
        inFlight--;
      }
    }
  };

  const loops = Array.from({ length: writers }, (_, w) => writer(w));
  // the clock starts at the first acknowledgement, so a cold route after a restart still gets a real round
  const deadline = Date.now() + 30_000;
  while (acked.length === 0 && unexpected.length === 0 && Date.now() < deadline) await sleep(10);
  await sleep(killAfterMs);
  const inFlightAtKill = inFlight;
  await vigil.kill("SIGKILL");
  dead = true;
  await Promise.all(loops);
  await vigil.restart();

  // the server is up again on the same file; WAL mode lets another process read it meanwhile
  const db = new Database(path.join(vigil.dataDir, "vigil.db"), { readonly: true, fileMustExist: true });
  let stored: Set<string>;
  try {
    const rows = db.prepare(`SELECT message FROM security_events WHERE message >= ? AND message < ?`).all(prefix, `${prefix}\uffff`) as { message: string }[];
    stored = new Set(rows.map((r) => r.message));
  } finally {
    db.close();
  }
  const missing = acked.filter((m) => !stored.has(m));
  const ackedSet = new Set(acked);
  return {
    round: o.round,
    killAfterMs,
    acknowledged: acked.length,
    missing: missing.length,
    missingSample: missing.slice(0, 5),
    inFlightAtKill,
    storedUnanswered: [...stored].filter((m) => !ackedSet.has(m)).length,
    unexpected,
  };
}
