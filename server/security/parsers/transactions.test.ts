import { describe, expect, it } from "vitest";
import type { ParseOutcome, ParsedEvent } from "../types";
import { parseTransactionCsv, parseTransactionLine, parseTransactionRecord, transactionCsvParser } from "./transactions";

const ctx = { now: Date.UTC(2026, 11, 1) };

function event(o: ParseOutcome): ParsedEvent {
  if (o.status !== "event") throw new Error(`expected an event, got ${o.status}: ${o.reason}`);
  return o.event;
}
const reason = (o: ParseOutcome) => (o.status === "event" ? "(event)" : o.reason);

const tx = (over: Record<string, unknown> = {}) => ({
  id: "tx-1001",
  time: "2026-11-30T10:00:00Z",
  account: "acct-42",
  card: "tok_9f8e7d",
  ip: "203.0.113.7",
  device: "dev-abc",
  amount: 12.5,
  currency: "eur",
  merchant: "Acme Books",
  outcome: "Approved",
  ...over,
});

describe("parseTransactionRecord", () => {
  it("turns a transaction into an event: user = account, attributes with amount, currency, card, device, merchant, outcome", () => {
    const e = event(parseTransactionRecord(tx(), ctx));
    expect(e).toMatchObject({ time: Date.UTC(2026, 10, 30, 10), kind: "transaction", severity: "info", service: "payments", user: "acct-42", src_ip: "203.0.113.7", signature: "payment: approved" });
    expect(e.attributes).toMatchObject({ id: "tx-1001", amount: 12.5, currency: "EUR", card: "tok_9f8e7d", device: "dev-abc", merchant: "Acme Books", outcome: "approved" });
    expect(e.fingerprint).toBe("transactions:id:tx-1001");
  });

  it("gives a declined transaction low severity and keeps the decline reason", () => {
    const e = event(parseTransactionRecord(tx({ outcome: "declined", decline_reason: "insufficient_funds" }), ctx));
    expect(e.severity).toBe("low");
    expect(e.message).toBe("declined 12.5 EUR at Acme Books (insufficient_funds)");
    expect(e.attributes?.decline_reason).toBe("insufficient_funds");
  });

  it("takes a wallet when there is no account", () => {
    expect(event(parseTransactionRecord(tx({ account: undefined, wallet: "0xabc" }), ctx)).user).toBe("0xabc");
  });

  it("reads an amount written as a decimal string, and epoch seconds as the time", () => {
    const e = event(parseTransactionRecord(tx({ amount: "1999.99", time: 1_795_000_000 }), ctx));
    expect(e.attributes?.amount).toBe(1999.99);
    expect(e.time).toBe(1_795_000_000_000);
  });

  it("masks a card number in the card field, even one failing Luhn, everywhere including raw", () => {
    const e = event(parseTransactionRecord(tx({ card: "4111 1111 1111 1111" }), ctx));
    expect(e.attributes?.card).toBe("************1111");
    expect(e.raw).not.toMatch(/4111 1111/);
    const bad = event(parseTransactionRecord(tx({ card: "4111111111111112" }), ctx));
    expect(bad.attributes?.card).toBe("************1112");
    expect(bad.raw).not.toContain("4111111111111112");
    expect(JSON.parse(bad.raw).card).toBe("************1112");
  });

  it("masks a card number given as a JSON number", () => {
    const e = event(parseTransactionRecord(tx({ card: 4111111111111111 }), ctx));
    expect(e.attributes?.card).toBe("************1111");
    expect(e.raw).not.toContain("4111111111111111");
  });

  it("masks a card number typed into the merchant or account", () => {
    const e = event(parseTransactionRecord(tx({ merchant: "shop 5555555555554444", account: "5555555555554444" }), ctx));
    expect(e.attributes?.merchant).toBe("shop ************4444");
    expect(e.user).toBe("************4444");
    expect(e.message).not.toContain("5555555555554444");
  });

  it("takes the fingerprint from the raw record when there is no id, the same for the same record", () => {
    const a = event(parseTransactionRecord(tx({ id: undefined }), ctx)).fingerprint;
    expect(a).toMatch(/^transactions:[0-9a-f]{32}$/);
    expect(event(parseTransactionRecord(tx({ id: undefined }), ctx)).fingerprint).toBe(a);
  });

  it("hashes an id holding a card number or unusual characters instead of storing it", () => {
    expect(event(parseTransactionRecord(tx({ id: "4111111111111111" }), ctx)).fingerprint).toMatch(/^transactions:idh:[0-9a-f]{32}$/);
    expect(event(parseTransactionRecord(tx({ id: "a b<c>" }), ctx)).fingerprint).toMatch(/^transactions:idh:/);
  });

  it("rejects a missing time or amount, naming the field", () => {
    expect(reason(parseTransactionRecord(tx({ time: undefined }), ctx))).toBe("time: missing");
    expect(reason(parseTransactionRecord(tx({ amount: undefined }), ctx))).toBe("amount: missing");
  });

  it("rejects wrong types, naming the field", () => {
    expect(reason(parseTransactionRecord(tx({ amount: "12.50.1" }), ctx))).toBe('amount: not a number or decimal string: "12.50.1"');
    expect(reason(parseTransactionRecord(tx({ amount: "1,234" }), ctx))).toMatch(/^amount: a thousands separator or a decimal mark\? .*"1,234"$/);
    expect(reason(parseTransactionRecord(tx({ amount: true }), ctx))).toBe('amount: not a number or decimal string: "true"');
    expect(reason(parseTransactionRecord(tx({ currency: "EURO" }), ctx))).toBe("currency: longer than 3 characters");
    expect(reason(parseTransactionRecord(tx({ currency: "E1R" }), ctx))).toBe('currency: not a 3-letter code: "E1R"');
    expect(reason(parseTransactionRecord(tx({ ip: "example.com" }), ctx))).toBe('ip: not an IP address: "example.com"');
    expect(reason(parseTransactionRecord(tx({ account: { id: 1 } }), ctx))).toBe("account: expected text, got object");
    expect(reason(parseTransactionRecord(tx({ time: "2026-11-30 10:00" }), ctx))).toMatch(/^time: time "2026-11-30 10:00" has no UTC offset/);
    expect(reason(parseTransactionRecord(tx({ outcome: "<b>ok</b>" }), ctx))).toBe('outcome: not a word: "<b>ok</b>"');
  });

  it("rejects a value that is not an object", () => {
    expect(reason(parseTransactionRecord([tx()], ctx))).toBe("not a JSON object: an array");
    expect(reason(parseTransactionRecord("x", ctx))).toBe("not a JSON object: string");
  });

  it("rejects an object that cannot be serialized instead of throwing", () => {
    const cyclic: Record<string, unknown> = tx();
    cyclic.self = cyclic;
    expect(reason(parseTransactionRecord(cyclic, ctx))).toMatch(/^unparseable: /);
  });
});

