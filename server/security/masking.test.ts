import { describe, expect, it } from "vitest";
import { luhnValid, maskCardField, maskCardNumbers, maskCardNumbersInBase64, maskDeep } from "./masking";

// 4111111111111111 (Visa test), 5555555555554444 (Mastercard test), 378282246310005 (Amex, 15),
// 6011000990139424 (Discover), 4222222222222 (13-digit Visa test), 6304000000000000000 (19)
describe("luhnValid", () => {
  it("accepts the standard test card numbers and refuses a changed digit", () => {
    for (const pan of ["4111111111111111", "5555555555554444", "378282246310005", "6011000990139424", "4222222222222"]) expect(luhnValid(pan), pan).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
  });
});

describe("maskCardNumbers", () => {
  it("masks a 16-digit card number to stars and the last four", () => {
    expect(maskCardNumbers("card 4111111111111111 used")).toBe("card ************1111 used");
  });

  it("masks 13-, 15- and 19-digit card numbers", () => {
    expect(maskCardNumbers("a 4222222222222 b")).toBe("a *********2222 b");
    expect(maskCardNumbers("amex:378282246310005")).toBe("amex:***********0005");
    const pan19 = "6304000000000000018"; // Luhn-valid 19 digits
    expect(luhnValid(pan19)).toBe(true);
    expect(maskCardNumbers(`x=${pan19};`)).toBe(`x=${"*".repeat(15)}0018;`);
  });

  it("masks numbers written in groups with spaces or dashes, dropping the separators", () => {
    expect(maskCardNumbers("pan 4111 1111 1111 1111 end")).toBe("pan ************1111 end");
    expect(maskCardNumbers("pan 5555-5555-5555-4444.")).toBe("pan ************4444.");
  });

  it("masks a grouped card number followed by another number (a year) and keeps that number", () => {
    expect(maskCardNumbers("4111 1111 1111 1111 2026")).toBe("************1111 2026");
  });

  it("masks every card number in the text, in JSON and in URLs", () => {
    expect(maskCardNumbers('{"a":"4111111111111111","b":"5555555555554444"}')).toBe('{"a":"************1111","b":"************4444"}');
    expect(maskCardNumbers("/pay?pan=4111111111111111&cvv=123")).toBe("/pay?pan=************1111&cvv=123");
  });

  it("leaves a 16-digit number that fails Luhn untouched", () => {
    expect(maskCardNumbers("order 4111111111111112")).toBe("order 4111111111111112");
  });

  it("leaves a 12-digit number untouched, Luhn or not", () => {
    expect(maskCardNumbers("ref 411111111113 and 123456789012")).toBe("ref 411111111113 and 123456789012");
  });

  it("leaves a card number inside a longer run of digits untouched (not bounded by non-digits)", () => {
    expect(maskCardNumbers("id 94111111111111111")).toBe("id 94111111111111111"); // 17 digits, fails Luhn as a whole
    expect(maskCardNumbers("x 411111111111111100000")).toBe("x 411111111111111100000"); // 21 digits
  });

  it("leaves digits with a letter on both sides alone (hex ids, base64)", () => {
    expect(maskCardNumbers("id 15908cefc5f4111111111111111c7107719")).toBe("id 15908cefc5f4111111111111111c7107719");
    expect(maskCardNumbers("card4111111111111111")).toBe("card************1111");
  });

  it("returns the very same string when nothing is masked", () => {
    const s = "Failed password for root from 203.0.113.5 port 22 ssh2";
    expect(maskCardNumbers(s)).toBe(s);
  });
});

describe("maskDeep", () => {
  it("masks strings at any depth, keeps keys, numbers and the input object unchanged", () => {
    const input = { "4111111111111111": 1, a: ["x 4111111111111111"], b: { c: "5555555555554444" }, n: 4111111111111111 };
    const out = maskDeep(input);
    expect(out).toEqual({ "4111111111111111": 1, a: ["x ************1111"], b: { c: "************4444" }, n: 4111111111111111 });
    expect(input.b.c).toBe("5555555555554444");
  });

  it("returns the same reference when nothing was masked", () => {
    const input = { a: "plain", b: [1, "2"], c: { d: null } };
    expect(maskDeep(input)).toBe(input);
  });

  it("keeps a JSON key named __proto__ a plain key when copying", () => {
    const input = JSON.parse('{"__proto__":{"x":1},"s":"4111111111111111"}');
    const out = maskDeep(input) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["__proto__", "s"]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it("throws on a value nested deeper than 64 levels rather than leave a string unmasked", () => {
    let deep: unknown = "4111111111111111";
    for (let i = 0; i < 70; i++) deep = [deep];
    expect(() => maskDeep(deep)).toThrow(/deeper than 64/);
  });
});

describe("maskCardField", () => {
  it("masks a card field of 12–19 digits even when it fails Luhn", () => {
    expect(maskCardField("4111111111111112")).toBe("************1112");
    expect(maskCardField("4111 1111 1111 1112")).toBe("************1112");
  });

  it("keeps a token and masks a card number inside one", () => {
    expect(maskCardField("tok_9f8e7d")).toBe("tok_9f8e7d");
    expect(maskCardField("pan:4111111111111111")).toBe("pan:************1111");
  });
});

describe("maskCardNumbersInBase64", () => {
  const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64");
  it("masks a card number in the decoded bytes and encodes the result again, other bytes unchanged", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0x00, 0x80]), Buffer.from(" pan=4111111111111111;")]);
    const out = Buffer.from(maskCardNumbersInBase64(b64(bytes)), "base64");
    expect(out.equals(Buffer.concat([Buffer.from([0xff, 0x00, 0x80]), Buffer.from(" pan=************1111;")]))).toBe(true);
  });

  it("returns the same string for base64 without a card number, for text that is not base64, and for text too short to hold one", () => {
    const clean = b64("order 4111111111111112 ref 123456789012");
    expect(maskCardNumbersInBase64(clean)).toBe(clean);
    expect(maskCardNumbersInBase64("not base64: 4111111111111111")).toBe("not base64: 4111111111111111");
    expect(maskCardNumbersInBase64("NDExMQ==")).toBe("NDExMQ==");
  });
});

describe("rejection and skip reasons", () => {
  it("mask a card number a native ingest's rejection or skip reason quotes, as stored events do", async () => {
    const { LogOutcomes } = await import("./result");
    const outcomes = new LogOutcomes();
    outcomes.reject(3, 'amount: not a number: "4111 1111 1111 1111"');
    outcomes.skip("not security-relevant: 4111111111111111");
    outcomes.skip("not security-relevant: 4111111111111111");
    const r = outcomes.result();
    expect(r.rejected).toEqual([{ line: 3, reason: 'amount: not a number: "************1111"' }]);
    expect(r.skipped_by).toEqual({ "not security-relevant: ************1111": 2 });
  });

  it("mask a card number a JSON ingest's rejection quotes (POST /api/v1/events, heartbeats)", async () => {
    const { Rejections } = await import("../ingest/validate");
    const rejections = new Rejections(1);
    rejections.add(5, "user: 5500-0000-0000-0004 is not allowed");
    rejections.add(2, "src_ip: 4111111111111111 is not an address");
    expect(rejections.result(0)).toEqual({ accepted: 0, rejected: [{ index: 2, error: "src_ip: ************1111 is not an address" }], rejected_total: 2 });
  });
});
