/**
 * Polls a queue and invokes a function the way Lambda's SQS event source mapping does:
 * batches of up to `batchSize`, several pollers up to the mapping's maximum concurrency,
 * messages deleted only when the function handled them, failed ones left for the queue
 * to redeliver (and, past the redrive policy's receive count, to move to the DLQ).
 * The queue itself, not this poller, counts receives and dead-letters, as in AWS.
 */
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Invocation, Invokable } from '../lambda/invocation';
import type { RunningPart } from '../running-part';
import { compileFilterCriteria, sqsFilterView } from './event-filter';
import { notifyListener, type EventSourceEvents } from './event-source-events';
import { batchOutcome, failedIdsOf } from './partial-batch-response';
import { toLambdaRecord } from './sqs-record';

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
  /** From the queue's redrive policy: a record failing this receive is reported as discarded (the queue moves it to its DLQ). @default none */
  readonly maxReceiveCount?: number;
  /**
   * Local shortcut: make a failed message visible again after this many seconds instead
   * of the queue's visibility timeout (60 s for the orders queue), so retries and the
   * DLQ can be watched without waiting minutes. Unset, the queue's timeout applies as in AWS.
   */
  readonly retryDelaySeconds?: number;
}

export interface SqsEventSourceEvents extends EventSourceEvents<SQSRecord> {
  /** Messages no filter pattern matched: Lambda deletes them unseen. */
  onFilteredOut?(records: readonly SQSRecord[]): void;
}

/** Long enough to make idle polling cheap, short enough that stop() returns promptly. */
const RECEIVE_WAIT_SECONDS = 1;
const ERROR_BACKOFF_MS = 500;
const MAX_MESSAGES_PER_RECEIVE = 10;

/**
 * idle() resolves once no batch is in the function and every poller has found the queue
 * empty after the call; a failed message waiting out its visibility timeout counts as handled.
 */
export function startSqsEventSource(sqs: SQSClient, fn: Invokable, config: SqsEventSourceConfig, events: SqsEventSourceEvents = {}): RunningPart {
  const matches = compileFilterCriteria(config.filterPatterns ?? []);
  const abort = new AbortController();
  const report = (error: unknown) => notifyListener(() => events.onError?.(error), () => undefined);
  const notify = (call: () => void) => notifyListener(call, report);
  // Logical clock for idle(): each idle() call and each receive notes the current tick.
  let tick = 0;
  let batchesInFlight = 0;
  const pollerCount = config.maximumConcurrency ?? 5;
  const lastEmptyReceiveStartedAt: number[] = Array.from({ length: pollerCount }, () => -1);
  const idleWaiters: { since: number; resolve: () => void }[] = [];
  const checkIdle = (): void => {
    for (const waiter of [...idleWaiters]) {
      if (batchesInFlight > 0 || lastEmptyReceiveStartedAt.some((startedAt) => startedAt < waiter.since)) continue;
      idleWaiters.splice(idleWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const pollers = lastEmptyReceiveStartedAt.map((_, index) => poll(index));

  async function poll(index: number): Promise<void> {
    while (!abort.signal.aborted) {
      const startedAt = tick;
      try {
        const messages = await receiveBatch();
        if (messages.length === 0) {
          lastEmptyReceiveStartedAt[index] = startedAt;
        } else {
          batchesInFlight += 1;
          await handle(messages).finally(() => (batchesInFlight -= 1));
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        report(error);
        await sleep(ERROR_BACKOFF_MS, undefined, { signal: abort.signal }).catch(() => undefined);
      } finally {
        checkIdle();
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
      notify(() => events.onFilteredOut?.(unwanted));
    }
    if (wanted.length === 0) return;

    const invocation = await fn.invoke({ Records: wanted } satisfies SQSEvent);
    const failedIds = failedMessageIds(wanted, invocation, config.reportBatchItemFailures);
    await deleteMessages(wanted.filter((record) => !failedIds.has(record.messageId)));
    const failed = wanted.filter((record) => failedIds.has(record.messageId));
    if (failed.length > 0 && config.retryDelaySeconds !== undefined) await delayRetry(failed, config.retryDelaySeconds);
    notify(() => events.onInvocation?.({ records: wanted, invocation, failedRecords: failed.length }));
    const lastChance = failed.filter((record) => Number(record.attributes.ApproximateReceiveCount) >= (config.maxReceiveCount ?? Infinity));
    if (lastChance.length > 0) notify(() => events.onDiscarded?.({ records: lastChance, reason: `failed on receive ${config.maxReceiveCount}` }));
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
      report(new Error(`Could not delete ${Failed.length} handled message(s): ${Failed[0].Message ?? Failed[0].Code}`));
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
    idle() {
      if (abort.signal.aborted) return Promise.resolve();
      const idle = new Promise<void>((resolve) => idleWaiters.push({ since: ++tick, resolve }));
      checkIdle();
      return idle;
    },
    async stop() {
      abort.abort();
      await Promise.all(pollers);
      for (const waiter of idleWaiters.splice(0)) waiter.resolve();
    },
  };
}

/** The ids of the records the queue must keep (see partial-batch-response.ts). */
export function failedMessageIds(records: readonly SQSRecord[], invocation: Invocation, reportBatchItemFailures: boolean): Set<string> {
  const ids = records.map((record) => record.messageId);
  return failedIdsOf(batchOutcome(ids, invocation, reportBatchItemFailures), ids);
}
