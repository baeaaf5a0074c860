import { describe, expect, it } from "vitest";
import { isBatch, isResync } from "./live";
import { batchSchema, resyncSchema } from "../live";

const good = { stream: "incidents", seq_from: 4, seq_to: 6, items: [{ type: "incident" }, {}, null] };

describe("isBatch (the browser's check of a batch, without zod)", () => {
  it("a good batch passes, with extra fields or no items", () => {
    expect(isBatch(good)).toBe(true);
    expect(isBatch({ ...good, extra: 1 })).toBe(true);
    expect(isBatch({ ...good, items: [] })).toBe(true);
  });

  it.each([
    ["no object", null],
    ["a string", JSON.stringify(good)],
    ["an array", [good]],
    ["an unknown stream", { ...good, stream: "metrics" }],
    ["no stream", { ...good, stream: undefined }],
    ["seq_from 0", { ...good, seq_from: 0 }],
    ["a negative seq_to", { ...good, seq_to: -6 }],
    ["a fractional seq", { ...good, seq_to: 6.5 }],
    ["a seq past 2^53", { ...good, seq_to: 2 ** 53 }],
    ["a seq as a string", { ...good, seq_from: "4" }],
    ["NaN", { ...good, seq_from: Number.NaN }],
    ["items not an array", { ...good, items: { 0: {} } }],
    ["no items", { ...good, items: undefined }],
  ])("a malformed batch is refused: %s", (_, raw) => {
    expect(isBatch(raw)).toBe(false);
  });
});

describe("isResync (the browser's check of a resync order)", () => {
  it("a known stream with a reason passes", () => {
    expect(isResync({ stream: "network", reason: "epoch changed" })).toBe(true);
  });

  it.each([
    ["no reason", { stream: "network" }],
    ["a reason that is no string", { stream: "network", reason: 3 }],
    ["an unknown stream", { stream: "nodes", reason: "x" }],
    ["no object", "resync"],
  ])("a malformed order is refused: %s", (_, raw) => {
    expect(isResync(raw)).toBe(false);
  });
});

describe("the guards agree with the schemas the wire shape is written in", () => {
  const batches: unknown[] = [good, { ...good, extra: 1 }, null, [good], { ...good, stream: "metrics" }, { ...good, seq_from: 0 }, { ...good, seq_to: 6.5 }, { ...good, seq_to: 2 ** 53 }, { ...good, seq_from: "4" }, { ...good, items: {} }, { ...good, items: undefined }, { ...good, seq_from: Infinity }];
  const resyncs: unknown[] = [{ stream: "security", reason: "" }, { stream: "security" }, { stream: "x", reason: "y" }, { stream: "incidents", reason: null }, [], 7];

  it.each(batches.map((raw) => [JSON.stringify(raw) ?? String(raw), raw]))("batch %s", (_, raw) => {
    expect(isBatch(raw)).toBe(batchSchema.safeParse(raw).success);
  });
  it.each(resyncs.map((raw) => [JSON.stringify(raw), raw]))("resync %s", (_, raw) => {
    expect(isResync(raw)).toBe(resyncSchema.safeParse(raw).success);
  });
});
