import { createHash } from "node:crypto";

/**
 * The audit chain's rule, written ONCE as plain JavaScript text: the main thread compiles it
 * below, and the verification worker (a thread started from a code string, because the
 * production server is a bundle and a worker file path would not survive bundling) runs the
 * very same text. It expects `createHash` (node:crypto) in scope and needs nothing else.
 *
 * entryHash: sha256 over the JSON array of every stored field but the hash, in a fixed order.
 * chainWalker: checks rows in id order from a known-good start, names the first that fails.
 */
export const CHAIN_RULE_JS = String.raw`
const GENESIS = "0".repeat(64);

function entryHash(e) {
  const canonical = JSON.stringify([e.id, e.time, e.actor, e.action, e.target, e.sourceIp, e.before, e.after, e.prevHash]);
  return createHash("sha256").update(canonical).digest("hex");
}

// start: { id, hash } of the entry just before the first row checked (0 and GENESIS from the top).
// anchor: a checkpoint { id, hash } verified earlier, or null; the chain must still reach it
// with the same hash, so a truncated or wholly rewritten log does not pass.
function chainWalker(start, anchor) {
  let prev = start.hash;
  let expectedId = start.id + 1;
  let count = 0;
  let broken = null;
  return {
    check(rows) {
      for (const r of rows) {
        if (broken) break;
        count += 1;
        if (r.id !== expectedId) broken = { brokenId: expectedId, reason: "entry " + expectedId + " is missing" };
        else if (r.prevHash !== prev) broken = { brokenId: r.id, reason: "entry " + r.id + " does not link to entry " + (r.id - 1) };
        else if (entryHash(r) !== r.hash) broken = { brokenId: r.id, reason: "entry " + r.id + " was altered: its hash does not match its contents" };
        else if (anchor && r.id === anchor.id && r.hash !== anchor.hash)
          broken = { brokenId: r.id, reason: "entry " + r.id + " differs from the one verified earlier: the log was rewritten" };
        else {
          prev = r.hash;
          expectedId += 1;
        }
      }
      return !broken;
    },
    // the last entry that passed
    at() {
      return { id: expectedId - 1, hash: prev };
    },
    result() {
      const last = expectedId - 1;
      if (!broken && anchor && last < anchor.id)
        broken = { brokenId: last + 1, reason: "entry " + (last + 1) + " is missing: the log ends at entry " + last + " but was verified through entry " + anchor.id };
      return broken ? { ok: false, entries: count, brokenId: broken.brokenId, reason: broken.reason } : { ok: true, entries: count, last: { id: last, hash: prev } };
    },
  };
}
`;

/** The columns the rule reads, named as the rule names them. */
export const CHAIN_COLUMNS = "id, time, actor, action, target, source_ip AS sourceIp, before, after, prev_hash AS prevHash, hash";

export interface ChainRow {
  id: number;
  time: number;
  actor: string;
  action: string;
  target: string | null;
  sourceIp: string | null;
  before: string | null;
  after: string | null;
  prevHash: string;
  hash?: string;
}

export interface ChainPoint {
  id: number;
  hash: string;
}

export type WalkResult = { ok: true; entries: number; last: ChainPoint } | { ok: false; entries: number; brokenId: number; reason: string };

export interface ChainWalker {
  /** checks the next rows (id order); false once the chain is broken */
  check(rows: readonly ChainRow[]): boolean;
  /** the last entry that passed (the start when none has) */
  at(): ChainPoint;
  result(): WalkResult;
}

const rule = new Function("createHash", `${CHAIN_RULE_JS}\nreturn { GENESIS, entryHash, chainWalker };`)(createHash) as {
  GENESIS: string;
  entryHash: (e: ChainRow) => string;
  chainWalker: (start: ChainPoint, anchor: ChainPoint | null) => ChainWalker;
};

export const GENESIS: string = rule.GENESIS;

/** The hash of an entry: every stored field but the hash itself, in a fixed order. */
export const entryHash: (e: ChainRow) => string = rule.entryHash;

/** A walker over chain rows from `start` (the entry before the first row), checking `anchor` on the way. */
export const chainWalker: (start: ChainPoint, anchor: ChainPoint | null) => ChainWalker = rule.chainWalker;
