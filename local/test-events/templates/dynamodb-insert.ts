/**
 * A new row of the table whose stream invokes a function: an INSERT record with the
 * images the stream's view type carries (seed 001, Step 7.4, which the console calls
 * "DynamoDB-Update"; an INSERT is the record the stack's filter lets through).
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBStreamEvent } from 'aws-lambda';
import { randomBytes, randomUUID } from 'node:crypto';
import { sampleItemFor } from '../sample-data';
import { stackNames } from '../stack-names';
import type { TestEventTemplate } from '../test-event-template';
import { mappingsOf } from './event-sources';

export const dynamodbInsertTemplate: TestEventTemplate = {
  name: 'dynamodb-insert',
  description: 'a new row (INSERT) of the table whose stream invokes a function',
  options: [],
  unfit: (stack) => (mappingsOf(stack, stackNames(stack), 'dynamodb-stream').length === 0 ? 'it has no DynamoDB stream event source mapping' : undefined),
  build: ({ stack, names, now }): DynamoDBStreamEvent => {
    const [mapping] = mappingsOf(stack, names, 'dynamodb-stream');
    const [terraformName, table] = [...names.tables.entries()].find(([, candidate]) => candidate.streamArn === mapping.eventSourceArn)!;
    const config = stack.resource('aws_dynamodb_table', terraformName);
    const keys = { hashKey: String(config.hash_key), rangeKey: typeof config.range_key === 'string' ? config.range_key : undefined };
    const image = marshall(sampleItemFor(keys, randomUUID(), now)) as Record<string, AttributeValue>;
    const keyImage = Object.fromEntries(Object.entries(image).filter(([name]) => name === keys.hashKey || name === keys.rangeKey));
    const viewType = String(config.stream_view_type) as 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
    return {
      Records: [
        {
          eventID: randomBytes(16).toString('hex'),
          eventName: 'INSERT',
          eventVersion: '1.1',
          eventSource: 'aws:dynamodb',
          awsRegion: names.region,
          eventSourceARN: table.streamArn,
          dynamodb: {
            ApproximateCreationDateTime: Math.floor(now.getTime() / 1000),
            Keys: keyImage,
            // An INSERT has no old image, whatever the view type.
            ...(viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? { NewImage: image } : {}),
            SequenceNumber: `${now.getTime()}000000000000001`,
            SizeBytes: Buffer.byteLength(JSON.stringify(image)),
            StreamViewType: viewType,
          },
        },
      ],
    };
  },
};
