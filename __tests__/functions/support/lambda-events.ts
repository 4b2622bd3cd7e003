import type { Context, S3Event, S3EventRecord, SQSEvent, SQSRecord } from 'aws-lambda';
import { createHash, randomUUID } from 'node:crypto';

/** A Lambda context as the runtime passes it; handlers only log parts of it. */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2025/01/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * An SQS record shaped as Lambda delivers it from POC-Queue. Reusing one record object
 * for two invocations is exactly what a redelivery looks like to the handler: same
 * messageId, body and SentTimestamp.
 */
export function sqsRecord(body: string, options: { messageId?: string; sentAt?: Date } = {}): SQSRecord {
  const messageId = options.messageId ?? randomUUID();
  const sentTimestamp = String((options.sentAt ?? new Date()).getTime());
  return {
    messageId,
    receiptHandle: `AQEB${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: sentTimestamp,
      SenderId: 'AROAEXAMPLE:BackplaneAssumeRoleSession',
      ApproximateFirstReceiveTimestamp: sentTimestamp,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:POC-Queue',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/**
 * An S3 event as a bucket notification delivers it to Lambda. Build its records with
 * `s3EventRecord` (local/event-sources/s3-event-record.ts), which encodes keys as S3 does.
 */
export function s3Event(...records: S3EventRecord[]): S3Event {
  return { Records: records };
}
