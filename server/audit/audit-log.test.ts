import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { testCore } from "../test-support/core";
import { GENESIS } from "./audit-log";
// @ts-expect-error plain ESM helper shared with the browser specs
import { cliScript } from "../../scripts/cli-bundle.mjs";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..", "..");

function withEntries(n: number) {
  const { core, handle } = testCore();
  for (let i = 1; i <= n; i++) core.access.audit.append({ actor: `a${i}@bank.test`, action: "role_changed", target: `u${i}`, before: { role: "viewer" }, after: { role: "noc" } });
  return { audit: core.access.audit, sqlite: handle.sqlite };
}

describe("audit log", () => {
  it("chains every entry to the one before it", () => {
    const { audit } = withEntries(3);
    const [third, second, first] = audit.list({ limit: 10 });
    expect(first.prev_hash).toBe(GENESIS);
    expect(second.prev_hash).toBe(first.hash);
    expect(third.prev_hash).toBe(second.hash);
    expect(audit.verify()).toEqual({ ok: true, entries: 3 });
  });

  it("refuses updates and deletes at the database", () => {
    const { sqlite } = withEntries(1);
    expect(() => sqlite.prepare("UPDATE audit_log SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => sqlite.prepare("DELETE FROM audit_log").run()).toThrow(/append-only/);
  });

  it("names the first altered entry when someone with file access edits one", () => {
    const { audit, sqlite } = withEntries(5);
    sqlite.exec("DROP TRIGGER audit_log_no_update");
    sqlite.prepare(`UPDATE audit_log SET after = '{"role":"admin"}' WHERE id = 3`).run();
    expect(audit.verify()).toMatchObject({ ok: false, brokenId: 3, reason: expect.stringMatching(/entry 3 was altered/) });
  });

  it("names a deleted entry", () => {
    const { audit, sqlite } = withEntries(4);
    sqlite.exec("DROP TRIGGER audit_log_no_delete");
    sqlite.prepare("DELETE FROM audit_log WHERE id = 2").run();
    expect(audit.verify()).toMatchObject({ ok: false, brokenId: 2 });
  });

  it("filters by action, actor and text", () => {
    const { audit } = withEntries(3);
    audit.append({ actor: "ops@bank.test", action: "key_created", target: "key 9 (suricata)" });
    expect(audit.list({ action: "key_created", limit: 10 }).map((e) => e.actor)).toEqual(["ops@bank.test"]);
    expect(audit.list({ actor: "a2@bank.test", limit: 10 })).toHaveLength(1);
    expect(audit.list({ text: "suricata", limit: 10 })).toHaveLength(1);
  });
});

describe("npm run vigil -- audit verify", () => {
  it("passes on an intact log and names the broken entry after tampering", { timeout: 60_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-audit-"));
    const script = await cliScript();
    const cli = (...args: string[]) =>
      run(process.execPath, [script, ...args], { cwd: root, env: { ...process.env, VIGIL_DATA_DIR: dataDir } }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
    try {
      const create = run(process.execPath, [script, "user", "create", "--email", "ada@bank.test", "--role", "admin"], {
        cwd: root,
        env: { ...process.env, VIGIL_DATA_DIR: dataDir },
      });
      create.child.stdin!.end("correct horse battery\n");
      await create;
      expect(await cli("key", "create", "--owner", "ada@bank.test", "--scope", "read")).toMatchObject({ code: 0 });
      expect(await cli("audit", "verify")).toMatchObject({ code: 0, out: expect.stringContaining("intact: 2 entries") });

      const db = new Database(path.join(dataDir, "vigil.db"));
      db.exec("DROP TRIGGER audit_log_no_update");
      db.prepare("UPDATE audit_log SET actor = 'mallory@evil.example' WHERE id = 1").run();
      db.close();
      const verdict = await cli("audit", "verify");
      expect(verdict.code).toBe(1);
      expect(verdict.out).toMatch(/BROKEN at entry 1: entry 1 was altered/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
