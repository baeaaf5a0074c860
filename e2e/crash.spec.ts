// Crash test: the real server is killed with SIGKILL during sustained ingest, at a random moment
// with requests in flight, and started again on the same data directory. Every event that was
// answered 202 must be in the database afterwards: an acknowledgement is a promise that the batch
// was committed. VIGIL_CRASH_ROUNDS sets the rounds (default 5); bench/crash.ts runs 20.
import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { seedAnalyst } from "./support/accounts";
import { crashRound, type CrashRoundResult } from "./support/crash";

const ROUNDS = Number(process.env.VIGIL_CRASH_ROUNDS ?? 5);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`VIGIL_CRASH_ROUNDS=${process.env.VIGIL_CRASH_ROUNDS}: use a whole number of rounds, at least 1`);

let vigil: VigilServer;
let key = "";
test.beforeAll(async () => {
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil));
});
test.afterAll(async () => {
  await vigil?.dispose();
});

test(`every event answered 202 survives kill -9 during ingest (${ROUNDS} rounds)`, async ({ request }) => {
  test.setTimeout(60_000 + ROUNDS * 30_000);
  const run = Date.now().toString(36);
  const results: CrashRoundResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const r = await crashRound(vigil, { key, round, run });
    results.push(r);
    console.log(
      `round ${round}: killed after ${r.killAfterMs} ms with ${r.inFlightAtKill} POSTs in flight; ${r.acknowledged} acknowledged, ${r.missing} missing, ${r.storedUnanswered} stored without an answer`,
    );
    expect(r.unexpected, `round ${round}: answers other than a whole 202`).toEqual([]);
    // the round has to have tested something: acknowledged events, and a kill that cut requests off
    expect(r.acknowledged, `round ${round}: nothing was acknowledged before the kill`).toBeGreaterThan(0);
    expect(r.inFlightAtKill, `round ${round}: no request was in flight at the kill`).toBeGreaterThan(0);
    expect(r.missingSample, `round ${round}: acknowledged events missing after the restart`).toEqual([]);
    expect(r.missing).toBe(0);
  }

  // the restarted server serves what survived, and takes new events
  const health = await request.get(`${vigil.url}/healthz`);
  expect(health.status()).toBe(200);
  const after = await request.post(`${vigil.url}/api/v1/events`, {
    data: [{ kind: "system", message: `after-crash-${run}` }],
    headers: { authorization: `Bearer ${key}` },
  });
  expect(after.status()).toBe(202);
  const listed = await request.get(`${vigil.url}/api/v1/events?kind=system&limit=1`, { headers: { authorization: `Bearer ${key}` } });
  expect(((await listed.json()) as { events: { message: string }[] }).events[0].message).toBe(`after-crash-${run}`);
  const total = results.reduce((n, r) => n + r.acknowledged, 0);
  console.log(`crash test: ${ROUNDS} rounds, ${total} acknowledged, ${results.reduce((n, r) => n + r.missing, 0)} missing`);
});
