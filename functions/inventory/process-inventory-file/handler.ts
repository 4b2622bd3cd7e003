import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context, S3Event, S3EventRecord } from 'aws-lambda';
import { publishNotification } from '../../shared/publish-notification';
import { requireEnv, requireIntegerEnv } from '../../shared/require-env';
import { announcementModeOf } from '../shared/announcement-mode';
import { oversizedFileRejection, parseInventoryFile, type InventoryRejection } from './inventory-file';
import { dashboardUploadOf } from '../shared/upload-outcome';
import { writeInventoryItems } from './inventory-table';
import { rejectionReport } from './rejection-report';
import { uploadDigest } from './upload-digest';
import { readUpload, storeRejection } from './upload-bucket';
import { recordUploadOutcome, type DecidedOutcome } from './upload-outcome-record';
import {
  assertSeparatePrefixes,
  errorReportKeyFor,
  isFolderMarker,
  rejectedKeyFor,
  uploadLocationOf,
  type UploadLocation,
} from './upload-location';

// Module scope: read and built once per container, reused by every invocation.
const tableName = requireEnv('TABLE_NAME');
const uploadPrefix = requireEnv('UPLOAD_PREFIX');
const rejectedPrefix = requireEnv('REJECTED_PREFIX');
const maxFileBytes = requireIntegerEnv('MAX_FILE_BYTES', 1);
const outcomeTableName = requireEnv('OUTCOME_TABLE_NAME');
assertSeparatePrefixes(uploadPrefix, rejectedPrefix);
// In digest mode this function announces each upload once; the stack then gives it the topic.
const digestTopicArn = announcementModeOf() === 'digest' ? requireEnv('TOPIC_ARN') : undefined;
const logger = new Logger();
// Endpoints come from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_DYNAMODB when set (local emulators).
const s3 = new S3Client({});
const dynamodb = new DynamoDBClient({});
const sns = new SNSClient({});

/** What became of one uploaded object. */
export type FileOutcome =
  | { readonly key: string; readonly outcome: 'written'; readonly items: number }
  | { readonly key: string; readonly outcome: 'rejected'; readonly errors: number; readonly reportKey: string }
  | { readonly key: string; readonly outcome: 'skipped'; readonly reason: string };

export interface ProcessingSummary {
  readonly files: readonly FileOutcome[];
}

/**
 * ProcessInventoryFile: writes the products of each inventory file uploaded under
 * UPLOAD_PREFIX into InventoryTable, or none of them.
 *
 * A file that is not a valid inventory is a handled outcome: a copy and an error report
 * go under REJECTED_PREFIX, each in a folder of its own (upload-location.ts), the upload
 * stays where it is, and the invocation succeeds, since retrying cannot fix a file.
 * Anything else that fails (S3, DynamoDB) throws, so Lambda's asynchronous retries and
 * then the on-failure destination take over; every write is a put of the same row, so a
 * retry is safe.
 */
export async function handler(event: S3Event, context: Context): Promise<ProcessingSummary> {
  logger.addContext(context);
  const files: FileOutcome[] = [];
  // S3 sends one record per event; a rare batch is processed in order.
  for (const record of event.Records) {
    files.push(await processRecord(record));
  }
  return { files };
}

async function processRecord(record: S3EventRecord): Promise<FileOutcome> {
  const upload = uploadLocationOf(record);
  const { bucket, key, versionId } = upload;

  // The notification filters on created objects under the prefix already; these guard a misconfiguration.
  if (!record.eventName.startsWith('ObjectCreated:')) {
    logger.warn('Skipped an event that is not an object creation', { bucket, key, eventName: record.eventName });
    return { key, outcome: 'skipped', reason: `event ${record.eventName}` };
  }
  if (!key.startsWith(uploadPrefix)) {
    logger.warn('Skipped an object outside the upload prefix', { bucket, key, uploadPrefix });
    return { key, outcome: 'skipped', reason: `not under ${uploadPrefix}` };
  }
  if (isFolderMarker(key)) {
    logger.info('Skipped a folder marker', { bucket, key });
    return { key, outcome: 'skipped', reason: 'folder marker' };
  }

  const startedAt = Date.now();
  try {
    const content = await readUpload(s3, upload, maxFileBytes);
    if (content.tooLarge) {
      // Not copied: the upload stays in place, and copying it would mean holding it all.
      return await reject(upload, oversizedFileRejection(content.sizeBytes, maxFileBytes));
    }
    const check = parseInventoryFile(content.bytes);
    if (!check.valid) {
      return await reject(upload, check.rejection, { bytes: content.bytes, contentType: content.contentType });
    }
    await writeInventoryItems(dynamodb, tableName, check.items);
    await recordOutcome(upload, { status: 'written', products: check.items.length });
    logger.info('Inventory file written', {
      bucket,
      key,
      versionId,
      items: check.items.length,
      durationMs: Date.now() - startedAt,
    });
    if (digestTopicArn !== undefined) {
      // After the write, so that the email never announces rows that are not there. Should
      // the publish fail, the retry rewrites identical rows and publishes again.
      const messageId = await publishNotification(sns, digestTopicArn, uploadDigest(key, check.items));
      logger.info('Published the upload digest', { bucket, key, items: check.items.length, messageId });
    }
    return { key, outcome: 'written', items: check.items.length };
  } catch (error) {
    logger.error('Could not process the inventory file; Lambda will retry the event', {
      bucket,
      key,
      versionId,
      error,
    });
    throw error;
  }
}

/**
 * Records the outcome of an upload the dashboard made (`uploads/<sub>/<uploadId>.json`) for
 * the page to show; any other upload has no record. After the table writes: a failure here
 * throws, and the retry rewrites the same rows before recording again.
 */
async function recordOutcome(upload: UploadLocation, outcome: DecidedOutcome): Promise<void> {
  const dashboardUpload = dashboardUploadOf(upload.key, uploadPrefix);
  if (!dashboardUpload) return;
  await recordUploadOutcome(dynamodb, outcomeTableName, { ...dashboardUpload, key: upload.key }, outcome, new Date());
}

async function reject(
  upload: UploadLocation,
  rejection: InventoryRejection,
  file?: { readonly bytes: Uint8Array; readonly contentType?: string },
): Promise<FileOutcome> {
  const rejectedKey = rejectedKeyFor(upload.key, uploadPrefix, rejectedPrefix);
  const reportKey = errorReportKeyFor(upload.key, uploadPrefix, rejectedPrefix);
  const copy = file === undefined ? undefined : { key: rejectedKey, ...file };
  const report = rejectionReport(upload, rejection, { rejectedCopyKey: copy?.key, rejectedAt: new Date() });
  await storeRejection(s3, upload.bucket, { copy, reportKey, report });
  await recordOutcome(upload, { status: 'rejected', rejection });
  logger.warn('Rejected the inventory file; nothing was written to the table', {
    bucket: upload.bucket,
    key: upload.key,
    versionId: upload.versionId,
    reason: rejection.reason,
    errorCount: rejection.errorCount,
    // A sample for the log; the report lists them all.
    firstErrors: rejection.errors.slice(0, 5),
    reportKey,
  });
  return { key: upload.key, outcome: 'rejected', errors: rejection.errorCount, reportKey };
}
