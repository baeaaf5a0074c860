import { describe, expect, it } from "vitest";
import { canonicalIp } from "./ip";

describe("canonicalIp: one spelling per address, so respelling cannot evade a per-source count", () => {
  it.each([
    ["2001:db8::1", "2001:db8::1"],
    ["2001:0db8:0:0:0:0:0:1", "2001:db8::1"],
    ["2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // the first of two equal zero runs
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"], // a single zero hextet is not shortened
    ["::", "::"],
    ["::1", "::1"],
    ["fe80::", "fe80::"],
    ["::ffff:203.0.113.5", "203.0.113.5"],
    ["0:0:0:0:0:ffff:cb00:7105", "203.0.113.5"],
    ["::FFFF:CB00:7105", "203.0.113.5"],
    ["64:ff9b::203.0.113.5", "64:ff9b::cb00:7105"],
    ["203.0.113.5", "203.0.113.5"],
    [" 10.0.0.1 ", "10.0.0.1"],
  ])("%s -> %s", (input, expected) => expect(canonicalIp(input)).toBe(expected));

  it.each(["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1", "fe80::1%eth0", "g::1", "::ffff:1.2.3", "host.example", "1:2:3:4:5:6:7::8"])(
    "refuses %j",
    (input) => expect(canonicalIp(input)).toBeNull(),
  );
});
