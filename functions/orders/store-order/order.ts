import type { SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { describeJsonType, ORDER_FIELD_NAMES, orderFieldProblem } from '../shared/order-request-rules';

/** The body a client POSTs to the orders API (the lab's test request). */
export interface OrderRequest {
  readonly item: string;
  readonly customerID: string;
}

/** One row of the `orders` table. */
export interface StoredOrder {
  /** The SQS message id: the id the REST API already returned to the client. */
  readonly orderID: string;
  readonly item: string;
  readonly customerID: string;
  /** The raw request body, kept as the lab stored it so nothing the client sent is lost. */
  readonly order: string;
  /** When SQS accepted the message, as an ISO 8601 UTC timestamp. */
  readonly receivedAt: string;
}

/** The parts of an SQS record an order is built from. */
export type OrderMessage = Pick<SQSRecord, 'messageId' | 'body'> & {
  readonly attributes: Pick<SQSRecordAttributes, 'SentTimestamp'>;
};

/**
 * The message can never become an order, however often it is retried. The handler
 * reports it as a batch item failure so that the queue's redrive policy parks it in the
 * dead-letter queue, where a person can read why.
 */
export class InvalidOrderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOrderError';
  }
}

/**
 * Parses and validates an order body.
 *
 * Values are returned exactly as sent (no trimming or normalisation): the stored row and
 * the notification must show what the customer ordered, including `&`, `+`, quotes and
 * non-ASCII text.
 *
 * @throws InvalidOrderError naming every problem at once, so one look at the
 *   dead-letter queue explains the message.
 */
export function parseOrderRequest(body: string): OrderRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new InvalidOrderError(`Order body is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidOrderError(`Order body must be a JSON object, got ${describeJsonType(parsed)}`);
  }

  const fields = parsed as Record<string, unknown>;
  const problems = ORDER_FIELD_NAMES.flatMap((name) => {
    const problem = orderFieldProblem(name, fields[name]);
    return problem === undefined ? [] : [problem];
  });
  if (problems.length > 0) {
    throw new InvalidOrderError(`Order body is invalid: ${problems.join('; ')}`);
  }
  return { item: fields.item as string, customerID: fields.customerID as string };
}

/**
 * Builds the row for one SQS message.
 *
 * The key is the message id rather than a fresh UUID (the lab's choice): SQS delivers at
 * least once, and a redelivered message must land on the same row instead of creating a
 * second order and a second email.
 */
export function toStoredOrder(message: OrderMessage): StoredOrder {
  const { item, customerID } = parseOrderRequest(message.body);
  return {
    orderID: message.messageId,
    item,
    customerID,
    order: message.body,
    receivedAt: sentTimestampToIso(message.attributes.SentTimestamp),
  };
}

/**
 * Converts SQS's `SentTimestamp` (epoch milliseconds, as a string) to ISO 8601.
 * It is the time the order entered the system, which stays the same on every redelivery.
 */
export function sentTimestampToIso(sentTimestamp: string): string {
  const millis = /^\d+$/.test(sentTimestamp) ? Number(sentTimestamp) : Number.NaN;
  const date = new Date(millis);
  if (Number.isNaN(date.getTime())) {
    // Not the customer's fault: SQS always sets it, so this is a malformed event.
    throw new Error(`SQS record has no valid SentTimestamp (got ${JSON.stringify(sentTimestamp)})`);
  }
  return date.toISOString();
}
