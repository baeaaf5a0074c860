import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { manualClock } from "../clock";
import { AuditLog } from "./audit-log";
import { CHAIN_COLUMNS, entryHash, GENESIS, type ChainRow } from "./chain-rule";
import { PAGE_ROWS, verifyInWorker, type Progress } from "./full-run";

const handles: DatabaseHandle[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const h of handles.splice(0)) if (h.sqlite.open) h.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** An audit log on a real file (so the worker can open it) or in memory. */
function logOn(where: "file" | "memory") {
  let dir = ":memory:";
  if (where === "file") {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-chain-"));
    dirs.push(dir);
  }
  const handle = openDatabase(dir);
  handles.push(handle);
  const clock = manualClock(Date.UTC(2026, 10, 21, 12));
  return { audit: new AuditLog(handle.db, handle.sqlite, clock), sqlite: handle.sqlite, clock, file: handle.file };
}

function fill(audit: AuditLog, n: number) {
  for (let i = 1; i <= n; i++) audit.append({ actor: `a${i % 7}@bank.test`, action: "role_changed", target: `user ${i}`, after: { role: "noc", i } });
}

/** Fast bulk entries for the bigger cases: one transaction, prepared insert, chain kept by hand. */
function bulk(sqlite: DatabaseHandle["sqlite"], n: number) {
  const last = (sqlite.prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").get() as { id: number; hash: string } | undefined) ?? { id: 0, hash: GENESIS };
  const insert = sqlite.prepare(`INSERT INTO audit_log (${CHAIN_COLUMNS.replace(/ AS \w+/g, "")}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  sqlite.transaction(() => {
    let prev = last.hash;
    for (let id = last.id + 1; id <= last.id + n; id++) {
      const row: ChainRow = { id, time: 1_700_000_000_000 + id, actor: "bulk@bank.test", action: "sign_in", target: null, sourceIp: "192.0.2.1", before: null, after: `{"mfa":true}`, prevHash: prev };
      const hash = entryHash(row);
      insert.run(row.id, row.time, row.actor, row.action, row.target, row.sourceIp, row.before, row.after, row.prevHash, hash);
      prev = hash;
    }
  })();
}

function tamper(sqlite: DatabaseHandle["sqlite"], id: number) {
  sqlite.exec("DROP TRIGGER IF EXISTS audit_log_no_update");
  sqlite.prepare(`UPDATE audit_log SET after = '{"role":"admin"}' WHERE id = ?`).run(id);
}

describe("the hash rule", () => {
  it("is the one the stored chains were written with (a fixed vector)", () => {
    const row: ChainRow = { id: 1, time: 0, actor: "a", action: "b", target: null, sourceIp: null, before: null, after: null, prevHash: GENESIS };
    // sha256 of [1,0,"a","b",null,null,null,null,"000…0"]; changing the rule would orphan every stored log
    expect(entryHash(row)).toBe("9e36d7ab19edf02dbd1c4511f998c88199e47ceca40bc6716b9f39c9efe7cac0");
  });
});

describe("audit checkpoint", () => {
  it("advances with every append, in the same transaction", () => {
    const { audit, sqlite } = logOn("memory");
    fill(audit, 3);
    const newest = audit.list({ limit: 1 })[0];
    expect(audit.chainState()).toMatchObject({ head: 3, verified_through: 3, hash: newest.hash, broken: null });

    // a caller's transaction that fails takes the entry and the checkpoint move with it
    expect(() =>
      sqlite.transaction(() => {
        audit.append({ actor: "x@bank.test", action: "key_created" });
        throw new Error("rolled back");
      })(),
    ).toThrow("rolled back");
    expect(audit.chainState()).toMatchObject({ head: 3, verified_through: 3, hash: newest.hash });
  });

  it("catches up in slices with entries written while it was behind", async () => {
    const { audit, sqlite } = logOn("memory");
    fill(audit, 2);
    bulk(sqlite, 3 * PAGE_ROWS + 17); // written past the checkpoint, as another process could
    expect(audit.chainState().verified_through).toBe(2);
    const state = await audit.chain.settled();
    expect(state).toMatchObject({ head: 3 * PAGE_ROWS + 19, verified_through: 3 * PAGE_ROWS + 19, broken: null });
    // and from there on appends advance it again
    fill(audit, 1);
    expect(audit.chainState().verified_through).toBe(3 * PAGE_ROWS + 20);
  });

  it("stops at a bad entry past the checkpoint and has the full run store the verdict", async () => {
    const { audit, sqlite } = logOn("memory");
    fill(audit, 5);
    bulk(sqlite, 10);
    tamper(sqlite, 9);
    audit.chainState();
    const state = await audit.chain.settled();
    expect(state.verified_through).toBe(8);
    expect(state.broken).toEqual({ id: 9, reason: "entry 9 was altered: its hash does not match its contents" });
    expect(state.full).toMatchObject({ running: false, ok: false, broken_id: 9 });
  });
});

describe("full re-verification", () => {
  it("finds a tampered entry on the worker thread and names it", async () => {
    const { sqlite, file } = logOn("file");
    bulk(sqlite, 5_000);
    tamper(sqlite, 3_210);
    const result = await verifyInWorker(file, null, () => undefined);
    expect(result).toEqual({ ok: false, entries: 3_210, brokenId: 3_210, reason: "entry 3210 was altered: its hash does not match its contents" });
  });

  it("reports progress from 0 to the total, and stores the result in the checkpoint", async () => {
    const { audit, sqlite, file, clock } = logOn("file");
    fill(audit, 3);
    bulk(sqlite, 9_997);
    const seen: Progress[] = [];
    audit.chain.onProgress((p) => seen.push(p));
    clock.set(Date.UTC(2026, 10, 22));
    const first = audit.chain.startFull();
    expect(first.full).toMatchObject({ running: true, started_at: Date.UTC(2026, 10, 22) });
    const state = await audit.chain.whenDone();
    expect(seen[0]).toEqual({ checked: 0, total: 10_000 });
    expect(seen.at(-1)).toEqual({ checked: 10_000, total: 10_000 });
    for (let i = 1; i < seen.length; i++) expect(seen[i].checked).toBeGreaterThanOrEqual(seen[i - 1].checked);
    expect(state).toMatchObject({ verified_through: 10_000, broken: null, full: { running: false, progress: null, at: Date.UTC(2026, 10, 22), ok: true, entries: 10_000, error: null } });

    // stored: another connection (a restart) reads the same verdict
    const reopened = openDatabase(path.dirname(file));
    handles.push(reopened);
    expect(new AuditLog(reopened.db, reopened.sqlite, clock).chainState().full).toMatchObject({ ok: true, entries: 10_000, at: Date.UTC(2026, 10, 22) });
  });

  it("answers a second start with the running run instead of starting another", async () => {
    const { audit, sqlite } = logOn("file");
    bulk(sqlite, 20_000);
    const starts: Progress[] = [];
    audit.chain.onProgress((p) => p.checked === 0 && starts.push(p));
    const a = audit.chain.startFull();
    const b = audit.chain.startFull();
    expect(b.full.started_at).toBe(a.full.started_at);
    expect(b.full.running).toBe(true);
    await audit.chain.whenDone();
    expect(starts).toHaveLength(1);
  });

  it("records a break found by the worker in the checkpoint and the state", async () => {
    const { audit, sqlite } = logOn("file");
    fill(audit, 50);
    tamper(sqlite, 17);
    // appends go on: the checkpoint moves, but the full run sees the altered entry
    fill(audit, 2);
    audit.chain.startFull();
    const state = await audit.chain.whenDone();
    expect(state.broken).toEqual({ id: 17, reason: "entry 17 was altered: its hash does not match its contents" });
    expect(state.full).toMatchObject({ ok: false, broken_id: 17, entries: 17 });
  });

  it("refuses a log that no longer reaches its checkpoint (entries cut from the end)", async () => {
    const { audit, sqlite } = logOn("file");
    fill(audit, 20);
    sqlite.exec("DROP TRIGGER audit_log_no_delete");
    sqlite.prepare("DELETE FROM audit_log WHERE id > 17").run();
    expect(audit.verify()).toEqual({ ok: false, entries: 17, brokenId: 18, reason: "entry 18 is missing: the log ends at entry 17 but was verified through entry 20" });
    // the state says so at once, from the checkpoint alone
    expect(audit.chainState().broken).toEqual({ id: 18, reason: "entry 18 is missing: the log ends at entry 17 but was verified through entry 20" });
    audit.chain.startFull();
    expect((await audit.chain.whenDone()).broken).toMatchObject({ id: 18 });
  });

  it("refuses a log rewritten from the start with fresh hashes: it no longer matches its checkpoint", async () => {
    const { audit, sqlite } = logOn("file");
    fill(audit, 10);
    sqlite.exec("DROP TRIGGER audit_log_no_update");
    let prev = GENESIS;
    for (const row of sqlite.prepare(`SELECT ${CHAIN_COLUMNS} FROM audit_log ORDER BY id`).all() as ChainRow[]) {
      const forged = { ...row, actor: "mallory@evil.example", prevHash: prev };
      prev = entryHash(forged);
      sqlite.prepare("UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?").run(forged.actor, forged.prevHash, prev, row.id);
    }
    const rewritten = { id: 10, reason: "entry 10 differs from the one verified earlier: the log was rewritten" };
    expect(audit.chainState().broken).toEqual(rewritten);
    expect(audit.verify()).toMatchObject({ ok: false, brokenId: 10 });
    audit.chain.startFull();
    expect((await audit.chain.whenDone()).full).toMatchObject({ ok: false, broken_id: 10 });
  });

  it("says why a run could not finish, without calling the chain broken", async () => {
    const { audit, sqlite, file } = logOn("file");
    fill(audit, 5);
    fs.rmSync(path.dirname(file), { recursive: true, force: true }); // the open connection keeps working; the worker cannot open the file
    audit.chain.startFull();
    const state = await audit.chain.whenDone();
    expect(state.full).toMatchObject({ running: false, at: null, ok: null, error: expect.stringMatching(/unable to open|does not exist|SQLITE_CANTOPEN|directory/i) });
    expect(state.broken).toBeNull();
    expect(sqlite.open).toBe(true);
  });

  it("hands a long catch-up (an upgraded install) to the worker", async () => {
    const { audit, sqlite } = logOn("file");
    bulk(sqlite, 60_000);
    expect(audit.chainState().full.running).toBe(true);
    const state = await audit.chain.settled();
    expect(state).toMatchObject({ verified_through: 60_000, full: { ok: true, entries: 60_000 } });
  });

  it("runs in slices on this thread for an in-memory database", async () => {
    const { audit, sqlite } = logOn("memory");
    fill(audit, 3);
    bulk(sqlite, 2 * PAGE_ROWS);
    audit.chain.startFull();
    const state = await audit.chain.whenDone();
    expect(state.full).toMatchObject({ ok: true, entries: 2 * PAGE_ROWS + 3, error: null });
  });
});

describe("audit list pages", () => {
  it("walks the whole log with the cursor, without gaps or repeats", () => {
    const { audit, sqlite } = logOn("memory");
    bulk(sqlite, 1_234);
    const ids: number[] = [];
    let before: number | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = audit.page({ limit: 100, before });
      ids.push(...page.entries.map((e) => e.id));
      if (page.next_before === null) break;
      before = page.next_before;
    }
    expect(ids).toEqual(Array.from({ length: 1_234 }, (_, i) => 1_234 - i));
  });

  it("bounds a search to a window of entries per page and keeps the cursor going past empty windows", () => {
    const { sqlite, clock, audit: plain } = logOn("memory");
    const audit = new AuditLog(handles.at(-1)!.db, sqlite, clock, { scanWindow: 500 });
    bulk(sqlite, 1_000);
    plain.append({ actor: "ops@bank.test", action: "key_created", target: "key 9 (100%_sure)" });
    bulk(sqlite, 2_000);
    // newest first: 3,001..2,502 is the first window, no match; the match is entry 1,001
    const seen: number[] = [];
    let before: number | undefined;
    let pages = 0;
    for (;;) {
      const page = audit.page({ text: "100%_s", limit: 10, before });
      pages += 1;
      seen.push(...page.entries.map((e) => e.id));
      if (page.next_before === null) break;
      before = page.next_before;
    }
    expect(seen).toEqual([1_001]);
    expect(pages).toBe(Math.ceil(3_001 / 500));
    // % and _ are literal characters: "100_" does not match "100%_sure"
    expect(audit.page({ text: "100_", limit: 10, before: 1_002 }).entries).toEqual([]);
  });

  it("filters by a time range", () => {
    const { audit, sqlite } = logOn("memory");
    bulk(sqlite, 100); // entry n was written at 1_700_000_000_000 + n
    expect(audit.page({ since: 1_700_000_000_040, until: 1_700_000_000_042, limit: 10 }).entries.map((e) => e.id)).toEqual([42, 41, 40]);
  });

  it("reads every kind of page through the id or action index, never a scan of the table", () => {
    const { audit, sqlite } = logOn("memory");
    bulk(sqlite, 100);
    const seen: { sql: string; params: unknown[] }[] = [];
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((source: string) => {
      const stmt = prepare(source);
      if (!/from "audit_log"/i.test(source) || !/order by/i.test(source)) return stmt;
      const all = stmt.all.bind(stmt);
      return Object.assign(stmt, { all: (...params: unknown[]) => (seen.push({ sql: source, params }), all(...params)) });
    }) as typeof sqlite.prepare;
    for (const q of [{}, { before: 50 }, { action: "sign_in" }, { actor: "bulk@bank.test" }, { text: "mfa" }, { since: 0, until: 5 }, { action: "sign_in", actor: "x", before: 60 }]) audit.page({ ...q, limit: 10 });
    sqlite.prepare = prepare as typeof sqlite.prepare;
    expect(seen).toHaveLength(7);
    for (const { sql, params } of seen) {
      const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(" | ");
      expect(plan, sql).toMatch(/^SEARCH audit_log USING (INTEGER PRIMARY KEY|INDEX audit_log_action) \(.*rowid<\?\)$/);
    }
  });
});
