import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testCore } from "../test-support/core";
import { HOST, ORIGIN, signedIn } from "../test-support/people";
import { setCore } from "../registry";
import type { RouteHandler } from "../api/route";
import type { AuditChainState } from "../../lib/contracts/access";
import { EXPORT_PAGE } from "./audit-export";

const root = path.resolve(import.meta.dirname, "..", "..");
const { core } = testCore();
let cookie = "";
let list: RouteHandler;
let verify: { GET: RouteHandler; POST: RouteHandler };

beforeAll(async () => {
  setCore(core);
  cookie = (await signedIn(core, "admin@bank.test", "admin", { mfa: true })).cookie;
  for (let i = 0; i < 2 * EXPORT_PAGE + 300; i++) core.access.audit.append({ actor: `ops${i % 3}@bank.test`, action: "setting_changed", target: `=cmd|${i}`, after: { i } });
  list = (await import(path.join(root, "app/api/v1/audit/route.ts"))).GET as RouteHandler;
  verify = (await import(path.join(root, "app/api/v1/audit/verify/route.ts"))) as typeof verify;
});
afterAll(() => setCore(undefined));

const call = (route: RouteHandler, method: string, url: string) =>
  route(new Request(`http://${HOST}${url}`, { method, headers: { host: HOST, origin: ORIGIN, cookie, "content-type": "application/json" }, body: method === "POST" ? "{}" : undefined }));

describe("GET /api/v1/audit", () => {
  it("answers pages with the checkpoint's chain state and never walks the chain", async () => {
    const walk = vi.spyOn(core.access.audit, "verify");
    const full = vi.spyOn(core.access.audit.chain, "startFull");
    const res = await call(list, "GET", "/api/v1/audit?limit=50");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { entries: { id: number }[]; next_before: number | null; chain: AuditChainState };
    const head = body.chain.head;
    expect(body.entries.map((e) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => head - i));
    expect(body.next_before).toBe(head - 49);
    expect(body.chain).toMatchObject({ verified_through: head, broken: null });
    expect(walk).not.toHaveBeenCalled();
    expect(full).not.toHaveBeenCalled();
    walk.mockRestore();
    full.mockRestore();
  });

  it("continues from the cursor", async () => {
    const first = (await (await call(list, "GET", "/api/v1/audit?limit=5")).json()) as { entries: { id: number }[]; next_before: number };
    const second = (await (await call(list, "GET", `/api/v1/audit?limit=5&before=${first.next_before}`)).json()) as { entries: { id: number }[] };
    expect(second.entries[0].id).toBe(first.entries[4].id - 1);
  });

  it("refuses a cursor that is not a decimal id, an oversized JSON page, a date that does not exist and an unknown parameter, naming it", async () => {
    for (const bad of ["before=0x3", "before=3e0", "before=+3", "before=0", "limit=5000", "since=2026-02-30T00:00:00Z", "page=2"]) {
      const res = await call(list, "GET", `/api/v1/audit?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message, bad).toMatch(bad.split("=")[0]);
    }
  });

  it("streams a CSV export of every entry, page by page, formulas defused", async () => {
    const res = await call(list, "GET", "/api/v1/audit?format=csv&action=setting_changed");
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines).toHaveLength(1 + 2 * EXPORT_PAGE + 300);
    expect(lines[1]).toContain(`"'=cmd|${2 * EXPORT_PAGE + 299}"`);
    expect(lines.at(-1)).toContain(`"'=cmd|0"`);
  });

  it("caps an NDJSON export at limit", async () => {
    const res = await call(list, "GET", "/api/v1/audit?format=ndjson&limit=500&actor=ops1@bank.test");
    const rows = (await res.text()).trimEnd().split("\n").map((l) => JSON.parse(l) as { actor: string });
    expect(rows).toHaveLength(500); // of the 767 entries by that actor
    expect(new Set(rows.map((r) => r.actor))).toEqual(new Set(["ops1@bank.test"]));
  });
});

describe("POST /api/v1/audit/verify", () => {
  it("starts one full run (202), a second start joins it, and the result shows in the state", async () => {
    const starts: number[] = [];
    const stop = core.access.audit.chain.onProgress((p) => p.checked === 0 && starts.push(p.total));
    const started = await call(verify.POST, "POST", "/api/v1/audit/verify");
    expect(started.status).toBe(202);
    const a = ((await started.json()) as { chain: AuditChainState }).chain;
    const b = ((await (await call(verify.POST, "POST", "/api/v1/audit/verify")).json()) as { chain: AuditChainState }).chain;
    expect(a.full.running).toBe(true);
    expect(b.full.started_at).toBe(a.full.started_at);
    await core.access.audit.chain.whenDone();
    stop();
    expect(starts).toHaveLength(1);
    const after = ((await (await call(verify.GET, "GET", "/api/v1/audit/verify")).json()) as { chain: AuditChainState }).chain;
    expect(after.full).toMatchObject({ running: false, ok: true, entries: after.head });
  });
});
