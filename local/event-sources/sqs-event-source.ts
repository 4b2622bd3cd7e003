/**
 * Polls a queue and invokes a function the way Lambda's SQS event source mapping does:
 * batches of up to `batchSize`, several pollers up to the mapping's maximum concurrency,
 * messages deleted only when the function handled them, failed ones left for the queue
 * to redeliver (and, past the redrive policy's receive count, to move to the DLQ).
 * The queue itself, not this poller, counts receives and dead-letters, as in AWS.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { compileFilterCriteria, sqsFilterView } from './event-filter';
import type { Invocation, Invokable } from '../lambda/invocation';

export interface SqsEventSourceConfig {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  /** batch_size; SQS hands out at most 10 messages per receive. @default 10 */
  readonly batchSize?: number;
  /** scaling_config.maximum_concurrency: how many batches may be in the function at once. @default 5 (Lambda's initial pollers) */
  readonly maximumConcurrency?: number;
  /** function_response_types includes ReportBatchItemFailures. */
  readonly reportBatchItemFailures: boolean;
  /** filter_criteria.filter[].pattern */
  readonly filterPatterns?: readonly string[];
  /**
   * Local shortcut: make a failed message visible again after this many seconds instead
   * of the queue's visibility timeout (60 s for the orders queue), so retries and the
   * DLQ can be watched without waiting minutes. Unset, the queue's timeout applies as in AWS.
   */
  readonly retryDelaySeconds?: number;
}

export interface SqsBatchOutcome {
  readonly records: readonly SQSRecord[];
  readonly invocation: Invocation;
  /** Message ids the queue keeps for redelivery. */
  readonly failedMessageIds: readonly string[];
}

export interface SqsEventSourceEvents {
  onBatch?(outcome: SqsBatchOutcome): void;
  /** Messages no filter pattern matched: Lambda deletes them unseen. */
  onFilteredOut?(records: readonly SQSRecord[]): void;
  /** Polling problems; the poller keeps going. */
  onError?(error: unknown): void;
}

export interface RunningEventSource {
  stop(): Promise<void>;
}

/** Long enough to make idle polling cheap, short enough that stop() returns promptly. */
const RECEIVE_WAIT_SECONDS = 1;
const ERROR_BACKOFF_MS = 500;
const MAX_MESSAGES_PER_RECEIVE = 10;

export function startSqsEventSource(
  sqs: SQSClient,
  fn: Invokable,
  config: SqsEventSourceConfig,
  events: SqsEventSourceEvents = {},
): RunningEventSource {
  const matches = compileFilterCriteria(config.filterPatterns ?? []);
  const abort = new AbortController();
  const pollers = Array.from({ length: config.maximumConcurrency ?? 5 }, () => poll());

  async function poll(): Promise<void> {
    while (!abort.signal.aborted) {
      try {
        const messages = await receiveBatch();
        if (messages.length > 0) await handle(messages);
      } catch (error) {
        if (abort.signal.aborted) return;
        events.onError?.(error);
        await sleep(ERROR_BACKOFF_MS, undefined, { signal: abort.signal }).catch(() => undefined);
      }
    }
  }

  async function receiveBatch(): Promise<Message[]> {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: config.queueUrl,
        MaxNumberOfMessages: Math.min(config.batchSize ?? 10, MAX_MESSAGES_PER_RECEIVE),
        WaitTimeSeconds: RECEIVE_WAIT_SECONDS,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );
    return Messages ?? [];
  }

  async function handle(messages: Message[]): Promise<void> {
    const records = messages.map((message) => toLambdaRecord(message, config));
    const wanted = records.filter((record) => matches(sqsFilterView(record)));
    const unwanted = records.filter((record) => !wanted.includes(record));
    if (unwanted.length > 0) {
      await deleteMessages(unwanted);
      events.onFilteredOut?.(unwanted);
    }
    if (wanted.length === 0) return;

    const invocation = await fn.invoke({ Records: wanted } satisfies SQSEvent);
    const failedIds = failedMessageIds(wanted, invocation, config.reportBatchItemFailures);
    await deleteMessages(wanted.filter((record) => !failedIds.has(record.messageId)));
    const failed = wanted.filter((record) => failedIds.has(record.messageId));
    if (failed.length > 0 && config.retryDelaySeconds !== undefined) await delayRetry(failed, config.retryDelaySeconds);
    events.onBatch?.({ records: wanted, invocation, failedMessageIds: [...failedIds] });
  }

  async function deleteMessages(records: readonly SQSRecord[]): Promise<void> {
    if (records.length === 0) return;
    const { Failed } = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: config.queueUrl,
        Entries: records.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      }),
    );
    if (Failed && Failed.length > 0) {
      // The message will come back and be handled again: the handler's idempotency covers it.
      events.onError?.(new Error(`Could not delete ${Failed.length} handled message(s): ${Failed[0].Message ?? Failed[0].Code}`));
    }
  }

  async function delayRetry(records: readonly SQSRecord[], seconds: number): Promise<void> {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: config.queueUrl,
        Entries: records.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds })),
      }),
    );
  }

  return {
    async stop() {
      abort.abort();
      await Promise.all(pollers);
    },
  };
}

/**
 * The ids the queue must keep. A function error keeps the whole batch. With partial
 * batch responses, the listed ids are kept; a response naming an id that is not in the
 * batch (or an empty id) is invalid and, as in Lambda, fails the whole batch.
 */
export function failedMessageIds(records: readonly SQSRecord[], invocation: Invocation, reportBatchItemFailures: boolean): Set<string> {
  const all = new Set(records.map((record) => record.messageId));
  if (!invocation.ok) return all;
  if (!reportBatchItemFailures) return new Set();
  const failures = (invocation.result as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const ids = failures.map((failure: { itemIdentifier?: unknown } | null) => failure?.itemIdentifier);
  if (ids.some((id) => typeof id !== 'string' || !all.has(id))) return all;
  return new Set(ids as string[]);
}

/** The record Lambda builds from a received message. */
export function toLambdaRecord(message: Message, source: Pick<SqsEventSourceConfig, 'queueArn' | 'region'>): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId ? { MessageDeduplicationId: attributes.MessageDeduplicationId } : {}),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          stringValue: value.StringValue,
          binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
          stringListValues: value.StringListValues ?? [],
          binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
          dataType: value.DataType ?? 'String',
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: source.queueArn,
    awsRegion: source.region,
  };
}
