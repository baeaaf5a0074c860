import { createHash, randomBytes } from "node:crypto";
import { formatDuration } from "../duration";
import { downResult, upResult, type CheckDetails, type CheckResult } from "./check";
import { PUSH_TOKEN } from "./spec";

/** A new secret for a push URL: 32 random bytes, base64url (43 characters). */
export function newPushToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What a cron job or agent may say when it pushes (as Uptime Kuma's push URL: status, msg, ping). */
export interface PushInput {
  ok?: boolean;
  latency_ms?: number;
  message?: string;
}

export interface PushSettings {
  token: string;
  interval_ms: number;
  grace_ms: number;
}

/**
 * A push check has no runner: the target calls in. It is late once no push arrived within
 * interval + grace of the last one (or of `since`, when it was added); each further interval
 * without a push is one more failure, so failures_before_down counts missed intervals.
 *
 * Watched again from `since` (a restart, a redefinition) with its stored last push, it keeps that
 * deadline when it is still ahead; one that fell while nobody was watching (Vigil was down, and
 * a push then may have been refused) gives the pusher a full interval + grace from `since`, so
 * the downtime is not counted against it.
 */
export class PushMonitor {
  readonly type = "push";
  private lastPushAt: number | null = null;
  private lastMissAt: number | null = null;

  constructor(
    readonly id: string,
    readonly settings: PushSettings,
    private readonly since: number,
    lastPushAt: number | null = null,
  ) {
    if (!PUSH_TOKEN.test(settings.token)) throw new Error(`push check ${id}: the token must be 16-128 characters of letters, digits, _ and -`);
    this.lastPushAt = lastPushAt;
  }

  get lastPush(): number | null {
    return this.lastPushAt;
  }

  /** When the absence of a push next counts as a failure. */
  dueAt(): number {
    if (this.lastMissAt !== null) return this.lastMissAt + this.settings.interval_ms;
    const { interval_ms, grace_ms } = this.settings;
    if (this.lastPushAt !== null && this.lastPushAt + interval_ms + grace_ms >= this.since) return this.lastPushAt + interval_ms + grace_ms;
    return this.since + interval_ms + grace_ms;
  }

  /** A push arrived at `at`: its result (down when the pusher says it failed). */
  record(at: number, input: PushInput = {}): CheckResult {
    if (this.lastPushAt === null || at >= this.lastPushAt) {
      this.lastPushAt = at;
      this.lastMissAt = null;
    }
    const latency = input.latency_ms ?? null;
    const details: CheckDetails = input.message === undefined ? {} : { message: input.message.slice(0, 1024) };
    return input.ok === false ? downResult(input.message ? `the pusher reported a failure: ${input.message.slice(0, 300)}` : "the pusher reported a failure", latency, details) : upResult(latency, details);
  }

  /** No push by `dueAt()`: the failing result, and the next interval starts at `at`. */
  miss(at: number): CheckResult {
    const { interval_ms, grace_ms } = this.settings;
    const last = this.lastPushAt === null ? "no push yet" : `last push at ${new Date(this.lastPushAt).toISOString()}`;
    this.lastMissAt = at;
    return downResult(`no push within ${formatDuration(interval_ms + grace_ms)} (interval ${formatDuration(interval_ms)} + grace ${formatDuration(grace_ms)}); ${last}`, null, {
      last_push_at: this.lastPushAt === null ? null : new Date(this.lastPushAt).toISOString(),
    });
  }
}

/** Push checks by token. Tokens are held as their SHA-256, so a lookup compares no secret text. */
export class PushRegistry {
  private readonly byHash = new Map<string, PushMonitor>();
  private readonly hashById = new Map<string, string>();

  add(monitor: PushMonitor): void {
    this.remove(monitor.id);
    const hash = tokenHash(monitor.settings.token);
    const other = this.byHash.get(hash);
    if (other) throw new Error(`push check ${monitor.id}: its token is already used by ${other.id}`);
    this.byHash.set(hash, monitor);
    this.hashById.set(monitor.id, hash);
  }

  remove(id: string): void {
    const hash = this.hashById.get(id);
    if (hash === undefined) return;
    this.byHash.delete(hash);
    this.hashById.delete(id);
  }

  get(id: string): PushMonitor | undefined {
    const hash = this.hashById.get(id);
    return hash === undefined ? undefined : this.byHash.get(hash);
  }

  /** The check a token belongs to, or undefined for an unknown token. */
  byToken(token: string): PushMonitor | undefined {
    return PUSH_TOKEN.test(token) ? this.byHash.get(tokenHash(token)) : undefined;
  }

  /** Records a push: the check and its result, or null when no check has this token. */
  recordPush(token: string, at: number, input?: PushInput): { monitor: PushMonitor; result: CheckResult } | null {
    const monitor = this.byToken(token);
    return monitor ? { monitor, result: monitor.record(at, input) } : null;
  }
}

function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
