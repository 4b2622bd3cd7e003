/**
 * Gets one batch of a shard through the function, or discards what cannot get through,
 * applying stream-batch-policy.ts after each invocation: what is handled leaves the
 * shard's pending records, what is given up on goes to the on-failure destination.
 * Records stay pending when the source stops mid-batch; nothing checkpoints them.
 */
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Invocation, Invokable } from '../lambda/invocation';
import type { StreamEventSourceEvents } from './dynamodb-stream-event-source';
import { notifyListener } from './event-source-events';
import { decide, partitionByAge, streamInvocationRecord, type Attempt, type DiscardCondition, type StreamBatchSettings } from './stream-batch-policy';

/** The shard a batch came from. */
export interface BatchShard {
  readonly shardId: string;
  /** The checkpoint moves past these records. */
  commit(records: readonly DynamoDBRecord[]): void;
  /** A pause that the source's stop() cuts short. */
  sleep(ms: number): Promise<void>;
}

export interface BatchContext {
  readonly fn: Invokable;
  readonly settings: StreamBatchSettings;
  /** Named in error messages and on-failure records. */
  readonly source: { readonly uuid: string; readonly streamArn: string; readonly functionArn: string };
  readonly events: StreamEventSourceEvents;
  readonly onFailure?: (invocationRecord: object) => Promise<void>;
  /** Pause before a retry. */
  readonly retryDelayMs: number;
  /** Pause after the function could not be invoked at all. */
  readonly errorBackoffMs: number;
  readonly stopped: () => boolean;
  readonly report: (error: unknown) => void;
}

export async function runBatch(batch: readonly DynamoDBRecord[], shard: BatchShard, context: BatchContext): Promise<void> {
  const { fn, settings, source, events, report } = context;
  const queue: Attempt[] = [{ records: batch, retries: 0, invocations: 0 }];
  while (queue.length > 0 && !context.stopped()) {
    const { fresh, tooOld } = partitionByAge(queue[0].records, settings.maximumRecordAgeSeconds, Date.now() / 1_000);
    if (tooOld.length > 0) await discard(tooOld, 'RecordAgeExceeded', queue[0], shard, context);
    if (fresh.length === 0) {
      queue.shift();
      continue;
    }
    const attempt: Attempt = { ...queue[0], records: fresh };
    let invocation: Invocation;
    try {
      invocation = await fn.invoke({ Records: [...fresh] } satisfies DynamoDBStreamEvent);
    } catch (error) {
      // Like a throttle or a service error in AWS: retried later, not counted as an attempt.
      report(new Error(`Event source mapping ${source.uuid}: could not invoke ${fn.functionName}`, { cause: error }));
      queue[0] = attempt;
      await shard.sleep(context.errorBackoffMs);
      continue;
    }
    const decision = decide({ ...attempt, invocations: attempt.invocations + 1, last: invocation }, invocation, settings);
    const failedRecords = decision.kind === 'done' ? 0 : decision.kind === 'split' ? fresh.length : fresh.length - decision.commit.length;
    notifyListener(() => events.onInvocation?.({ records: fresh, invocation, failedRecords }), report);
    switch (decision.kind) {
      case 'done':
        shard.commit(decision.commit);
        queue.shift();
        break;
      case 'split':
        queue.splice(0, 1, ...decision.halves);
        break;
      case 'discard':
        shard.commit(decision.commit);
        await discard(decision.discard.records, 'RetryAttemptsExhausted', decision.discard, shard, context);
        queue.shift();
        break;
      case 'retry':
        shard.commit(decision.commit);
        queue[0] = decision.retry;
        await shard.sleep(context.retryDelayMs);
        break;
    }
  }
}

async function discard(records: readonly DynamoDBRecord[], condition: DiscardCondition, attempt: Attempt, shard: BatchShard, context: BatchContext): Promise<void> {
  const { source, events, report } = context;
  const invocationRecord = streamInvocationRecord({ ...source, shardId: shard.shardId }, records, condition, attempt);
  shard.commit(records);
  const reason = condition === 'RetryAttemptsExhausted' ? 'retries-exhausted' : 'record-too-old';
  notifyListener(() => events.onDiscarded?.({ records, reason, invocationRecord }), report);
  if (!context.onFailure) return;
  try {
    await context.onFailure(invocationRecord);
  } catch (error) {
    // AWS would keep trying the destination; here the record is reported and dropped.
    report(new Error(`Event source mapping ${source.uuid}: could not send the on-failure record`, { cause: error }));
  }
}
