import type { Clock } from "../clock";

export interface ThrottleOptions {
  /** failures per account within the window before the account is locked */
  accountFailures?: number;
  /** failures per source address within the window before the address is locked */
  addressFailures?: number;
  windowMs?: number;
  lockMs?: number;
  maxTracked?: number;
}

interface Counter {
  failures: number[];
  lockedUntil: number;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number; reason: "account" | "address" };

/**
 * Sign-in throttling per account and per source address: too many failures within the window
 * lock that account (or address) for a while. A success clears the account's failures.
 */
export class SignInThrottle {
  private readonly accounts = new Map<string, Counter>();
  private readonly addresses = new Map<string, Counter>();
  private readonly accountFailures: number;
  private readonly addressFailures: number;
  private readonly windowMs: number;
  private readonly lockMs: number;
  private readonly maxTracked: number;

  constructor(
    private readonly clock: Clock,
    options: ThrottleOptions = {},
  ) {
    this.accountFailures = options.accountFailures ?? 5;
    this.addressFailures = options.addressFailures ?? 20;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.lockMs = options.lockMs ?? 15 * 60_000;
    this.maxTracked = options.maxTracked ?? 10_000;
  }

  check(account: string | null, address: string | null): ThrottleVerdict {
    const now = this.clock.now();
    for (const [reason, map, key] of [
      ["account", this.accounts, account?.toLowerCase()],
      ["address", this.addresses, address],
    ] as const) {
      const c = key ? map.get(key) : undefined;
      if (c && c.lockedUntil > now) return { allowed: false, retryAfterMs: c.lockedUntil - now, reason };
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
    if (account) this.bump(this.accounts, account.toLowerCase(), this.accountFailures);
    if (address) this.bump(this.addresses, address, this.addressFailures);
  }

  succeed(account: string | null, address: string | null = null): void {
    if (account) this.accounts.delete(account.toLowerCase());
    const c = address ? this.addresses.get(address) : undefined;
    if (c) c.failures.pop();
  }

  /** Drops the oldest entry that is not locked: flooding the table must not lift a lock. */
  private evict(map: Map<string, Counter>, now: number): void {
    for (const [key, c] of map) {
      if (c.lockedUntil <= now) {
        map.delete(key);
        return;
      }
    }
  }

  private bump(map: Map<string, Counter>, key: string, limit: number): void {
    const now = this.clock.now();
    let c = map.get(key);
    if (!c) {
      if (map.size >= this.maxTracked) this.evict(map, now);
      c = { failures: [], lockedUntil: 0 };
      map.set(key, c);
    }
    c.failures = c.failures.filter((t) => t > now - this.windowMs);
    c.failures.push(now);
    if (c.failures.length >= limit) {
      c.lockedUntil = now + this.lockMs;
      c.failures = [];
    }
  }
}

export function describeLock(v: Extract<ThrottleVerdict, { allowed: false }>): string {
  const minutes = Math.max(1, Math.ceil(v.retryAfterMs / 60_000));
  return v.reason === "account"
    ? `Too many failed sign-ins for this account. It is locked for ${minutes} more minute${minutes === 1 ? "" : "s"}.`
    : `Too many failed sign-ins from your address. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