describe("parseTransactionLine", () => {
  it("reads one NDJSON line and rejects one that is not JSON", () => {
    expect(event(parseTransactionLine(JSON.stringify(tx()), ctx)).fingerprint).toBe("transactions:id:tx-1001");
    expect(reason(parseTransactionLine('{"time":', ctx))).toMatch(/^not JSON: /);
  });
});

describe("transaction CSV", () => {
  const header = "EVENT_LABEL,EVENT_TIMESTAMP,LABEL_TIMESTAMP,EVENT_ID,ENTITY_TYPE,ENTITY_ID,card_bin,customer_name,billing_street,billing_city,billing_state,billing_zip,billing_latitude,billing_longitude,billing_country,customer_job,ip_address,customer_email,billing_phone,user_agent,product_category,order_price,payment_currency,merchant";
  const row = '1,2022-11-24T19:20:29Z,2022-11-24T19:20:29Z,1026963337217d35802633b6973f10f02,customer,273-54-6512,372273,Jennifer,1 Main St,Town,NY,14784,42.3,-79.3,US,"Engineer, water",131.99.49.1,j@example.com,555-0100,"Mozilla/5.0 (Windows NT 5.2; rv:1.9.1.20) Firefox/3.6.2",shopping_net,1053.78,MDL,"fraud_Bashirian, Group"';

  it("maps the AWS fraud-detector header: time, id, account, IP, device, amount, currency, merchant, label", () => {
    const [o] = parseTransactionCsv(`${header}\n${row}\n`, ctx);
    const e = event(o);
    expect(e).toMatchObject({ time: Date.UTC(2022, 10, 24, 19, 20, 29), user: "273-54-6512", src_ip: "131.99.49.1", signature: "payment: recorded" });
    expect(e.attributes).toMatchObject({ id: "1026963337217d35802633b6973f10f02", amount: 1053.78, currency: "MDL", merchant: "fraud_Bashirian, Group", device: "Mozilla/5.0 (Windows NT 5.2; rv:1.9.1.20) Firefox/3.6.2", label: 1, card_bin: "372273", category: "shopping_net", entity_type: "customer" });
    expect(e.fingerprint).toBe("transactions:id:1026963337217d35802633b6973f10f02");
  });

  it("maps other common header names: cc_num, amt, trans_num, customer_id, category, is_fraud; epoch seconds in unix_time", () => {
    const out = parseTransactionCsv("unix_time,cc_num,merchant,category,amt,first,customer_id,trans_num,is_fraud\n1764547218,2703186189652095,\"fraud_Rippin, Kub\",misc_net,4.97,Jennifer,c-77,0b242abb,1\n", ctx);
    const e = event(out[0]);
    expect(e).toMatchObject({ time: 1764547218 * 1000, user: "c-77" });
    expect(e.attributes).toMatchObject({ id: "0b242abb", amount: 4.97, merchant: "fraud_Rippin, Kub", category: "misc_net", label: 1 });
    expect(JSON.stringify(e)).not.toContain("2703186189652095");
    expect(JSON.stringify(e.attributes)).not.toContain("Jennifer");
  });

  it("takes the time from unix_time when trans_date_trans_time (no offset) comes first (the Kaggle credit-card fraud header)", () => {
    const kaggle = ",trans_date_trans_time,cc_num,merchant,category,amt,first,last,gender,street,city,state,zip,lat,long,city_pop,job,dob,trans_num,unix_time,merch_lat,merch_long,is_fraud";
    const rows = [
      '0,2026-11-30 10:00:18,2703186189652095,"fraud_Rippin, Kub and Mann",misc_net,4.97,Jennifer,Banks,F,561 Perry Cove,Moravian Falls,NC,28654,36.0788,-81.1781,3495,"Psychologist, counselling",1988-03-09,0b242abbe4eac9cdb6ab8a63e4e45bbe,1796032818,36.011293,-82.048315,0',
      "1,2026-11-30 10:00:44,630423337322,fraud_Heller,grocery_pos,107.23,Stephanie,Gill,F,43039 Riley Greens Suite 393,Orient,WA,99160,48.8878,-118.2105,149,Special educational needs teacher,1978-06-21,1f76529f8574734946361c461b024d99,1796032844,49.159047,-118.186462,1",
    ];
    const out = parseTransactionCsv(`${kaggle}\n${rows.join("\n")}\n`, ctx);
    expect(out.map(reason)).toEqual(["(event)", "(event)"]);
    expect(out.map((o) => event(o).time)).toEqual([1_796_032_818_000, 1_796_032_844_000]);
    expect(event(out[1]).attributes).toMatchObject({ id: "1f76529f8574734946361c461b024d99", amount: 107.23, label: 1 });
  });

  it("with several time columns takes the first that reads as a time in each row, and names the first column's problem when none does", () => {
    const out = parseTransactionCsv("datetime,timestamp,amount\n2026-11-30 10:00:00,2026-11-30T10:00:00+01:00,5\n2026-11-30T12:00:00Z,1796032818,6\n2026-11-30 10:00:00,,7\n", ctx);
    expect(out.slice(0, 2).map((o) => event(o).time)).toEqual([Date.UTC(2026, 10, 30, 9), Date.UTC(2026, 10, 30, 12)]);
    expect(reason(out[2])).toMatch(/^time: .*2026-11-30 10:00:00.*offset/);
  });

  it("drops personal columns (name, address, e-mail, phone) from the event's fields", () => {
    const e = event(parseTransactionCsv(`${header}\n${row}`, ctx)[0]);
    expect(JSON.stringify(e.attributes)).not.toMatch(/Jennifer|Main St|example\.com|555-0100/);
  });

  it("reads a quoted field holding a line break and a doubled quote", () => {
    const out = parseTransactionCsv('time,amount,merchant\r\n2026-01-01T00:00:00Z,5,"Bob\'s ""Best""\nShop"\r\n2026-01-01T00:00:01Z,6,x\r\n', ctx);
    expect(out.map((o) => event(o).attributes?.merchant)).toEqual(['Bob\'s "Best"\nShop', "x"]);
  });

  it("reads a card column and masks it in the attributes and in raw", () => {
    const [o] = parseTransactionCsv("time,amount,card,outcome\n2026-01-01T00:00:00Z,5,4111111111111112,DECLINED", ctx);
    const e = event(o);
    expect(e.attributes).toMatchObject({ card: "************1112", outcome: "declined" });
    expect(e.severity).toBe("low");
    expect(e.raw).toBe("2026-01-01T00:00:00Z,5,************1112,DECLINED");
  });

  it("rejects a header without a time or amount column", () => {
    expect(transactionCsvParser("when,amount")).toEqual({ ok: false, reason: "header: no time column (EVENT_TIMESTAMP, time, timestamp, created …)" });
    expect(parseTransactionCsv("time,price\n2026-01-01T00:00:00Z,5", ctx)).toEqual([{ status: "rejected", reason: "header: no amount column (amount, order_price, amt, gross, or amount_cents in minor units)" }]);
  });

  it("rejects a row with the wrong number of fields, an unclosed quote or a bad amount, naming what is wrong", () => {
    const out = parseTransactionCsv('time,amount\n2026-01-01T00:00:00Z\n2026-01-01T00:00:00Z,"5\n', ctx);
    expect(out.map(reason)).toEqual(["row has 1 fields; the header has 2", "not CSV: a quoted field is not closed"]);
    expect(reason(parseTransactionCsv("time,amount\n2026-01-01T00:00:00Z,five", ctx)[0])).toBe('amount: not a number or decimal string: "five"');
  });
});

