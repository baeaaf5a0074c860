import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { SecurityDetection, StoredEvent } from "../types";
import { CardTestingRule } from "./card-testing";
import { PaymentVelocityRule } from "./payment-velocity";

// The payment rules on a real (synthetic, published) card-transaction file:
// ../shared/datasets/transactions/transaction_data_2K_coldstart.csv (aws-fraud-detector-samples).
// A minimal mapping, not the transactions parser: ENTITY_ID is the account, ip_address the source,
// card_bin the card (only the BIN is published), user_agent the device, order_price and
// payment_currency the amount. The file has no outcome column, so nothing is a decline.

const FILE = path.resolve(process.cwd(), "../shared/datasets/transactions/transaction_data_2K_coldstart.csv");
const present = existsSync(FILE);

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else if (c !== "\r") field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

function load(): StoredEvent[] {
  const [header, ...rows] = parseCsv(readFileSync(FILE, "utf8"));
  const col = (name: string) => header.indexOf(name);
  const [time, account, ip, bin, agent, price, currency, merchant] = [
    "EVENT_TIMESTAMP",
    "ENTITY_ID",
    "ip_address",
    "card_bin",
    "user_agent",
    "order_price",
    "payment_currency",
    "merchant",
  ].map(col);
  return rows.map((r, n) => ({
    id: n + 1,
    time: Date.parse(r[time]),
    kind: "transaction",
    severity: "info",
    service: "payments",
    src_ip: r[ip] || null,
    src_host: null,
    src_port: null,
    dst_ip: null,
    dst_port: null,
    proto: null,
    user: r[account] || null,
    signature: null,
    message: null,
    attributes: { amount: Number(r[price]), currency: r[currency], card: `${r[bin]}******`, device: r[agent], merchant: r[merchant] },
    occurrences: 1,
    fingerprint: `tx:${n}`,
    raw: "",
  }));
}

const brief = (d: SecurityDetection) => `${d.rule} ${d.entity}: ${d.explanation}`;

describe.skipIf(!present)("payment rules on real card transactions (skipped when ../shared/datasets/transactions is absent)", () => {
  it("1,611 transactions over four months: no velocity, no card testing; a lower bar finds the busiest accounts, and card testing one finding per device and IP", () => {
    const events = load();
    expect(events).toHaveLength(1_611);
    expect(events.every((e) => Number.isFinite(e.time) && Number.isFinite(e.attributes?.amount))).toBe(true);

    const velocity = new PaymentVelocityRule().observe(events);
    const testing = new CardTestingRule().observe(events);
    console.info(`defaults: ${velocity.length + testing.length} findings\n${[...velocity, ...testing].map(brief).join("\n")}`);
    expect(velocity).toEqual([]);
    expect(testing).toEqual([]);

    // the same file with a looser bar (3 transactions in 24 h), to show the rule at work on it
    const loose = new PaymentVelocityRule({ maxTransactions: 3, windowMs: 24 * 3_600_000, dimensions: ["account"] }).observe(events);
    console.info(`3 in 24 h per account: ${loose.length} findings\n${loose.slice(0, 5).map(brief).join("\n")}`);
    expect(loose).toHaveLength(16);
    expect(loose.every((d) => d.entity.startsWith("account:") && d.increment >= 3)).toBe(true);

    // one payment alone is not velocity by default (amountMinTransactions 2); allowing it finds the one large one
    const single = new PaymentVelocityRule({ amountMinTransactions: 1, dimensions: ["account"] }).observe(events);
    console.info(`amount alone, one transaction allowed: ${single.map(brief).join("\n")}`);
    expect(single.map((d) => [d.increment, d.details?.tripped])).toEqual([[1, "amount"]]);

    // card testing with a bar low enough to trip here (2 attempts of 10 or less in 24 h, no decline
    // needed, as the file has none): each account pays from one IP and one user agent, so the IP and
    // the device of a finding cross over the same attempts, and are one finding, filed under the device
    const testingLoose = new CardTestingRule({ smallAmount: 10, minSmallAttempts: 2, minDeclineRatio: 0, windowMs: 24 * 3_600_000 }).observe(events);
    console.info(`card testing, 2 small attempts in 24 h: ${testingLoose.length} findings\n${testingLoose.map(brief).join("\n")}`);
    expect(testingLoose.map((d) => [d.entity.split(":")[0], d.increment, (d.details?.keys as { dimension: string }[]).map((k) => k.dimension)])).toEqual([
      ["device", 3, ["device", "ip"]],
      ["device", 3, ["device", "ip"]],
      ["device", 2, ["device", "ip"]],
      ["device", 2, ["device", "ip"]],
    ]);
    expect(testingLoose.every((d) => /; the same attempts also crossed for ip [\d.]+ \(\d attempts\)$/.test(d.explanation))).toBe(true);
  });
});
