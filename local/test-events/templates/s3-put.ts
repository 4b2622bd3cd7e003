/**
 * The console's "S3 Put" template: a new object in the bucket whose notification invokes
 * a function, under its filter (seed 003, TEST 1). The object itself is not created:
 * `invoke --put <file>` uploads one where the event says it is.
 */
import type { S3Event } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { s3EventRecord } from '../../event-sources/s3-event-record';
import { bucketNotifications } from '../../stack/bucket-notifications';
import { stackNames } from '../stack-names';
import { TemplateOptionError, type TestEventTemplate } from '../test-event-template';

/** The console template's figures, used when no file is named. */
const TEMPLATE_OBJECT = { size: 1024, eTag: '0123456789abcdef0123456789abcdef' };

export const s3PutTemplate: TestEventTemplate = {
  name: 's3-put',
  description: 'a new object in the bucket whose notification invokes a function',
  options: ['key', 'file'],
  unfit: (stack) => (bucketNotifications(stack, (value) => stackNames(stack).resolve(value)).length === 0 ? 'no bucket notification invokes a function' : undefined),
  build: ({ stack, names, options, now }): S3Event => {
    const [notification] = bucketNotifications(stack, (value) => names.resolve(value));
    const key = options.key ?? `${notification.filterPrefix ?? ''}inventory${notification.filterSuffix || '.json'}`;
    return { Records: [s3EventRecord({ bucket: notification.bucket, key, ...objectFigures(options.file), eventName: 'ObjectCreated:Put' }, { region: names.region, configurationId: notification.id, eventTime: now })] };
  },
};

function objectFigures(file: string | undefined): { size: number; eTag: string } {
  if (file === undefined) return TEMPLATE_OBJECT;
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new TemplateOptionError(`--file ${file}: there is no such file`);
  const bytes = readFileSync(file);
  // A single-part upload's ETag is the MD5 of its bytes.
  return { size: bytes.length, eTag: createHash('md5').update(bytes).digest('hex') };
}
