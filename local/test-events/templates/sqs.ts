/**
 * The console's "SQS" template: one message, body "Hello from SQS!", as the queue a
 * function is polled from would deliver it (seed 001, Step 4.4).
 */
import type { SQSEvent } from 'aws-lambda';
import { createHash, randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from '../../emulators/local-account';
import { toLambdaRecord } from '../../event-sources/sqs-record';
import { stackNames } from '../stack-names';
import type { TestEventTemplate } from '../test-event-template';
import { mappingsOf } from './event-sources';

export const sqsTemplate: TestEventTemplate = {
  name: 'sqs',
  description: 'a message from the queue a function is polled from (body "Hello from SQS!")',
  options: ['body'],
  unfit: (stack) => (mappingsOf(stack, stackNames(stack), 'sqs').length === 0 ? 'it has no SQS event source mapping' : undefined),
  build: ({ stack, names, options, now }): SQSEvent => {
    const [mapping] = mappingsOf(stack, names, 'sqs');
    const body = options.body ?? 'Hello from SQS!';
    const sent = String(now.getTime());
    const record = toLambdaRecord(
      {
        MessageId: randomUUID(),
        ReceiptHandle: 'MessageReceiptHandle',
        Body: body,
        MD5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
        Attributes: { ApproximateReceiveCount: '1', SentTimestamp: sent, SenderId: LOCAL_ACCOUNT_ID, ApproximateFirstReceiveTimestamp: sent },
      },
      { queueArn: mapping.eventSourceArn, region: names.region },
    );
    return { Records: [record] };
  },
};
