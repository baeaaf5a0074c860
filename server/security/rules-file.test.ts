import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { watchConfigFile, type ConfigWatch } from "../network/config";
import { testCore } from "../test-support/core";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function rulesFile(text: string | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-rules-"));
  dirs.push(dir);
  const file = path.join(dir, "rules.yaml");
  if (text !== null) fs.writeFileSync(file, text);
  return file;
}

/** A core reading `file`, with a manual clock; `failures(n, ip)` sends n sshd failures from one address, a second apart. */
function setup(file: string, watchRules: ConfigWatch | false = false) {
  const t = testCore({ rulesFile: file, watchRules });
  let at = t.clock.now() - 3_600_000;
  const stamp = () => new Date((at += 1000)).toISOString();
  const ingest = (lines: string[]) => t.core.ingestLog("syslog", new TextEncoder().encode(lines.join("\n")), "text/plain");
  const failures = (n: number, ip: string) => ingest(Array.from({ length: n }, (_, i) => `${stamp()} bastion sshd[${9000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`));
  const su = (n: number) => ingest(Array.from({ length: n }, () => `${stamp()} web-1 su: pam_unix(su:auth): authentication failure; logname=bob uid=1000 euid=0 tty=pts/0 ruser=bob rhost=  user=root`));
  const open = (rule: string) => t.core.incidentsSnapshot({ status: "active", limit: 100 }).incidents.filter((i) => i.rule === rule);
  return { ...t, failures, su, open };
}

describe("the rules file (VIGIL_RULES)", () => {
  it("applies before the first batch: a lowered threshold opens an incident the defaults would not", () => {
    const t = setup(rulesFile("privilege_escalation: { failures: 3, window: 2m }\n"));
    expect(t.core.rulesFileStatus()).toMatchObject({ rules: ["privilege_escalation"], problems: [] });
    t.su(3);
    const [incident] = t.open("privilege_escalation");
    expect(incident).toMatchObject({ entity: "su:web-1:root:bob" });
    expect(incident.explanation).toContain("threshold 3 in 120 s");

    const defaults = setup(rulesFile(null).replace(/rules\.yaml$/, "none.yaml"));
    defaults.su(3);
    expect(defaults.open("privilege_escalation")).toEqual([]);
  });

  it("reloads without a restart: a changed threshold takes effect; rules it does not change keep their windows", () => {
    const file = rulesFile("brute_force: { failures: 8 }\n");
    const t = setup(file);
    t.failures(5, "198.51.100.7"); // under 8: nothing yet, but remembered by brute_force's window
    t.su(2);
    expect(t.open("brute_force")).toEqual([]);
    expect(t.open("privilege_escalation")).toEqual([]);

    fs.writeFileSync(file, "brute_force: { failures: 8 }\nprivilege_escalation: { failures: 3 }\n");
    expect(t.core.reloadRulesFile()).toMatchObject({ rules: ["brute_force", "privilege_escalation"], rebuilt: ["privilege_escalation"], problems: [] });
    // brute_force kept its 5 failures: 3 more make 8
    t.failures(3, "198.51.100.7");
    expect(t.open("brute_force")).toHaveLength(1);
    // privilege_escalation starts afresh at its new threshold: the 2 failures before the change do not count
    t.su(2);
    expect(t.open("privilege_escalation")).toEqual([]);
    t.su(1);
    expect(t.open("privilege_escalation")).toHaveLength(1);
  });

  it("keeps the last good rules when a changed file has problems, and says where", () => {
    const file = rulesFile("brute_force: { failures: 3 }\n");
    const t = setup(file);
    fs.writeFileSync(file, "brute_force:\n  failures: 3\n  windw: 5m\n");
    const status = t.core.reloadRulesFile();
    expect(status.rules).toEqual(["brute_force"]);
    expect(status.problems).toEqual([{ file, line: 3, col: 3, message: 'brute_force: unknown setting "windw" (settings: failures, window, reorder)' }]);
    t.failures(3, "203.0.113.40");
    expect(t.open("brute_force")).toHaveLength(1);
  });

  it("runs every rule at its defaults when the file is bad or missing at start", () => {
    const bad = setup(rulesFile("brute_force: { failures: -1 }\n"));
    expect(bad.core.rulesFileStatus()).toMatchObject({ applied_at: null, problems: [{ line: 1, col: 26, message: "brute_force.failures: must be at least 1" }] });
    bad.failures(7, "203.0.113.41");
    expect(bad.open("brute_force")).toEqual([]);
    bad.failures(1, "203.0.113.41");
    expect(bad.open("brute_force")).toHaveLength(1);

    const missing = setup(path.join(rulesFile(null), "..", "absent.yaml"));
    expect(missing.core.rulesFileStatus().problems[0].message).toMatch(/missing/);
  });

  it("applies a change the file watcher sees", async () => {
    const file = rulesFile("privilege_escalation: { failures: 7 }\n");
    let changed!: () => void;
    const seen = new Promise<void>((resolve) => (changed = resolve));
    // the real fs watcher; resolves once the reload it triggers has run
    const watch: ConfigWatch = (f, onChange) => watchConfigFile(20)(f, async () => {
      await onChange();
      changed();
    });
    const t = setup(file, watch);
    t.core.watchRulesFile();
    try {
      fs.writeFileSync(file, "privilege_escalation: { failures: 2 }\n");
      await seen;
      expect(t.core.rulesFileStatus()).toMatchObject({ rebuilt: ["privilege_escalation"], problems: [] });
      t.su(2);
      expect(t.open("privilege_escalation")).toHaveLength(1);
    } finally {
      t.core.stopRulesFile();
    }
  });
});
