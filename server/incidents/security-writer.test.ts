import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { getIncident } from "../../db/queries/incidents";
import { manualClock } from "../clock";
import type { SecurityDetection } from "../security/types";
import { IncidentService } from "./service";
import { EVIDENCE_CAP } from "./security-writer";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

const detection = (over: Partial<SecurityDetection> = {}): SecurityDetection => ({
  rule: "ids_campaign",
  entity: "2000001",
  title: "IDS campaign",
  severity: "medium",
  firstSeen: NOW - 60_000,
  lastSeen: NOW - 30_000,
  increment: 5,
  explanation: "5 alerts",
  mitre: null,
  evidence: [],
  details: { alerts: 5 },
  ...over,
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(dataDir = ":memory:") {
  const handle = openDatabase(dataDir);
  const clock = manualClock(NOW);
  return { handle, incidents: new IncidentService(handle.db, clock), clock };
}

const stored = (handle: DatabaseHandle, id: number) => getIncident(handle.db, id);
const links = (handle: DatabaseHandle, id: number) =>
  (handle.sqlite.prepare("SELECT count(*) AS n FROM incident_events WHERE incident_id = ?").get(id) as { n: number }).n;

describe("security incidents, grown without reading them back", () => {
  it("announces exactly the row it stored, when opening and on every grow", () => {
    const { handle, incidents } = setup();
    const opened = incidents.recordSecurityBatch([detection({ mitre: "T1190" })])[0];
    expect(opened).toEqual(stored(handle, opened.id));
    const grown = incidents.recordSecurityBatch([detection({ firstSeen: NOW - 600_000, lastSeen: NOW - 40_000, increment: 2, severity: "critical", explanation: "7 alerts", details: { alerts: 7 } })])[0];
    expect(grown).toEqual(stored(handle, opened.id));
    expect(grown).toMatchObject({ count: 7, first_seen: NOW - 600_000, last_seen: NOW - 30_000, severity: "critical", mitre: "T1190", explanation: "7 alerts", details: { alerts: 7 } });
    const again = incidents.recordSecurityBatch([detection({ severity: "low", lastSeen: NOW - 1_000 })])[0];
    expect(again).toEqual(stored(handle, opened.id));
    expect(again).toMatchObject({ severity: "critical", last_seen: NOW - 1_000 });
  });

  it("keeps growing an acknowledged incident with its new status and version, and opens a new one once it is resolved", () => {
    const { handle, incidents } = setup();
    const first = incidents.recordSecurityBatch([detection()])[0];
    expect(incidents.acknowledge(first.id, "ana").ok).toBe(true);
    const grown = incidents.recordSecurityBatch([detection()])[0];
    expect(grown).toEqual(stored(handle, first.id));
    expect(grown).toMatchObject({ id: first.id, status: "acknowledged", version: 2, acknowledged_by: "ana", count: 10 });
    expect(incidents.resolve(first.id, "ana").ok).toBe(true);
    const next = incidents.recordSecurityBatch([detection()])[0];
    expect(next.id).not.toBe(first.id);
    expect(next).toEqual(stored(handle, next.id));
    expect(stored(handle, first.id)).toMatchObject({ status: "resolved", count: 10 });
  });

  it("opens a new incident when another connection resolved the remembered one", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-writer-"));
    dirs.push(dir);
    const { handle, incidents } = setup(dir);
    const first = incidents.recordSecurityBatch([detection()])[0];
    const other = new Database(handle.file);
    other.prepare("UPDATE incidents SET status = 'resolved', version = version + 1 WHERE id = ?").run(first.id);
    other.close();
    const next = incidents.recordSecurityBatch([detection()])[0];
    expect(next.id).not.toBe(first.id);
    expect(stored(handle, first.id)).toMatchObject({ status: "resolved", count: 5 });
    handle.close();
  });

  it("reads an incident again after another connection changed it", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-writer-"));
    dirs.push(dir);
    const { handle, incidents } = setup(dir);
    const first = incidents.recordSecurityBatch([detection()])[0];
    const other = new Database(handle.file);
    other.prepare("UPDATE incidents SET count = count + 1000, title = 'renamed' WHERE id = ?").run(first.id);
    other.close();
    const grown = incidents.recordSecurityBatch([detection()])[0];
    expect(grown).toMatchObject({ id: first.id, count: 1010, title: "renamed" });
    expect(grown).toEqual(stored(handle, first.id));
    handle.close();
  });

  it("forgets what a rolled-back transaction grew", () => {
    const { handle, incidents } = setup();
    const first = incidents.recordSecurityBatch([detection()])[0];
    expect(() =>
      handle.sqlite.transaction(() => {
        incidents.recordSecurityBatch([detection({ increment: 100 })]);
        throw new Error("the batch failed after its detections");
      })(),
    ).toThrow("the batch failed");
    incidents.forgetActive();
    const grown = incidents.recordSecurityBatch([detection()])[0];
    expect(grown).toMatchObject({ id: first.id, count: 10 });
    expect(grown).toEqual(stored(handle, first.id));
  });

  it(`links the first ${EVIDENCE_CAP} evidence events across batches and no more, while the count stays true`, () => {
    const { handle, incidents } = setup();
    let id = 1;
    const evidence = (n: number) => Array.from({ length: n }, () => id++);
    const first = incidents.recordSecurityBatch([detection({ evidence: evidence(90) })])[0];
    incidents.recordSecurityBatch([detection({ evidence: evidence(90) })]);
    incidents.recordSecurityBatch([detection({ evidence: evidence(90) })]);
    const last = incidents.recordSecurityBatch([detection({ evidence: evidence(90) })])[0];
    expect(links(handle, first.id)).toBe(EVIDENCE_CAP);
    const linked = handle.sqlite.prepare("SELECT max(event_id) AS m FROM incident_events WHERE incident_id = ?").get(first.id) as { m: number };
    expect(linked.m).toBe(EVIDENCE_CAP);
    expect(last.count).toBe(20);
  });

  it(`links up to ${EVIDENCE_CAP} when some of a batch's evidence is linked already, as one link at a time would, for every incident of the batch`, () => {
    const { handle, incidents } = setup();
    const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
    const a = incidents.recordSecurityBatch([detection({ entity: "a", evidence: range(1, 100) }), detection({ entity: "b", evidence: range(1, 50) })]);
    incidents.recordSecurityBatch([detection({ entity: "a", evidence: range(101, 95) })]);
    // a has 195 links: 10 already linked, then 10 new (5 of them fit); b has 50: 20 already linked, then 30 new
    incidents.recordSecurityBatch([detection({ entity: "a", evidence: [...range(1, 10), ...range(500, 10)] }), detection({ entity: "b", evidence: [...range(1, 20), ...range(600, 30)] })]);
    const linked = (id: number) => (handle.sqlite.prepare("SELECT event_id FROM incident_events WHERE incident_id = ? ORDER BY event_id").pluck().all(id) as number[]);
    expect(linked(a[0].id)).toEqual([...range(1, 195), ...range(500, 5)]);
    expect(linked(a[1].id)).toEqual([...range(1, 50), ...range(600, 30)]);
  });

  it("counts the links an incident already has when it first meets it (after a restart)", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-writer-"));
    dirs.push(dir);
    const before = setup(dir);
    const first = before.incidents.recordSecurityBatch([detection({ evidence: Array.from({ length: 150 }, (_, i) => i + 1) })])[0];
    before.handle.close();
    const after = setup(dir);
    after.incidents.recordSecurityBatch([detection({ evidence: Array.from({ length: 100 }, (_, i) => i + 1000) })]);
    expect(links(after.handle, first.id)).toBe(EVIDENCE_CAP);
    after.handle.close();
  });

  it("writes one severity note per rise, and opens nothing for a report that adds nothing", () => {
    const { handle, incidents } = setup();
    expect(incidents.recordSecurityBatch([detection({ increment: 0 })])).toEqual([]);
    const first = incidents.recordSecurityBatch([detection()])[0];
    incidents.recordSecurityBatch([detection({ severity: "high" })]);
    incidents.recordSecurityBatch([detection({ severity: "high" })]);
    const notes = handle.sqlite.prepare("SELECT action, note FROM incident_timeline WHERE incident_id = ? ORDER BY id").all(first.id) as { action: string; note: string }[];
    expect(notes.map((n) => n.action)).toEqual(["opened", "note"]);
    expect(notes[1].note).toMatch(/^severity raised from medium to high/);
  });
});
