import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RejectionReport } from './rejection-report';
import type { UploadLocation } from './upload-location';

/** An upload as read: its bytes, or only its size when it is over the limit. */
export type Upload =
  | { readonly tooLarge: false; readonly bytes: Uint8Array; readonly contentType?: string }
  | { readonly tooLarge: true; readonly sizeBytes: number };

/**
 * Reads the version of the upload that triggered the event (GetObject with VersionId;
 * the role grants s3:GetObjectVersion for it). Without the version, a second upload
 * under the same key made in between would be read twice and the first never.
 *
 * A file over `maxBytes` is not read at all when the event's size already says so, and
 * its body is dropped unread when GetObject's ContentLength says so.
 */
export async function readUpload(s3: S3Client, upload: UploadLocation, maxBytes: number): Promise<Upload> {
  if (upload.size !== undefined && upload.size > maxBytes) return { tooLarge: true, sizeBytes: upload.size };

  const { Body, ContentLength, ContentType } = await s3.send(
    new GetObjectCommand({ Bucket: upload.bucket, Key: upload.key, VersionId: upload.versionId }),
  );
  if (Body === undefined) throw new Error(`GetObject returned no body for s3://${upload.bucket}/${upload.key}`);
  if (ContentLength !== undefined && ContentLength > maxBytes) {
    // An unread body holds its connection open; in Node it is a stream that can be destroyed.
    (Body as { destroy?: () => void }).destroy?.();
    return { tooLarge: true, sizeBytes: ContentLength };
  }
  const bytes = await Body.transformToByteArray();
  if (bytes.length > maxBytes) return { tooLarge: true, sizeBytes: bytes.length };
  return { tooLarge: false, bytes, ...(ContentType === undefined ? {} : { contentType: ContentType }) };
}

export interface Rejection {
  /** The file's bytes and where their copy goes; absent when the file is too large to copy. */
  readonly copy?: { readonly key: string; readonly bytes: Uint8Array; readonly contentType?: string };
  readonly reportKey: string;
  readonly report: RejectionReport;
}

/**
 * Writes the copy of a rejected file, then its report, both with PutObject: the role may
 * put objects under the rejected prefix and nothing more (no CopyObject source reads,
 * no tagging). The copy goes first so a report never names a copy that is not there.
 * The upload itself is left in place.
 */
export async function storeRejection(s3: S3Client, bucket: string, rejection: Rejection): Promise<void> {
  const { copy } = rejection;
  if (copy !== undefined) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: copy.key,
        Body: copy.bytes,
        ContentType: copy.contentType ?? 'application/json',
      }),
    );
  }
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: rejection.reportKey,
      Body: `${JSON.stringify(rejection.report, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
}
