import { describe, expect, it } from "vitest";
import { BodyError, checkContentType, parseBatchBody, readBodyText } from "./body";

const stream = (text: string) => new Blob([text]).stream();

describe("parseBatchBody", () => {
  it("reads a JSON array", () => {
    expect(parseBatchBody('[{"a":1},{"b":2}]').items).toEqual([{ a: 1 }, { b: 2 }]);
  });
  it("reads a single object as a batch of one", () => {
    expect(parseBatchBody('{"a":1}').items).toEqual([{ a: 1 }]);
  });
  it("reads NDJSON, ignoring blank lines and reporting a malformed line by index", () => {
    const r = parseBatchBody('{"a":1}\n\nnot json\n{"b":2}\n');
    expect(r.items).toHaveLength(3);
    expect(r.malformed).toEqual([{ index: 1, error: "line 2 is not valid JSON" }]);
  });
  it.each([
    ["an empty body", "  ", "empty_body"],
    ["a broken JSON document", '{"a":', "invalid_json"],
    ["a JSON scalar", "42", "invalid_body"],
    ["NDJSON where no line parses", "x\ny", "invalid_json"],
  ])("refuses %s with 400", (_name, body, code) => {
    expect(() => parseBatchBody(body)).toThrow(expect.objectContaining({ status: 400, code }));
  });
});

describe("readBodyText", () => {
  it("returns a body within the limit", async () => {
    expect(await readBodyText(stream("hello"), 10)).toBe("hello");
  });
  it("refuses a body over the limit with 413", async () => {
    await expect(readBodyText(stream("x".repeat(11)), 10)).rejects.toBeInstanceOf(BodyError);
    await expect(readBodyText(stream("x".repeat(11)), 10)).rejects.toMatchObject({ status: 413 });
  });
});

describe("bounded, strict batch bodies", () => {
  const limits = { maxItems: 5, maxLineBytes: 100, maxDepth: 4 };
  it("refuses an array with more items than the limit before parsing it (413)", () => {
    expect(() => parseBatchBody("[" + Array(6).fill("{}").join(",") + "]", limits)).toThrow(expect.objectContaining({ status: 413, code: "too_many_items" }));
    expect(() => parseBatchBody(Array(6).fill("{}").join("\n"), limits)).toThrow(expect.objectContaining({ status: 413, code: "too_many_items" }));
    expect(parseBatchBody("[" + Array(5).fill("{}").join(",") + "]", limits).items).toHaveLength(5);
  });
  it("names the true count in the 413, not the limit", () => {
    expect(() => parseBatchBody(Array(9).fill("{}").join("\n"), limits)).toThrow(/batch has 9 items; the limit is 5/);
  });
  it("refuses a body nested past the limit (400), and such an NDJSON line by index", () => {
    expect(() => parseBatchBody("[[[[[[1]]]]]]", limits)).toThrow(expect.objectContaining({ status: 400, code: "too_deep" }));
    expect(parseBatchBody('{"a":1}\n[[[[[[1]]]]]]', limits).malformed).toEqual([{ index: 1, error: "line 2 is nested deeper than 4 levels" }]);
  });
  it("does not count brackets inside strings as nesting", () => {
    expect(parseBatchBody('[{"a":"[[[[[[[[\\"]]]]"}]', limits).items).toEqual([{ a: '[[[[[[[["]]]]' }]);
  });
  it("rejects an NDJSON line over the line limit by index", () => {
    const r = parseBatchBody(`{"a":1}\n{"b":"${"x".repeat(200)}"}`, limits);
    expect(r.malformed).toEqual([{ index: 1, error: "line 2 is longer than 100 bytes" }]);
  });
  it("reports invalid UTF-8 by line instead of replacing it", () => {
    const body = Buffer.concat([Buffer.from('{"a":1}\n{"b":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"c":3}')]);
    const r = parseBatchBody(body);
    expect(r.items).toEqual([{ a: 1 }, undefined, { c: 3 }]);
    expect(r.malformed).toEqual([{ index: 1, error: "line 2 is not valid UTF-8" }]);
  });
  it("refuses a single document that is not valid UTF-8 (400)", () => {
    expect(() => parseBatchBody(Buffer.from([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]))).toThrow(expect.objectContaining({ status: 400, code: "invalid_utf8" }));
  });
  it("reads a pretty-printed object spanning lines as one item", () => {
    expect(parseBatchBody('{\n  "a": 1\n}').items).toEqual([{ a: 1 }]);
  });
});

describe("checkContentType", () => {
  it.each(["application/json", "application/x-ndjson", "application/json; charset=utf-8", "Application/JSON"])("accepts %s", (t) => {
    expect(() => checkContentType(t)).not.toThrow();
  });
  it.each([null, "", "text/html", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1"])("refuses %j with 415", (t) => {
    expect(() => checkContentType(t)).toThrow(expect.objectContaining({ status: 415 }));
  });
});

describe("readBodyText", () => {
  it("refuses invalid UTF-8 with 400 instead of replacing it", async () => {
    await expect(readBodyText(new Blob([new Uint8Array([0x7b, 0xff, 0x7d])]).stream(), 10)).rejects.toMatchObject({ status: 400, code: "invalid_utf8" });
  });
});