describe("JSON transactions under the names payment systems use", () => {
  it("reads a JSON transaction's fields under the CSV header names (timestamp, transaction_id, account_id, ip_address, status, cc_num …), any case", () => {
    const rec = { transaction_id: "t-9", Timestamp: "2026-11-30T10:00:00+01:00", account_id: "acct-7", ip_address: "::ffff:203.0.113.7", amt: "19.99", currency_code: "usd", merchant_name: "Acme", status: "Declined", user_agent: "Mozilla/5.0", is_fraud: 1 };
    const e = event(parseTransactionLine(JSON.stringify(rec), ctx));
    expect(e).toMatchObject({ time: Date.UTC(2026, 10, 30, 9), user: "acct-7", src_ip: "203.0.113.7", severity: "low", signature: "payment: declined", fingerprint: "transactions:id:t-9" });
    expect(e.attributes).toMatchObject({ amount: 19.99, currency: "USD", merchant: "Acme", outcome: "declined", device: "Mozilla/5.0", label: 1 });
  });

  it("lets a JSON transaction's own field name win over an alias, and takes the first time field that reads as an instant", () => {
    const e = event(parseTransactionRecord({ time: "2026-11-30T10:00:00Z", timestamp: "2026-11-29T10:00:00Z", account: "a", user_id: "b", amount: 1 }, ctx));
    expect(e).toMatchObject({ time: Date.UTC(2026, 10, 30, 10), user: "a" });
    expect(event(parseTransactionRecord({ trans_date_trans_time: "2026-11-30 10:00:00", unix_time: 1764496800, amount: 1 }, ctx)).time).toBe(1764496800 * 1000);
    expect(reason(parseTransactionRecord({ datetime: "2026-11-30 10:00:00", amount: 1 }, ctx))).toMatch(/^time: .*no UTC offset/);
  });

  it("masks a card number given under an alias (cc_num) in the stored record, and ignores a status that is no word", () => {
    const e = event(parseTransactionRecord({ time: "2026-11-30T10:00:00Z", amount: 1, cc_num: 4111111111111111, status: 200 }, ctx));
    expect(e.attributes).toMatchObject({ card: "************1111", outcome: null });
    expect(e.raw).not.toContain("4111111111111111");
    expect(JSON.parse(e.raw).cc_num).toBe("************1111");
  });

  it("gives every outcome the payment rules count as a decline (denied, refused, rejected, failed) low severity", () => {
    for (const outcome of ["declined", "DENIED", "refused", "rejected", "failed", "decline"]) expect(event(parseTransactionRecord(tx({ outcome }), ctx)).severity).toBe("low");
    for (const outcome of ["approved", "settled", "pending"]) expect(event(parseTransactionRecord(tx({ outcome }), ctx)).severity).toBe("info");
  });
});

