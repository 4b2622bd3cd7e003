/**
 * Asynchronous invocation, as S3 (and SNS, EventBridge...) invoke a function: the event
 * is queued, the function runs when it can, a failure is retried after a delay up to
 * the function's `maximum_retry_attempts`, and an event that is given up on, for
 * retries or for age, is sent to the on-failure destination with Lambda's invocation
 * record. Nothing is dropped without being reported.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { notifyListener, type EventSourceEvents } from '../event-sources/event-source-events';
import type { RunningPart } from '../running-part';
import type { InvocationFailure, Invokable } from './invocation';

export interface AsyncInvocationConfig {
  /** Reported as `requestContext.functionArn` in on-failure records. */
  readonly functionArn: string;
  /** From aws_lambda_function_event_invoke_config. @default 2, as Lambda */
  readonly maximumRetryAttempts?: number;
  /** @default 21600 (6 hours), as Lambda */
  readonly maximumEventAgeSeconds?: number;
  /**
   * Waits before the first and second retries. @default [60, 120]: Lambda waits one
   * minute, then two. The local runtime's --retry-delay shortens them.
   */
  readonly retryDelaysSeconds?: readonly number[];
  /** Where given-up events go; undefined = they are only reported. */
  readonly onFailure?: (invocationRecord: AsyncInvocationRecord) => Promise<void>;
}

export type DiscardCondition = 'RetriesExhausted' | 'EventAgeExceeded';

/** The record Lambda sends to an asynchronous invocation's on-failure destination. */
export interface AsyncInvocationRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: DiscardCondition;
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: { readonly statusCode: 200; readonly executedVersion: '$LATEST'; readonly functionError?: 'Unhandled' };
  readonly responsePayload?: { readonly errorType: string; readonly errorMessage: string; readonly trace: readonly string[] };
}

/** Each event is one record: its invocations, and why it was given up on (the condition Lambda reports). */
export type AsyncInvocationListener = EventSourceEvents<unknown, DiscardCondition>;

const DEFAULT_RETRY_DELAYS_SECONDS = [60, 120];

export class AsyncInvoker implements RunningPart {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly fn: Invokable,
    private readonly config: AsyncInvocationConfig,
    private readonly listener: AsyncInvocationListener = {},
  ) {}

  get functionName(): string {
    return this.fn.functionName;
  }

  /** Accepts the event and returns at once, as Invoke with InvocationType=Event does. */
  enqueue(event: unknown): void {
    if (this.stopping.signal.aborted) return;
    const delivery = this.deliver(event).catch((error: unknown) => this.report(error));
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  /** Resolves once every accepted event has succeeded or been given up on. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Abandons waiting retries; an invocation under way finishes with its function's stop. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }

  private async deliver(event: unknown): Promise<void> {
    const acceptedAt = Date.now();
    const maximumRetries = this.config.maximumRetryAttempts ?? 2;
    const maximumAgeMs = (this.config.maximumEventAgeSeconds ?? 21_600) * 1000;
    const delays = this.config.retryDelaysSeconds ?? DEFAULT_RETRY_DELAYS_SECONDS;

    let last: InvocationFailure | undefined;
    for (let attempt = 1; attempt <= maximumRetries + 1; attempt++) {
      if (attempt > 1) {
        const delaySeconds = delays[Math.min(attempt - 2, delays.length - 1)] ?? 0;
        const aborted = await sleep(delaySeconds * 1000, false, { signal: this.stopping.signal }).catch(() => true);
        if (aborted) return;
        if (Date.now() - acceptedAt > maximumAgeMs) {
          return this.discard(event, 'EventAgeExceeded', attempt - 1, last);
        }
      }
      const invocation = await this.fn.invoke(event);
      this.notify(() => this.listener.onInvocation?.({ records: [event], invocation, failedRecords: invocation.ok ? 0 : 1 }));
      if (invocation.ok) return;
      last = invocation;
    }
    return this.discard(event, 'RetriesExhausted', maximumRetries + 1, last);
  }

  private async discard(event: unknown, condition: DiscardCondition, invokeCount: number, last: InvocationFailure | undefined): Promise<void> {
    const invocationRecord: AsyncInvocationRecord = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: last?.requestId ?? randomUUID(),
        functionArn: `${this.config.functionArn}:$LATEST`,
        condition,
        approximateInvokeCount: invokeCount,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(last ? { functionError: 'Unhandled' as const } : {}) },
      ...(last
        ? { responsePayload: { errorType: last.error.errorType, errorMessage: last.error.errorMessage, trace: last.error.stackTrace ?? [] } }
        : {}),
    };
    this.notify(() => this.listener.onDiscarded?.({ records: [event], reason: condition, invocationRecord }));
    if (this.config.onFailure) await this.config.onFailure(invocationRecord);
  }

  private notify(call: () => void): void {
    notifyListener(call, (error) => this.report(error));
  }

  private report(error: unknown): void {
    notifyListener(() => this.listener.onError?.(error), () => undefined);
  }
}
