// The scheduler with real checks and real timers against a local target that accepts and never
// answers: runs time out, the next ones are skipped while one is in flight, nothing piles up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpCheck } from "./checks/http";
import { httpCheckSchema } from "./checks/spec";
import { silentTcpServer } from "./checks/test-servers";
import { CheckScheduler, type CheckRun } from "./scheduler";

let target: Awaited<ReturnType<typeof silentTcpServer>>;
beforeAll(async () => {
  target = await silentTcpServer();
});
afterAll(() => target.close());

describe("scheduler with real HTTP checks against a hanging target", () => {
  it("answers each run at its timeout and never holds two connections for one check", async () => {
    const runs: CheckRun[] = [];
    let done = () => {};
    const threeResults = new Promise<void>((resolve) => (done = resolve));
    const scheduler = new CheckScheduler({
      onResult: (r) => {
        runs.push(r);
        if (runs.length === 3) done();
      },
    });
    const check = httpCheck(httpCheckSchema.parse({ type: "http", url: `http://127.0.0.1:${target.port}/health` }));
    scheduler.add({ id: "hanging", interval_ms: 100, timeout_ms: 250, check });
    scheduler.start();
    await threeResults;
    await scheduler.stop();
    expect(runs.map((r) => r.result.error)).toEqual(["timed out after 250 ms", "timed out after 250 ms", "timed out after 250 ms"]);
    for (const r of runs) expect(r.finished_at - r.started_at).toBeGreaterThanOrEqual(249);
    const stats = scheduler.stats();
    expect(stats.skipped_running).toBeGreaterThanOrEqual(3);
    // one connection per run: the skipped slots opened none
    expect(target.accepted.length).toBeLessThanOrEqual(stats.runs);
    expect(stats.runs).toBeLessThanOrEqual(4);
  });
});