describe("parseTransactionCsv: files Excel writes where the decimal mark is a comma", () => {
  it("reads a file separated by semicolons (or tabs), its amounts with a decimal comma, quoting by its own separator", () => {
    const csv = ["time;account;amount;currency;card;outcome", '2026-11-30T10:00:00Z;acct-1;12,50;EUR;4111 1111 1111 1111;declined', '2026-11-30T10:01:00Z;"acct;2";7;EUR;;approved'].join("\r\n");
    const [a, b] = parseTransactionCsv(csv, ctx).map(event);
    expect(a).toMatchObject({ user: "acct-1", severity: "low", attributes: { amount: 12.5, currency: "EUR", card: "************1111", outcome: "declined" } });
    expect(a.raw).toBe("2026-11-30T10:00:00Z;acct-1;12,50;EUR;************1111;declined");
    expect(b).toMatchObject({ user: "acct;2", attributes: { amount: 7 } });
    const tabs = parseTransactionCsv("time\taccount\tamount\n2026-11-30T10:00:00Z\tacct-1\t3,75\n", ctx).map(event);
    expect(tabs[0]).toMatchObject({ user: "acct-1", attributes: { amount: 3.75 } });
  });

  it("in a comma-separated file reads a quoted 1,234.56 as grouped thousands, and refuses 1,234 (thousands or a decimal comma?)", () => {
    expect(event(parseTransactionCsv('time,amount\n2026-11-30T10:00:00Z,"1,234.56"\n', ctx)[0]).attributes?.amount).toBe(1234.56);
    expect(reason(parseTransactionCsv('time,amount\n2026-11-30T10:00:00Z,"1,234"\n', ctx)[0])).toMatch(/^amount: a thousands separator or a decimal mark\?/);
  });

  it("in a semicolon-separated file reads 1.234,56 and 1,234 with the decimal comma, and refuses 1.234", () => {
    const out = parseTransactionCsv("time;amount\n2026-11-30T10:00:00Z;1.234,56\n2026-11-30T10:00:00Z;1,234\n2026-11-30T10:00:00Z;1.234\n2026-11-30T10:00:00Z;0.125\n", ctx);
    expect(out.slice(0, 2).map((o) => event(o).attributes?.amount)).toEqual([1234.56, 1.234]);
    expect(reason(out[2])).toMatch(/^amount: a thousands separator or a decimal mark\?/);
    // a group of thousands cannot start with 0
    expect(event(out[3]).attributes?.amount).toBe(0.125);
  });
});

