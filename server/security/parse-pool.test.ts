import { afterEach, describe, expect, it } from "vitest";
import { BodyError } from "../ingest/body";
import { parseUpload } from "./formats";
import { ParsePool } from "./parse-pool";

const ctx = { now: Date.parse("2026-11-30T12:00:00Z"), timeZone: "UTC" };
const EVE = [
  `{"timestamp":"2026-11-30T11:59:00.000000+0000","event_type":"alert","src_ip":"203.0.113.5","src_port":4242,"dest_ip":"10.0.0.5","dest_port":22,"proto":"TCP","alert":{"signature_id":2001219,"signature":"ET SCAN Potential SSH Scan","category":"Attempted Information Leak","severity":2}}`,
  `{"timestamp":"2026-11-30T11:59:01.000000+0000","event_type":"dns","src_ip":"10.0.0.9","dest_ip":"10.0.0.53"}`,
  `{"truncated":`,
].join("\n");

let pool: ParsePool | null = null;
afterEach(async () => {
  await pool?.stop();
  pool = null;
});

// a worker loads the parsers through tsx: seconds on a loaded machine
describe("ParsePool: uploads parsed on a worker thread", { timeout: 60_000 }, () => {
  it("gives the same outcomes, line by line, as parsing in place", async () => {
    pool = new ParsePool();
    const bytes = Buffer.from(EVE);
    const offThread = await pool.parse("suricata", bytes, "text/plain", ctx);
    expect(offThread).toEqual(parseUpload("suricata", bytes, "text/plain", ctx));
    expect(offThread.map((o) => o.outcome.status)).toEqual(["event", "skipped", "rejected"]);
  });

  it("refuses a request as parsing in place does: the same BodyError, status and code", async () => {
    pool = new ParsePool();
    const refusal = await pool.parse("suricata", Buffer.from(EVE), "image/png", ctx).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(BodyError);
    expect(refusal).toMatchObject({ status: 415 });
    let inPlace: unknown;
    try {
      parseUpload("suricata", Buffer.from(EVE), "image/png", ctx);
    } catch (e) {
      inPlace = e;
    }
    expect(refusal).toMatchObject({ status: (inPlace as BodyError).status, code: (inPlace as BodyError).code, message: (inPlace as BodyError).message });
    const empty = await pool.parse("syslog", Buffer.from(""), "text/plain", ctx).catch((e: unknown) => e);
    expect(empty).toMatchObject({ status: 400, code: "empty_body" });
  });

  it("answers every one of many concurrent uploads with its own outcomes", async () => {
    pool = new ParsePool();
    const uploads = Array.from({ length: 7 }, (_, i) => `<38>Nov 30 11:5${i}:00 bastion sshd[${i}]: Failed password for root from 203.0.113.${i} port 22 ssh2`);
    const answers = await Promise.all(uploads.map((line) => pool!.parse("syslog", Buffer.from(line), "text/plain", ctx)));
    expect(answers.map((a) => (a[0].outcome.status === "event" ? a[0].outcome.event.src_ip : null))).toEqual(uploads.map((_, i) => `203.0.113.${i}`));
  });

  it("fails the uploads a dying worker held, then parses the next on a new worker", async () => {
    pool = new ParsePool();
    await pool.parse("syslog", Buffer.from("x"), "text/plain", ctx);
    const worker = (pool as unknown as { worker: { terminate(): Promise<number> } }).worker;
    // an upload the worker takes seconds over, so it is surely still held when the worker dies
    // (three lines were sometimes parsed and answered before terminate() took effect)
    const held = pool.parse("suricata", Buffer.from(EVE.repeat(50_000)), "text/plain", ctx);
    await worker.terminate();
    await expect(held).rejects.toThrow(/exited/);
    const next = await pool.parse("suricata", Buffer.from(EVE), "text/plain", ctx);
    expect(next).toHaveLength(3);
  });

  it("refuses work once stopped", async () => {
    pool = new ParsePool();
    await pool.stop();
    await expect(pool.parse("syslog", Buffer.from("x"), "text/plain", ctx)).rejects.toThrow(/stopped/);
  });
});
