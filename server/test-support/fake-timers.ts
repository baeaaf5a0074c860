/**
 * A clock with timers that only move when a test says so. `advance` fires due timers in time
 * order, each at its own instant, and lets promises settle between them (one macrotask turn:
 * a flush, not a sleep).
 */
export function fakeTimers(start = Date.UTC(2026, 10, 21, 12, 0, 0)) {
  let now = start;
  let seq = 0;
  type Timer = { at: number; fn: () => void; order: number };
  const timers = new Map<number, Timer>();
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  const nextDue = (until: number) => {
    let best: [number, Timer] | null = null;
    for (const [id, t] of timers) if (t.at <= until && (!best || t.at < best[1].at || (t.at === best[1].at && t.order < best[1].order))) best = [id, t];
    return best;
  };
  return {
    now: () => now,
    setTimeout(fn: () => void, ms: number): unknown {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), fn, order: id });
      return id;
    },
    clearTimeout(handle: unknown): void {
      timers.delete(handle as number);
    },
    /** Moves the clock by `ms`, firing every timer due on the way. */
    async advance(ms: number): Promise<void> {
      const until = now + ms;
      await settle();
      for (let due = nextDue(until); due; due = nextDue(until)) {
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
        await settle();
      }
      now = until;
      await settle();
    },
    /** Lets pending promises settle without moving the clock. */
    settle,
    pending: () => timers.size,
  };
}
export type FakeTimers = ReturnType<typeof fakeTimers>;