describe("amounts as payment exports write them", () => {
  const amount = (a: unknown, over: Record<string, unknown> = {}) => event(parseTransactionRecord(tx({ amount: a, currency: undefined, ...over }), ctx)).attributes;

  it("accepts a refund or chargeback's negative amount, stored with its sign", () => {
    expect(amount(-12.5)).toMatchObject({ amount: -12.5 });
    expect(amount("-12.50")).toMatchObject({ amount: -12.5 });
    expect(amount("\u221212.50")).toMatchObject({ amount: -12.5 });
    expect(event(parseTransactionRecord(tx({ amount: "-40.00", outcome: "refunded" }), ctx)).message).toBe("refunded -40 EUR at Acme Books");
  });

  it("reads accounting negatives (12.50) and SAP's trailing minus 12.50- as negative", () => {
    expect(amount("(12.50)")).toMatchObject({ amount: -12.5 });
    expect(amount("($1,234.50)")).toMatchObject({ amount: -1234.5 });
    expect(amount("12.50-")).toMatchObject({ amount: -12.5 });
  });

  it("reads grouped thousands: 1,234.56, 1.234,56, 1 234,56, 1'234.56, 1,234,567", () => {
    for (const [text, n] of [["1,234.56", 1234.56], ["1.234,56", 1234.56], ["1 234,56", 1234.56], ["1\u202f234,56", 1234.56], ["1'234.56", 1234.56], ["1,234,567", 1234567], ["1.234.567", 1234567], ["12,50", 12.5], [".5", 0.5], ["0,125", 0.125], ["0.125", 0.125]] as const) {
      expect(amount(text), text).toMatchObject({ amount: n });
    }
  });

  it("takes the currency from a code or a symbol that names one ($ and ¥ do not), and refuses one the currency field contradicts", () => {
    expect(amount("12.50 USD")).toMatchObject({ amount: 12.5, currency: "USD" });
    expect(amount("EUR 12,50")).toMatchObject({ amount: 12.5, currency: "EUR" });
    expect(amount("€12,50")).toMatchObject({ amount: 12.5, currency: "EUR" });
    expect(amount("-£3.20")).toMatchObject({ amount: -3.2, currency: "GBP" });
    expect(amount("$12.50")).toMatchObject({ amount: 12.5, currency: null });
    expect(amount("$12.50", { currency: "cad" })).toMatchObject({ amount: 12.5, currency: "CAD" });
    expect(amount("12.50 USD", { currency: "usd" })).toMatchObject({ amount: 12.5, currency: "USD" });
    expect(reason(parseTransactionRecord(tx({ amount: "12.50 USD", currency: "EUR" }), ctx))).toBe("amount: written in USD, but currency is EUR");
    expect(reason(parseTransactionRecord(tx({ amount: "€12", currency: "USD" }), ctx))).toBe("amount: written in EUR, but currency is USD");
  });

  it("reads minor units only under a name that says so (amount_cents …), by the currency's exponent", () => {
    expect(event(parseTransactionRecord({ time: "2026-11-30T10:00:00Z", amount_cents: 1250, currency: "eur" }, ctx)).attributes).toMatchObject({ amount: 12.5, currency: "EUR" });
    expect(event(parseTransactionRecord({ time: "2026-11-30T10:00:00Z", amount_cents: "-1250", currency: "JPY" }, ctx)).attributes).toMatchObject({ amount: -1250 });
    expect(event(parseTransactionRecord({ time: "2026-11-30T10:00:00Z", amount_minor: 12345, currency: "KWD" }, ctx)).attributes).toMatchObject({ amount: 12.345 });
    // a plain integer `amount` with a currency stays in units: nothing says it counts cents
    expect(event(parseTransactionRecord({ time: "2026-11-30T10:00:00Z", amount: 1250, currency: "EUR" }, ctx)).attributes).toMatchObject({ amount: 1250 });
    expect(reason(parseTransactionRecord({ time: "2026-11-30T10:00:00Z", amount_cents: "12.50" }, ctx))).toBe('amount_cents: not a whole number of minor units: "12.50"');
    const [named] = parseTransactionCsv("time,Amount (cents),currency\n2026-11-30T10:00:00Z,999,usd\n", ctx);
    expect(event(named).attributes).toMatchObject({ amount: 9.99 });
    const [cents] = parseTransactionCsv("time,amount_cents,currency\n2026-11-30T10:00:00Z,999,usd\n", ctx);
    expect(event(cents).attributes).toMatchObject({ amount: 9.99, currency: "USD" });
  });

  it("still refuses text that is no amount, naming it", () => {
    expect(reason(parseTransactionRecord(tx({ amount: "twelve" }), ctx))).toBe('amount: not a number or decimal string: "twelve"');
    expect(reason(parseTransactionRecord(tx({ amount: "12.50 EURO" }), ctx))).toBe('amount: not a number or decimal string: "12.50 EURO"');
    expect(reason(parseTransactionRecord(tx({ amount: "txn123" }), ctx))).toBe('amount: not a number or decimal string: "txn123"');
    // a card number typed as the amount is masked in the reason too
    expect(reason(parseTransactionRecord(tx({ amount: "4111 1111 1111 1111" }), ctx))).toBe('amount: not a number or decimal string: "************1111"');
  });
});

