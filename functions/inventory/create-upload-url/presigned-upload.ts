import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { S3Client } from '@aws-sdk/client-s3';

/** The content type every dashboard upload must declare, and S3 enforces. */
export const UPLOAD_CONTENT_TYPE = 'application/json';

export interface PresignedUpload {
  readonly url: string;
  /** The form fields, in the order the form must send them (the file goes last). */
  readonly fields: Record<string, string>;
  readonly expiresAt: string;
}

/**
 * A presigned POST for exactly one key: S3 itself refuses a file of another key, of
 * more than `maxBytes` (or empty), or not declared as JSON, whatever the browser checked.
 * The policy acts with the signer's permissions, so the signing role may put objects
 * under the upload prefix and nowhere else.
 */
export async function presignUpload(
  s3: S3Client,
  target: { readonly bucket: string; readonly key: string; readonly maxBytes: number; readonly expiresInSeconds: number },
  now: Date,
): Promise<PresignedUpload> {
  const { url, fields } = await createPresignedPost(s3, {
    Bucket: target.bucket,
    Key: target.key,
    // The library adds {"bucket"} and the exact {"key"} itself.
    Conditions: [
      ['content-length-range', 1, target.maxBytes],
      ['eq', '$Content-Type', UPLOAD_CONTENT_TYPE],
    ],
    Fields: { 'Content-Type': UPLOAD_CONTENT_TYPE },
    Expires: target.expiresInSeconds,
  });
  return { url, fields, expiresAt: new Date(now.getTime() + target.expiresInSeconds * 1000).toISOString() };
}
