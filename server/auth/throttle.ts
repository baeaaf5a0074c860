import type Database from "better-sqlite3";
import type { Clock } from "../clock";

export interface ThrottleOptions {
  /** failures per account within the window before the account is locked */
  accountFailures?: number;
  /** failures per source address within the window before the address is locked */
  addressFailures?: number;
  windowMs?: number;
  lockMs?: number;
  /** rows per scope before expired and unlocked ones are evicted to make room */
  maxTracked?: number;
}

type Scope = "account" | "address";

interface Row {
  failures: string;
  locked_until: number;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number; reason: Scope };

/**
 * Sign-in throttling per account and per source address: too many failures within the window
 * lock that account (or address) for a while. A success clears the account's failures.
 *
 * Counters live in the `auth_throttle` table, so a restart does not lift a lock. The table is
 * bounded: a row is expired once its lock has ended and its newest failure left the window, and
 * expired rows are pruned; past `maxTracked` rows a scope also evicts its oldest unlocked row.
 * A locked row is never evicted (a flood of other names must not lift a lock), and each one
 * expires `lockMs` after it was set.
 */
export class SignInThrottle {
  private readonly limits: Record<Scope, number>;
  private readonly windowMs: number;
  private readonly lockMs: number;
  private readonly maxTracked: number;
  private lastPrune = 0;
  private readonly stmt;

  constructor(
    sqlite: Database.Database,
    private readonly clock: Clock,
    options: ThrottleOptions = {},
  ) {
    this.limits = { account: options.accountFailures ?? 5, address: options.addressFailures ?? 20 };
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.lockMs = options.lockMs ?? 15 * 60_000;
    this.maxTracked = options.maxTracked ?? 10_000;
    // expired: the lock is over and no failure is inside the window (failures are sorted ascending)
    const expired = "locked_until <= @now AND coalesce(json_extract(failures, '$[#-1]'), 0) <= @now - @window";
    this.stmt = {
      get: sqlite.prepare<[Scope, string], Row>("SELECT failures, locked_until FROM auth_throttle WHERE scope = ? AND key = ?"),
      put: sqlite.prepare(
        "INSERT INTO auth_throttle (scope, key, failures, locked_until) VALUES (@scope, @key, @failures, @lockedUntil) " +
          "ON CONFLICT (scope, key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until",
      ),
      remove: sqlite.prepare("DELETE FROM auth_throttle WHERE scope = ? AND key = ?"),
      count: sqlite.prepare<[Scope], { n: number }>("SELECT count(*) AS n FROM auth_throttle WHERE scope = ?"),
      pruneScope: sqlite.prepare(`DELETE FROM auth_throttle WHERE scope = @scope AND ${expired}`),
      pruneAll: sqlite.prepare(`DELETE FROM auth_throttle WHERE ${expired}`),
      evictOldestUnlocked: sqlite.prepare(
        "DELETE FROM auth_throttle WHERE rowid = (SELECT rowid FROM auth_throttle WHERE scope = @scope AND locked_until <= @now ORDER BY rowid LIMIT 1)",
      ),
    };
    this.fail = sqlite.transaction(this.fail.bind(this));
    this.succeed = sqlite.transaction(this.succeed.bind(this));
  }

  check(account: string | null, address: string | null): ThrottleVerdict {
    const now = this.clock.now();
    for (const [reason, key] of [
      ["account", account?.toLowerCase()],
      ["address", address],
    ] as const) {
      const row = key ? this.stmt.get.get(reason, key) : undefined;
      if (row && row.locked_until > now) return { allowed: false, retryAfterMs: row.locked_until - now, reason };
    }
    return { allowed: true };
  }

  /**
   * Checks, and if allowed counts the attempt as a failure straight away, so that a burst of
   * parallel guesses is throttled before any of them finishes hashing; `succeed` takes it back.
   */
  attempt(account: string | null, address: string | null): ThrottleVerdict {
    const verdict = this.check(account, address);
    if (verdict.allowed) this.fail(account, address);
    return verdict;
  }

  fail(account: string | null, address: string | null): void {
    const now = this.clock.now();
    if (now - this.lastPrune >= 60_000) {
      this.lastPrune = now;
      this.stmt.pruneAll.run({ now, window: this.windowMs });
    }
    if (account) this.bump("account", account.toLowerCase(), now);
    if (address) this.bump("address", address, now);
  }

  succeed(account: string | null, address: string | null = null): void {
    if (account) this.stmt.remove.run("account", account.toLowerCase());
    const row = address ? this.stmt.get.get("address", address) : undefined;
    if (address && row) {
      const failures = parseFailures(row.failures);
      failures.pop();
      this.stmt.put.run({ scope: "address", key: address, failures: JSON.stringify(failures), lockedUntil: row.locked_until });
    }
  }

  private bump(scope: Scope, key: string, now: number): void {
    const row = this.stmt.get.get(scope, key);
    if (!row) this.makeRoom(scope, now);
    let failures = (row ? parseFailures(row.failures) : []).filter((t) => t > now - this.windowMs);
    let lockedUntil = row?.locked_until ?? 0;
    failures.push(now);
    if (failures.length >= this.limits[scope]) {
      lockedUntil = now + this.lockMs;
      failures = [];
    }
    this.stmt.put.run({ scope, key, failures: JSON.stringify(failures), lockedUntil });
  }

  /** Before a new row: prune expired rows, then the oldest unlocked one, never a lock. */
  private makeRoom(scope: Scope, now: number): void {
    if (this.stmt.count.get(scope)!.n < this.maxTracked) return;
    this.stmt.pruneScope.run({ scope, now, window: this.windowMs });
    if (this.stmt.count.get(scope)!.n < this.maxTracked) return;
    this.stmt.evictOldestUnlocked.run({ scope, now });
  }
}

function parseFailures(json: string): number[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((t): t is number => typeof t === "number") : [];
  } catch {
    return [];
  }
}

export function describeLock(v: Extract<ThrottleVerdict, { allowed: false }>): string {
  const minutes = Math.max(1, Math.ceil(v.retryAfterMs / 60_000));
  return v.reason === "account"
    ? `Too many failed sign-ins for this account. It is locked for ${minutes} more minute${minutes === 1 ? "" : "s"}.`
    : `Too many failed sign-ins from your address. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
