import { describe, expect, it } from "vitest";
import { BodyError, parseBatchBody, readBodyText } from "./body";

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
