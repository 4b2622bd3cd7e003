/**
 * The objects a stack puts into a bucket (`aws_s3_object`), as S3 would hold them after
 * apply: the bytes of the `source` file (relative to the stack's directory, where
 * Terraform runs) or the `content` / `content_base64` written in the stack, with the
 * content type and cache control the stack sets. A written `content` (config.json) has
 * its references resolved and its AWS URLs mapped to their local counterparts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { SynthesizedStack } from '../stack/synthesized-stack';

export interface SiteObject {
  readonly key: string;
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl?: string;
  /** S3's ETag of a single-part upload: the quoted MD5 of the bytes. */
  readonly etag: string;
}

/** What S3 stores as the type of an object uploaded without one. */
const S3_DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/**
 * @param bucket the Terraform name of the aws_s3_bucket
 * @param text resolves a string of the stack to its local value, AWS URLs mapped
 */
export function siteObjects(stack: SynthesizedStack, stackDir: string, bucket: string, text: (value: string) => string): Map<string, SiteObject> {
  const objects = new Map<string, SiteObject>();
  const ofBucket = new RegExp(`^\\$\\{aws_s3_bucket\\.${bucket.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(?:id|bucket)\\}$`);
  for (const [name, config] of Object.entries(stack.resources('aws_s3_object'))) {
    if (!ofBucket.test(String(config.bucket))) continue;
    const key = text(String(config.key));
    const body =
      typeof config.source === 'string'
        ? readFileSync(resolvePath(stackDir, text(config.source)))
        : typeof config.content === 'string'
          ? Buffer.from(text(config.content), 'utf8')
          : typeof config.content_base64 === 'string'
            ? Buffer.from(text(config.content_base64), 'base64')
            : undefined;
    if (body === undefined) throw new Error(`aws_s3_object.${name} has no source, content or content_base64.`);
    objects.set(key, {
      key,
      body,
      contentType: typeof config.content_type === 'string' ? text(config.content_type) : S3_DEFAULT_CONTENT_TYPE,
      cacheControl: typeof config.cache_control === 'string' ? text(config.cache_control) : undefined,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
    });
  }
  return objects;
}