describe("Stripe objects, whose amount is in minor units", () => {
  const charge = {
    id: "ch_3Pq",
    object: "charge",
    amount: 2000,
    amount_refunded: 0,
    created: 1_796_032_818,
    currency: "usd",
    customer: "cus_9s6XKzkNRiz8i3",
    failure_code: "card_declined",
    outcome: { network_status: "declined_by_network", reason: "generic_decline", type: "issuer_declined" },
    payment_method_details: { card: { brand: "visa", last4: "4242", fingerprint: "Xt5EWLLDS7FJjR1c" }, type: "card" },
    receipt_email: "jenny@example.com",
    status: "failed",
  };

  it("reads a charge: created, amount in cents, status as outcome, failure_code, the card's fingerprint, customer", () => {
    const e = event(parseTransactionRecord(charge, ctx));
    expect(e).toMatchObject({ time: 1_796_032_818_000, user: "cus_9s6XKzkNRiz8i3", severity: "low", fingerprint: "transactions:id:ch_3Pq" });
    expect(e.attributes).toMatchObject({ amount: 20, currency: "USD", outcome: "failed", decline_reason: "card_declined", card: "Xt5EWLLDS7FJjR1c", type: "charge" });
    expect(JSON.stringify(e.attributes)).not.toContain("jenny");
  });

  it("reads a zero-decimal currency's amount as written, a refund or dispute as negative, a balance transaction with its sign and type", () => {
    expect(event(parseTransactionRecord({ ...charge, amount: 1500, currency: "jpy" }, ctx)).attributes).toMatchObject({ amount: 1500, currency: "JPY" });
    expect(event(parseTransactionRecord({ id: "re_1", object: "refund", amount: 500, currency: "eur", created: 1_796_032_818, status: "succeeded", charge: "ch_3Pq" }, ctx)).attributes).toMatchObject({ amount: -5, type: "refund" });
    expect(event(parseTransactionRecord({ id: "dp_1", object: "dispute", amount: 2000, currency: "usd", created: 1_796_032_818, status: "needs_response", reason: "fraudulent" }, ctx)).attributes).toMatchObject({ amount: -20, decline_reason: "fraudulent", type: "dispute" });
    expect(event(parseTransactionRecord({ id: "txn_1", object: "balance_transaction", amount: -1000, fee: 0, net: -1000, currency: "usd", created: 1_796_032_818, type: "refund", status: "available" }, ctx)).attributes).toMatchObject({ amount: -10, type: "refund" });
  });

  it("reads an event holding a charge by the event's id, time and type", () => {
    const e = event(parseTransactionLine(JSON.stringify({ id: "evt_1", object: "event", type: "charge.succeeded", created: 1_796_032_900, data: { object: { ...charge, status: "succeeded", failure_code: null } } }), ctx));
    expect(e).toMatchObject({ time: 1_796_032_900_000, fingerprint: "transactions:id:evt_1", severity: "info" });
    expect(e.attributes).toMatchObject({ amount: 20, outcome: "succeeded", type: "charge.succeeded" });
  });

  it("reads Stripe's CSV exports: Created date (UTC) without an offset in UTC, Customer ID, Card Fingerprint, Decline Reason, Status", () => {
    const csv = [
      "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Decline Reason,Description,Fee,Status,Card Last4,Card Fingerprint,Customer ID,Customer Email",
      'ch_3Pq,2026-11-30 10:00:18,"1,020.00",0.00,usd,false,card_declined,,0.00,Failed,4242,Xt5EWLLDS7FJjR1c,cus_9s6,jenny@example.com',
    ].join("\n");
    const e = event(parseTransactionCsv(csv, ctx)[0]);
    expect(e).toMatchObject({ time: Date.UTC(2026, 10, 30, 10, 0, 18), user: "cus_9s6", severity: "low" });
    expect(e.attributes).toMatchObject({ amount: 1020, currency: "USD", outcome: "failed", decline_reason: "card_declined", card: "Xt5EWLLDS7FJjR1c" });
    const balance = "id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Available On (UTC)\ntxn_1,refund,re_1,-10.00,0.00,-10.00,usd,2026-11-30 10:05,2026-12-02 00:00\n";
    expect(event(parseTransactionCsv(balance, ctx)[0])).toMatchObject({ time: Date.UTC(2026, 10, 30, 10, 5), attributes: { amount: -10, type: "refund" } });
  });
});

