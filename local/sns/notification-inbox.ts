/**
 * Captures what the stack's topics would email or text. Nothing local can send either, so each
 * topic gets a queue of its own subscribed to it (SNS -> SQS fan-out, as in AWS) and
 * every delivery is read back: the notification a person would receive, exactly once
 * per publish, with its subject.
 */
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalTopic } from '../provision/provisioned-stack';
import type { RunningPart } from '../running-part';

export interface CapturedNotification {
  readonly topicArn: string;
  /** Who the stack subscribes by email (empty when it subscribes no one). */
  readonly emailSubscribers: readonly string[];
  /** Who the stack subscribes by SMS; a text carries the message alone, without the subject. */
  readonly smsSubscribers: readonly string[];
  readonly messageId: string;
  readonly subject?: string;
  readonly message: string;
  /** When the inbox read it, epoch ms: the end of an order's journey in latency figures. */
  readonly capturedAt: number;
}

const RECEIVE_WAIT_SECONDS = 1;
const ERROR_BACKOFF_MS = 500;
/** fauxqs rejects names longer than SQS's 80 characters, as AWS does. */
const MAX_QUEUE_NAME = 80;

export class NotificationInbox implements RunningPart {
  private readonly captured: CapturedNotification[] = [];
  private readonly listeners = new Set<(notification: CapturedNotification) => void>();
  private readonly abort = new AbortController();
  private readers: Promise<void>[] = [];
  /** Logical clock for idle(): each idle() call and each receive notes the current tick. */
  private tick = 0;
  /** Per topic's queue: the tick at which its last receive that found nothing started. */
  private readonly lastEmptyReceiveStartedAt: number[] = [];
  private readonly idleWaiters: { since: number; resolve: () => void }[] = [];

  private constructor(
    private readonly sqs: SQSClient,
    private readonly onError: (error: unknown) => void,
  ) {}

  static async open(
    clients: { sqs: SQSClient; sns: SNSClient },
    topics: readonly LocalTopic[],
    onError: (error: unknown) => void = () => {},
  ): Promise<NotificationInbox> {
    const inbox = new NotificationInbox(clients.sqs, onError);
    for (const topic of topics) {
      const queueName = `${topic.name.replace(/\.fifo$/, '')}-local-inbox`.slice(0, MAX_QUEUE_NAME);
      const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: queueName }));
      const queueUrl = QueueUrl as string;
      const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
      await clients.sns.send(new SubscribeCommand({ TopicArn: topic.arn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
      inbox.readers.push(inbox.read(queueUrl, topic, inbox.lastEmptyReceiveStartedAt.push(-1) - 1));
    }
    return inbox;
  }

  /** Every notification captured so far, oldest first. */
  all(): readonly CapturedNotification[] {
    return [...this.captured];
  }

  onNotification(listener: (notification: CapturedNotification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once `count` notifications satisfying `predicate` were captured (including
   * earlier ones); rejects after `timeoutMs` saying how many arrived.
   */
  async waitFor(
    count: number,
    predicate: (notification: CapturedNotification) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<CapturedNotification[]> {
    const matching = this.captured.filter(predicate);
    if (matching.length >= count) return matching;
    // Each capture is checked once as it arrives: a wait for a thousand notifications does
    // not test every earlier one again on every pass.
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`Expected ${count} notification(s), ${matching.length} arrived within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        unsubscribe();
        outcome();
      };
      const unsubscribe = this.onNotification((notification) => {
        try {
          if (!predicate(notification)) return;
        } catch (error) {
          settle(() => reject(error as Error));
          return;
        }
        matching.push(notification);
        if (matching.length >= count) settle(() => resolve(matching));
      });
    });
  }

  /** Resolves once every notification delivered to the inbox before the call has been captured. */
  idle(): Promise<void> {
    if (this.abort.signal.aborted) return Promise.resolve();
    const idle = new Promise<void>((resolve) => this.idleWaiters.push({ since: ++this.tick, resolve }));
    this.checkIdle();
    return idle;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.readers);
    for (const waiter of this.idleWaiters.splice(0)) waiter.resolve();
  }

  private checkIdle(): void {
    for (const waiter of [...this.idleWaiters]) {
      if (this.lastEmptyReceiveStartedAt.some((startedAt) => startedAt < waiter.since)) continue;
      this.idleWaiters.splice(this.idleWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private async read(queueUrl: string, topic: LocalTopic, reader: number): Promise<void> {
    while (!this.abort.signal.aborted) {
      const startedAt = this.tick;
      try {
        const { Messages = [] } = await this.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: RECEIVE_WAIT_SECONDS }),
          { abortSignal: this.abort.signal },
        );
        if (Messages.length === 0) {
          this.lastEmptyReceiveStartedAt[reader] = startedAt;
          this.checkIdle();
          continue;
        }
        for (const message of Messages) this.capture(JSON.parse(message.Body ?? '{}') as SnsEnvelope, topic);
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
          }),
        );
      } catch (error) {
        if (this.abort.signal.aborted) return;
        // A notification left on the queue is read on the next pass; nothing is lost by waiting.
        this.onError(error);
        await sleep(ERROR_BACKOFF_MS);
      }
    }
  }

  private capture(envelope: SnsEnvelope, topic: LocalTopic): void {
    const notification: CapturedNotification = {
      topicArn: envelope.TopicArn ?? topic.arn,
      emailSubscribers: topic.emailSubscribers,
      smsSubscribers: topic.smsSubscribers,
      messageId: envelope.MessageId ?? '',
      subject: envelope.Subject ?? undefined,
      message: envelope.Message ?? '',
      capturedAt: Date.now(),
    };
    this.captured.push(notification);
    for (const listener of this.listeners) listener(notification);
  }
}

/** The JSON SNS wraps a message in when delivering it to a queue. */
interface SnsEnvelope {
  readonly MessageId?: string;
  readonly TopicArn?: string;
  readonly Subject?: string | null;
  readonly Message?: string;
}
