import type { StoredEvent } from "../types";
import { numAttr, sourceOf, textAttr } from "./ids-fields";

// How the payment rules read a `transaction` event (attributes: amount, currency, card, device,
// merchant, outcome; `user` is the account or wallet, `src_ip` the client address).

export const PAYMENT_DIMENSIONS = ["account", "card", "device", "ip"] as const;
export type PaymentDimension = (typeof PAYMENT_DIMENSIONS)[number];

/** The value of one dimension of a transaction, or null when it has none. */
export function dimensionValue(e: StoredEvent, dimension: PaymentDimension): string | null {
  switch (dimension) {
    case "account":
      return e.user ? e.user.slice(0, 200) : null;
    case "card":
      return textAttr(e, "card");
    case "device":
      return textAttr(e, "device");
    case "ip":
      return sourceOf(e);
  }
}

/** The amount, when it is a finite number of at least zero. */
export function amountOf(e: StoredEvent): number | null {
  const a = numAttr(e, "amount");
  return a !== null && a >= 0 ? a : null;
}

/** A refund or chargeback: money going back (a negative amount), not a payment of the account's. */
export function isRefund(e: StoredEvent): boolean {
  const a = numAttr(e, "amount");
  return a !== null && a < 0;
}

/** The currency code, upper-case (at most 12 characters), or "unknown". */
export function currencyOf(e: StoredEvent): string {
  return (textAttr(e, "currency") ?? "unknown").toUpperCase().slice(0, 12);
}

/** Outcomes that count as a decline. */
export const DECLINED_OUTCOMES: ReadonlySet<string> = new Set(["declined", "decline", "denied", "refused", "rejected", "failed"]);

export function isDeclined(e: StoredEvent): boolean {
  const outcome = textAttr(e, "outcome");
  return outcome !== null && DECLINED_OUTCOMES.has(outcome.toLowerCase());
}