describe("public fraud data sets", () => {
  it("refuses PaySim (step counts hours from the simulation's start) for its header, saying why", () => {
    const paysim = "step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isFraud,isFlaggedFraud\n1,PAYMENT,9839.64,C1231006815,170136.0,160296.36,M1979787155,0.0,0.0,0,0\n";
    expect(parseTransactionCsv(paysim, ctx)).toEqual([{ status: "rejected", reason: expect.stringMatching(/^header: PaySim's step counts hours from the simulation's start, not an instant/) }]);
  });

  it("reads PaySim's columns (nameOrig, type, isFraud) once a time column is added", () => {
    const e = event(parseTransactionCsv("time,step,type,amount,nameOrig,nameDest,isFraud\n2026-11-30T10:00:00Z,1,TRANSFER,181.0,C1305486145,C553264065,1\n", ctx)[0]);
    expect(e).toMatchObject({ user: "C1305486145", attributes: { amount: 181, type: "TRANSFER", counterparty: "C553264065", label: 1 } });
  });

  it("refuses the credit-card fraud set's Time (seconds from its first row) for its header, saying why", () => {
    const ulb = `"Time",${Array.from({ length: 28 }, (_, i) => `"V${i + 1}"`).join(",")},"Amount","Class"\n0,${Array(28).fill("-1.35").join(",")},149.62,"0"\n`;
    expect(parseTransactionCsv(ulb, ctx)).toEqual([{ status: "rejected", reason: expect.stringMatching(/^header: Time in the credit-card fraud data set .* not an instant/) }]);
  });
});

