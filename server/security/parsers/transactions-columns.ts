// The names payment exports give their columns (and JSON transactions their fields), and the headers
// of data sets whose time is not an instant.

/**
 * CSV header names (compared in lower case) and the transaction field each fills; `attr:x` keeps
 * the value as attribute x. Columns not listed are dropped: in the AWS fraud-detector samples they
 * are personal data (customer name, billing address, e-mail, phone, job) that an event does not need.
 */
export const CSV_COLUMNS: Readonly<Record<string, string>> = {
  event_timestamp: "time", time: "time", timestamp: "time", datetime: "time", created_at: "time", transaction_time: "time", trans_date_trans_time: "time", unix_time: "time",
  // Stripe: `created` (epoch seconds) in its objects, "Created date (UTC)" / "Created (UTC)" in its CSV exports
  created: "time", created_date: "time",
  // Adyen's reports: the stamp without an offset, its zone in a TimeZone column
  creation_date: "time", booking_date: "time", timezone: "zone", time_zone: "zone",
  event_id: "id", id: "id", transaction_id: "id", txn_id: "id", trans_num: "id", transactionid: "id", psp_reference: "id",
  entity_id: "account", account: "account", account_id: "account", customer_id: "account", user_id: "account", wallet: "wallet", wallet_id: "wallet",
  // PaySim's paying account
  nameorig: "account",
  card: "card", card_number: "card", card_token: "card", cc_num: "card", pan: "card", card_fingerprint: "card",
  ip_address: "ip", ip: "ip", ip_addr: "ip", client_ip: "ip", source_ip: "ip",
  device: "device", device_id: "device", user_agent: "device", device_fingerprint: "device",
  order_price: "amount", amount: "amount", amt: "amount", transaction_amount: "amount", transactionamt: "amount", gross: "amount", main_amount: "amount",
  // Adyen's settlement details: a row's money in one of a credit and a debit column (a refund, a chargeback debit)
  gross_credit_gc: "amount_credit", gross_debit_gc: "amount_debit",
  // minor units only where the name says so (Stripe's objects: transactions-stripe.ts)
  amount_cents: "amount_minor", amount_in_cents: "amount_minor", amount_minor: "amount_minor", amount_minor_units: "amount_minor", cents: "amount_minor",
  payment_currency: "currency", currency: "currency", currency_code: "currency", gross_currency: "currency", main_currency: "currency",
  merchant: "merchant", merchant_id: "merchant", merchant_name: "merchant", merchant_account: "merchant",
  outcome: "outcome", status: "outcome", record_type: "outcome",
  decline_reason: "decline_reason", failure_code: "decline_reason",
  event_label: "attr:label", is_fraud: "attr:label", isfraud: "attr:label", entity_type: "attr:entity_type", product_category: "attr:category", category: "attr:category", card_bin: "attr:card_bin",
  type: "attr:type", namedest: "attr:counterparty", payment_method: "attr:payment_method",
};

/**
 * A header's or a JSON key's name as CSV_COLUMNS spells it: lower case, words joined by `_`
 * (Stripe's "Customer ID" is customer_id); `utc` when the name says its time is in UTC
 * ("Created date (UTC)"), so a stamp there without an offset is read in UTC.
 */
export function columnName(name: string): { key: string; utc: boolean } {
  const lower = name.trim().toLowerCase();
  const utc = /\((?:utc|gmt)\)/.test(lower);
  return { key: lower.replace(/\((?:utc|gmt)\)/, "").replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, ""), utc };
}

/** A header that names a data set whose time column is not a time: the reason a file of it is refused. */
export function relativeTimeHeader(keys: readonly string[]): string | null {
  if (keys.includes("step") && keys.includes("nameorig") && !keys.some((k) => CSV_COLUMNS[k] === "time")) {
    return "header: PaySim's step counts hours from the simulation's start, not an instant, and the file has no other time column: add one (time, timestamp …) with each row's instant";
  }
  if (keys.includes("transactiondt") && !keys.some((k) => CSV_COLUMNS[k] === "time")) {
    return "header: TransactionDT (the IEEE-CIS fraud data set) counts seconds from an unstated start, not an instant: add a time column with each row's instant";
  }
  if (keys.includes("date") && keys.includes("time") && (keys.includes("timezone") || keys.includes("time_zone"))) {
    return "header: the time is split over Date, Time and TimeZone columns (PayPal's activity export), in the account's date order and zone names: send one column with each row's instant and its offset (2026-11-30T10:00:00-08:00)";
  }
  if (keys.includes("time") && keys.includes("v1") && keys.includes("v28")) {
    return "header: Time in the credit-card fraud data set (Time, V1 … V28, Amount, Class) counts seconds from its first transaction, not an instant: replace it with each row's instant";
  }
  return null;
}
