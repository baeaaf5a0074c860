// Stripe's API objects (a charge, payment intent, refund, dispute or balance transaction, or an
// event whose data holds one), as a Stripe export or webhook log writes them. Their `object` field
// names the schema, and in it `amount` is an integer in the currency's minor units (1250 EUR cents
// is 12.50 EUR; 1250 JPY is 1250 JPY): so they are read as such only when `object` says so.

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Stripe objects that are one movement of money. */
const MONEY_OBJECTS = new Set(["charge", "payment_intent", "refund", "dispute", "balance_transaction"]);
/** A refund and a dispute (a chargeback) take money back: Stripe writes their amount positive, their balance transaction negative. */
const MONEY_BACK = new Set(["refund", "dispute"]);

/** A Stripe money object, or a Stripe event holding one, with an integer amount and a currency. */
export function isStripeObject(obj: Rec): boolean {
  const inner = obj.object === "event" && isRecord(obj.data) && isRecord(obj.data.object) ? obj.data.object : obj;
  return typeof inner.object === "string" && MONEY_OBJECTS.has(inner.object) && Number.isSafeInteger(inner.amount) && typeof inner.currency === "string";
}

/**
 * The object's fields under the transaction names: `id`, `time` (`created`, epoch seconds),
 * `amount` (minor units, negative for a refund or dispute), `currency`, `outcome` (`status`),
 * `decline_reason` (`failure_code`, a payment intent's last error, a dispute's reason), `card` (the
 * card's fingerprint: Stripe never writes the number), `account` (`customer`), `type` (the object,
 * or a balance transaction's type; an event's type for an event).
 */
export function fromStripe(obj: Rec): Rec {
  const event = obj.object === "event" ? obj : null;
  const o = event && isRecord(event.data) && isRecord(event.data.object) ? event.data.object : obj;
  const kind = o.object as string;
  const amount = o.amount as number;
  const card = isRecord(o.payment_method_details) && isRecord(o.payment_method_details.card) ? o.payment_method_details.card : isRecord(o.source) ? o.source : isRecord(o.card) ? o.card : {};
  const error = isRecord(o.last_payment_error) ? o.last_payment_error : {};
  const customer = isRecord(o.customer) ? o.customer.id : o.customer;
  return {
    id: str(event?.id) ?? str(o.id),
    time: event?.created ?? o.created,
    amount: MONEY_BACK.has(kind) ? -amount : amount,
    currency: o.currency,
    outcome: str(o.status),
    decline_reason: str(o.failure_code) ?? str(error.decline_code) ?? str(error.code) ?? (kind === "dispute" ? str(o.reason) : undefined) ?? (isRecord(o.outcome) ? str(o.outcome.reason) : undefined),
    card: str(card.fingerprint),
    account: str(customer),
    type: str(event?.type) ?? (kind === "balance_transaction" ? str(o.type) ?? kind : kind),
  };
}