describe("files whose time cannot be read as an instant, refused for their header", () => {
  it("refuses the IEEE-CIS set's TransactionDT and PayPal's Date/Time/TimeZone columns, saying what to send", () => {
    expect(parseTransactionCsv("TransactionID,isFraud,TransactionDT,TransactionAmt,ProductCD,card1\n2987000,0,86400,68.5,W,13926\n", ctx)).toEqual([
      { status: "rejected", reason: expect.stringMatching(/^header: TransactionDT \(the IEEE-CIS fraud data set\) counts seconds from an unstated start/) },
    ]);
    const paypal = '"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","From Email Address","Transaction ID"\n"11/30/2026","10:00:00","PST","Jane","Express Checkout Payment","Completed","USD","-1,234.56","0.00","-1,234.56","j@example.com","8AB12345CD678901E"\n';
    expect(parseTransactionCsv(paypal, ctx)).toEqual([{ status: "rejected", reason: expect.stringMatching(/^header: the time is split over Date, Time and TimeZone columns \(PayPal's activity export\)/) }]);
  });
});

describe("Adyen's reports: stamps in the zone of their TimeZone column, amounts in credit and debit columns", () => {
  it("reads the settlement details report: Creation Date in its TimeZone, Gross Credit less Gross Debit, Psp Reference, Merchant Account, Type", () => {
    const csv = [
      "Company Account,Merchant Account,Psp Reference,Merchant Reference,Payment Method,Creation Date,TimeZone,Type,Modification Reference,Gross Currency,Gross Debit (GC),Gross Credit (GC),Exchange Rate,Net Currency,Net Debit (NC),Net Credit (NC),Commission (NC)",
      "AcmeCo,AcmeShopNL,8815917851436473,order-1001,visa,2026-11-30 10:00:00,CET,Settled,8815917851436473,EUR,,12.50,1,EUR,,12.10,0.40",
      "AcmeCo,AcmeShopNL,8815917851436474,order-1002,mc,2026-11-30 11:00:00,CET,Refunded,8825917851436474,EUR,12.50,,1,EUR,12.50,,",
      "AcmeCo,AcmeShopNL,8815917851436475,order-1003,visa,2026-11-30 12:00:00,IST,Chargeback,8835917851436475,EUR,40.00,,1,EUR,40.00,,",
    ].join("\n");
    const [settled, refunded, ambiguous] = parseTransactionCsv(csv, ctx);
    expect(event(settled)).toMatchObject({ time: Date.UTC(2026, 10, 30, 9), attributes: { id: "8815917851436473", amount: 12.5, currency: "EUR", merchant: "AcmeShopNL", type: "Settled", payment_method: "visa" } });
    expect(event(refunded)).toMatchObject({ time: Date.UTC(2026, 10, 30, 10), attributes: { amount: -12.5, type: "Refunded" } });
    expect(reason(ambiguous)).toMatch(/^time: zone "IST" names more than one offset/);
  });

  it("reads the payment accounting report (Booking Date, Main Amount, Record Type: Refused is a decline) and an IANA zone or an offset", () => {
    const csv = [
      "Company Account,Merchant Account,Psp Reference,Merchant Reference,Payment Method,Booking Date,TimeZone,Main Currency,Main Amount,Record Type",
      "AcmeCo,AcmeShopUS,991,o-1,visa,2026-11-30 10:00:00,PST,USD,19.99,Refused",
      "AcmeCo,AcmeShopUS,992,o-2,visa,2026-07-01 10:00:00,America/Los_Angeles,USD,5.00,Authorised",
      "AcmeCo,AcmeShopUS,993,o-3,visa,2026-07-01 10:00:00,UTC+05:30,USD,5.00,Authorised",
      "AcmeCo,AcmeShopUS,994,o-4,visa,2026-07-01 10:00:00,Mars/Olympus,USD,5.00,Authorised",
    ].join("\n");
    const [refused, iana, offset, unknown] = parseTransactionCsv(csv, ctx);
    expect(event(refused)).toMatchObject({ time: Date.UTC(2026, 10, 30, 18), severity: "low", attributes: { amount: 19.99, outcome: "refused" } });
    expect(event(iana).time).toBe(Date.UTC(2026, 6, 1, 17));
    expect(event(offset).time).toBe(Date.UTC(2026, 6, 1, 4, 30));
    expect(reason(unknown)).toBe('time: zone "Mars/Olympus" is not an IANA zone');
  });
});
