import type { S3EventRecord } from 'aws-lambda';
import { InvalidEnvironmentVariableError } from '../../shared/require-env';

/** The object an S3 event names, with its key as stored (decoded). */
export interface UploadLocation {
  readonly bucket: string;
  readonly key: string;
  /** Present when the bucket is versioned: the version that triggered the event. */
  readonly versionId?: string;
  /** The object's size in bytes as the event reports it. */
  readonly size?: number;
}

/**
 * Decodes a key as S3 writes it into event records: form-encoded, so a space arrives as
 * `+` and a real `+` as `%2B`. The lab's handler used the encoded key as is, so any
 * upload with a space in its name failed with NoSuchKey.
 *
 * @throws URIError when the key is not valid percent-encoding (S3 never sends one)
 */
export function decodeS3EventKey(encodedKey: string): string {
  return decodeURIComponent(encodedKey.replace(/\+/g, ' '));
}

export function uploadLocationOf(record: S3EventRecord): UploadLocation {
  const { bucket, object } = record.s3;
  return {
    bucket: bucket.name,
    key: decodeS3EventKey(object.key),
    ...(object.versionId ? { versionId: object.versionId } : {}),
    ...(typeof object.size === 'number' ? { size: object.size } : {}),
  };
}

/**
 * Below the rejected prefix, copies and their error reports live in two folders of their
 * own. Side by side (`x.json` and `x.json.errors.json`) a later upload named
 * `x.json.errors.json` would be copied over the report of `x.json`; in disjoint folders no
 * upload path can name another upload's report.
 */
export const REJECTED_COPIES_FOLDER = 'files/';
export const ERROR_REPORTS_FOLDER = 'reports/';

/**
 * Where the copy of a rejected upload goes: the same path below the rejected copies folder,
 * so `uploads/store 7/inventory.json` becomes `rejected/files/store 7/inventory.json` and a
 * person finds it by the name they uploaded.
 *
 * @throws Error when the key is not under the upload prefix (the handler skips those first)
 */
export function rejectedKeyFor(uploadKey: string, uploadPrefix: string, rejectedPrefix: string): string {
  return rejectedPrefix + REJECTED_COPIES_FOLDER + pathBelow(uploadKey, uploadPrefix);
}

/**
 * Where the report that explains a rejected upload goes: the same path in the reports
 * folder, with `.errors.json` appended (`rejected/reports/store 7/inventory.json.errors.json`).
 *
 * @throws Error when the key is not under the upload prefix
 */
export function errorReportKeyFor(uploadKey: string, uploadPrefix: string, rejectedPrefix: string): string {
  return `${rejectedPrefix}${ERROR_REPORTS_FOLDER}${pathBelow(uploadKey, uploadPrefix)}.errors.json`;
}

function pathBelow(uploadKey: string, uploadPrefix: string): string {
  if (!uploadKey.startsWith(uploadPrefix)) {
    throw new Error(`Key ${JSON.stringify(uploadKey)} is not under the upload prefix ${JSON.stringify(uploadPrefix)}`);
  }
  return uploadKey.slice(uploadPrefix.length);
}

/**
 * Refuses prefixes that overlap. A rejected copy written under the upload prefix would
 * trigger the function again, be rejected again, and loop; an upload prefix inside the
 * rejected one could make a copy land on someone's upload.
 *
 * @throws InvalidEnvironmentVariableError naming REJECTED_PREFIX
 */
export function assertSeparatePrefixes(uploadPrefix: string, rejectedPrefix: string): void {
  if (rejectedPrefix.startsWith(uploadPrefix) || uploadPrefix.startsWith(rejectedPrefix)) {
    throw new InvalidEnvironmentVariableError(
      'REJECTED_PREFIX',
      rejectedPrefix,
      `a prefix that neither contains nor lies within UPLOAD_PREFIX ("${uploadPrefix}")`,
    );
  }
}

/**
 * "Create folder" in the S3 console writes an empty object named like `uploads/`, which
 * matches the notification's prefix: it is not a file to process, nor one to reject.
 */
export function isFolderMarker(key: string): boolean {
  return key.endsWith('/');
}
