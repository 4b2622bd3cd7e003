/**
 * The record S3 hands to Lambda for a new object, built as S3 builds it: the same
 * fields, and the key URL-encoded the way S3 encodes it (spaces as `+`), which is what
 * the lab's handler got wrong for any key with a space in it.
 */
import type { S3EventRecord } from 'aws-lambda';
import { randomBytes } from 'node:crypto';

/** How the object came to be, as S3 names it in `eventName`. */
export type ObjectCreatedEventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload';

export interface CreatedObject {
  readonly bucket: string;
  /** The key as stored, not encoded. */
  readonly key: string;
  readonly size: number;
  /** Without the quotes S3 puts around an ETag header. */
  readonly eTag: string;
  /** Present when the bucket is versioned. */
  readonly versionId?: string;
  readonly eventName: ObjectCreatedEventName;
}

export interface S3EventRecordOptions {
  readonly region: string;
  /** The bucket notification's `id`, which S3 reports as `configurationId`. */
  readonly configurationId: string;
  /** @default now */
  readonly eventTime?: Date;
  /** @default the local account's principal */
  readonly principalId?: string;
}

/** S3's form encoding of a key in event records: `/` kept, space as `+`, the rest percent-encoded. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

export function s3EventRecord(object: CreatedObject, options: S3EventRecordOptions): S3EventRecord {
  const principalId = options.principalId ?? 'AWS:LOCALPRINCIPAL';
  const eventTime = options.eventTime ?? new Date();
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: options.region,
    eventTime: eventTime.toISOString(),
    eventName: object.eventName,
    userIdentity: { principalId },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-amz-id-2': randomBytes(32).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: options.configurationId,
      bucket: {
        name: object.bucket,
        ownerIdentity: { principalId: principalId.replace(/^AWS:/, '') },
        arn: `arn:aws:s3:::${object.bucket}`,
      },
      object: {
        key: encodeS3EventKey(object.key),
        size: object.size,
        eTag: object.eTag.replace(/"/g, ''),
        ...(object.versionId === undefined ? {} : { versionId: object.versionId }),
        // Orders events for the same key; hex, growing with time, as S3's sequencer does.
        sequencer: eventTime.getTime().toString(16).toUpperCase().padStart(16, '0'),
      },
    },
  };
}
