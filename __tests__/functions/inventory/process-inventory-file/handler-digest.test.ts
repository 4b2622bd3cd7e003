/**
 * ProcessInventoryFile in digest mode, with S3, DynamoDB and SNS replaced by fakes: one
 * email per upload, published only once the whole file is in the table. (The handler's
 * own suite, handler.test.ts, runs it against the emulators in the seed's per-product mode.)
 */
import type { S3Event } from 'aws-lambda';
import { s3EventRecord } from '../../../../local/event-sources/s3-event-record';
import { lambdaContext } from '../../support/lambda-events';
import { SEED_INVENTORY_TEXT } from '../../support/seed-inventory';

const calls: string[] = [];
const published: { topicArn: string; subject: string; message: string }[] = [];
let writeFails = false;
let fileText = SEED_INVENTORY_TEXT;

jest.mock('../../../../functions/inventory/process-inventory-file/upload-bucket', () => ({
  readUpload: async () => {
    calls.push('read');
    return { tooLarge: false, bytes: new TextEncoder().encode(fileText), contentType: 'application/json' };
  },
  storeRejection: async () => {
    calls.push('reject');
  },
}));
jest.mock('../../../../functions/inventory/process-inventory-file/inventory-table', () => ({
  writeInventoryItems: async (_client: unknown, _table: string, items: unknown[]) => {
    calls.push(`write ${items.length}`);
    if (writeFails) throw new Error('DynamoDB is unavailable');
  },
}));
jest.mock('../../../../functions/shared/publish-notification', () => ({
  publishNotification: async (_sns: unknown, topicArn: string, notification: { subject: string; message: string }) => {
    calls.push('publish');
    published.push({ topicArn, ...notification });
    return 'message-1';
  },
}));

type Handler = typeof import('../../../../functions/inventory/process-inventory-file/handler').handler;
const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:test-inventory-alerts';
const BASE_ENV = { POWERTOOLS_LOG_LEVEL: 'SILENT', TABLE_NAME: 'InventoryTable', UPLOAD_PREFIX: 'uploads/', REJECTED_PREFIX: 'rejected/', MAX_FILE_BYTES: '1000000', OUTCOME_TABLE_NAME: 'InventoryUploads' };

function loadHandler(env: Record<string, string>): Handler {
  const saved = { ...process.env };
  Object.assign(process.env, BASE_ENV, env);
  try {
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      handler = (require('../../../../functions/inventory/process-inventory-file/handler') as { handler: Handler }).handler;
    });
    return handler as Handler;
  } finally {
    for (const name of Object.keys({ ...BASE_ENV, ...env })) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

const upload = (key: string): S3Event => ({
  Records: [s3EventRecord({ bucket: 'uploads-bucket', key, size: 100, eTag: 'etag', versionId: 'v1', eventName: 'ObjectCreated:Put' }, { region: 'us-east-1', configurationId: 'uploads' })],
});

beforeEach(() => {
  calls.length = 0;
  published.length = 0;
  writeFails = false;
  fileText = SEED_INVENTORY_TEXT;
});

describe('ProcessInventoryFile with ANNOUNCEMENTS=digest', () => {
  it('publishes one digest for the upload, after the whole file is written', async () => {
    const handler = loadHandler({ ANNOUNCEMENTS: 'digest', TOPIC_ARN });
    const products = (JSON.parse(SEED_INVENTORY_TEXT) as unknown[]).length;
    await expect(handler(upload('uploads/inventory.json'), lambdaContext('ProcessInventoryFile'))).resolves.toEqual({
      files: [{ key: 'uploads/inventory.json', outcome: 'written', items: products }],
    });
    expect(calls).toEqual(['read', `write ${products}`, 'publish']);
    expect(published).toEqual([expect.objectContaining({ topicArn: TOPIC_ARN, subject: 'Inventory Update' })]);
    expect(published[0].message).toMatch(/^The inventory file uploads\/inventory.json was written/);
  });

  it('publishes nothing when the write fails: the retry writes again and then publishes', async () => {
    const handler = loadHandler({ ANNOUNCEMENTS: 'digest', TOPIC_ARN });
    writeFails = true;
    await expect(handler(upload('uploads/inventory.json'), lambdaContext('ProcessInventoryFile'))).rejects.toThrow('DynamoDB is unavailable');
    expect(published).toEqual([]);
  });

  it('publishes nothing for a rejected file', async () => {
    const handler = loadHandler({ ANNOUNCEMENTS: 'digest', TOPIC_ARN });
    fileText = '[{"productId": 1}]';
    const result = await handler(upload('uploads/bad.json'), lambdaContext('ProcessInventoryFile'));
    expect(result.files[0].outcome).toBe('rejected');
    expect(calls).not.toContain('publish');
  });

  it('refuses to start without the topic it must announce to', () => {
    expect(() => loadHandler({ ANNOUNCEMENTS: 'digest' })).toThrow('Missing required environment variable TOPIC_ARN');
  });
});

describe("ProcessInventoryFile in the seed's per-product mode", () => {
  it('publishes nothing itself: NotifyInventoryUpdate announces each new product from the stream', async () => {
    const handler = loadHandler({});
    await handler(upload('uploads/inventory.json'), lambdaContext('ProcessInventoryFile'));
    expect(calls).not.toContain('publish');
  });
});
