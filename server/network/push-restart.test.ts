// A push check's last push survives a restart (kept in SQLite, checks.last_push_at): after a
// restart it is marked down when its deadline says, not an interval later, and a deadline that
// fell while Vigil was down neither fails it nor pages: the pusher gets a full interval again.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { createCore } from "../core";
import { personOf } from "../test-support/core";
import { fakeTimers } from "../test-support/fake-timers";
import { nodeInputSchema, nodePatchSchema } from "./definition";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const S = 1000;
const noc = personOf("noc");
const dirs: string[] = [];
const open: { handle: DatabaseHandle; core: ReturnType<typeof createCore> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.core.stopNetwork();
    o.handle.sqlite.close();
  }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Vigil on the database in `dir`, its time starting at `at` and moving only when the test says. */
function boot(dir: string, at: number) {
  const timers = fakeTimers(at);
  const handle = openDatabase(dir);
  const core = createCore(handle, { clock: timers, access: { secret: "test-secret-test-secret-test-secret-0123", publicUrl: "http://vigil.test:3000" }, network: { timers, configFile: null, watchConfig: false } });
  open.push({ handle, core });
  const results = () => handle.sqlite.prepare(`SELECT time, ok, error FROM heartbeats ORDER BY time, id`).all() as { time: number; ok: number; error: string | null }[];
  const incidents = () => core.incidentsSnapshot({ status: "all", limit: 10 }).incidents;
  return { timers, handle, core, results, incidents };
}

/** A node with one push check (every minute, 10 s grace, down at the first miss), pushed at T0; Vigil then stops at `stopAt`. */
async function pushedThenStopped(stopAt: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-push-"));
  dirs.push(dir);
  const first = boot(dir, T0);
  const made = first.core.createNode(nodeInputSchema.parse({ id: "backup-job", checks: [{ type: "push", interval: "1m", grace: "10s", failures_before_down: 1 }] }), noc);
  if (!made.ok) throw new Error(made.message);
  const token = made.value.push_tokens[0].token;
  await first.core.startNetwork();
  expect(first.core.recordPush(token, { ok: true })).toEqual({ node: "backup-job", check: "push" });
  await first.timers.advance(stopAt - T0);
  await first.core.stopNetwork();
  first.handle.sqlite.close();
  open.splice(open.indexOf(open.find((o) => o.handle === first.handle)!), 1);
  return { dir, token };
}

describe("a push check across a restart", () => {
  it("is marked down at its deadline from the last push before the restart, not an interval after the restart", async () => {
    // pushed at T0, Vigil restarted at T0 + 40 s: due at T0 + 70 s as before
    const { dir } = await pushedThenStopped(T0 + 30 * S);
    const again = boot(dir, T0 + 40 * S);
    await again.core.startNetwork();
    await again.timers.advance(29 * S);
    expect(again.results().filter((r) => !r.ok)).toEqual([]);
    await again.timers.advance(1 * S);
    expect(again.results().filter((r) => !r.ok)).toMatchObject([{ time: T0 + 70 * S, error: expect.stringMatching(/^no push within 1m10s .*last push at 2026-11-21T12:00:00.000Z/) }]);
    expect(again.core.probes.getByKey("backup-job")!.state.status).toBe("down");
  }, 30_000);

  it("does not fail or page for a deadline that fell while Vigil was down: the pusher gets a full interval and grace from the restart", async () => {
    // pushed at T0, Vigil down from T0 + 30 s to T0 + 10 min: the deadline (T0 + 70 s) passed unwatched
    const { dir, token } = await pushedThenStopped(T0 + 30 * S);
    const restart = T0 + 600 * S;
    const again = boot(dir, restart);
    await again.core.startNetwork();
    await again.timers.advance(30 * S);
    expect(again.core.recordPush(token, { ok: true })).not.toBeNull();
    await again.timers.advance(60 * S);
    expect(again.results().filter((r) => !r.ok)).toEqual([]);
    expect(again.incidents()).toEqual([]);
    expect(again.core.probes.getByKey("backup-job")!.state.status).toBe("up");
    // and the push after the restart is kept: silent from here, it is due interval + grace after it
    await again.timers.advance(restart + 100 * S - again.timers.now());
    expect(again.results().filter((r) => !r.ok).map((r) => r.time)).toEqual([restart + 100 * S]);
  }, 30_000);

  it("keeps its deadline when its node is redefined (a PATCH reinstalls its checks)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-push-"));
    dirs.push(dir);
    const { core, timers, results } = boot(dir, T0);
    const made = core.createNode(nodeInputSchema.parse({ id: "backup-job", checks: [{ type: "push", interval: "1m", grace: "10s", failures_before_down: 1 }] }), noc);
    if (!made.ok) throw new Error(made.message);
    await core.startNetwork();
    core.recordPush(made.value.push_tokens[0].token, { ok: true });
    await timers.advance(30 * S);
    const patched = core.updateNode(made.value.node.id, nodePatchSchema.parse({ name: "Nightly backup" }), noc);
    expect(patched.ok).toBe(true);
    await timers.advance(40 * S);
    expect(results().filter((r) => !r.ok).map((r) => r.time)).toEqual([T0 + 70 * S]);
  }, 30_000);
});
