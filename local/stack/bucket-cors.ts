/**
 * Reads a stack's bucket CORS configurations (`aws_s3_bucket_cors_configuration`) as the
 * local S3 applies them: rules per local bucket name, in the order written, for the local
 * S3 guard's `cors` option. The bucket is often another stack's (the dashboard's CORS is
 * for the inventory stack's upload bucket, by a cdktf cross-stack reference), and the
 * allowed origins name the dashboard's distribution; the caller, which knows the local
 * names and URLs, resolves both.
 */
import type { BucketCors, CorsRule } from '../emulators/s3-cors';
import type { SynthesizedStack } from './synthesized-stack';

/** How the local runtime names what a CORS configuration refers to. */
export interface CorsResolvers {
  /** The local name of the configuration's bucket, from `bucket` as synthesized (a cross-stack reference, often). */
  readonly bucket: (expression: string) => string;
  /**
   * The local origin for an allowed origin as synthesized: e.g.
   * `https://${aws_cloudfront_distribution.site.domain_name}` -> `http://localhost:8080`
   * (the whole origin, since its scheme changes too). Literal origins come here as well.
   */
  readonly origin: (origin: string) => string;
}

interface CorsRuleBlock {
  readonly id?: string;
  readonly allowed_origins: unknown;
  readonly allowed_methods: unknown;
  readonly allowed_headers?: unknown;
  readonly expose_headers?: unknown;
  readonly max_age_seconds?: number;
}

/** Each bucket's CORS rules, by its local name. */
export function bucketCorsRules(stack: SynthesizedStack, resolvers: CorsResolvers): Map<string, CorsRule[]> {
  const rulesByBucket = new Map<string, CorsRule[]>();
  for (const [name, config] of Object.entries(stack.resources('aws_s3_bucket_cors_configuration'))) {
    const bucket = resolvers.bucket(String(config.bucket));
    if (rulesByBucket.has(bucket)) throw new Error(`Bucket ${bucket} has two CORS configurations (the second is aws_s3_bucket_cors_configuration.${name}): S3 keeps only one`);
    const blocks = (config.cors_rule as CorsRuleBlock[] | undefined) ?? [];
    const list = (value: unknown, what: string) => literalStrings(value, `the ${what} of aws_s3_bucket_cors_configuration.${name}`);
    rulesByBucket.set(
      bucket,
      blocks.map((block) => ({
        ...(block.id === undefined ? {} : { id: block.id }),
        allowedOrigins: strings(block.allowed_origins, `the allowed origins of aws_s3_bucket_cors_configuration.${name}`).map(resolvers.origin),
        allowedMethods: list(block.allowed_methods, 'allowed methods'),
        ...(block.allowed_headers === undefined ? {} : { allowedHeaders: list(block.allowed_headers, 'allowed headers') }),
        ...(block.expose_headers === undefined ? {} : { exposeHeaders: list(block.expose_headers, 'exposed headers') }),
        ...(block.max_age_seconds === undefined ? {} : { maxAgeSeconds: block.max_age_seconds }),
      })),
    );
  }
  return rulesByBucket;
}

/** The guard's `cors` option from the rules of every running stack. */
export function corsOfBuckets(...rulesByBucket: readonly ReadonlyMap<string, readonly CorsRule[]>[]): BucketCors {
  const all = new Map<string, readonly CorsRule[]>();
  for (const rules of rulesByBucket) {
    for (const [bucket, bucketRules] of rules) {
      if (all.has(bucket)) throw new Error(`Bucket ${bucket} has CORS configurations in two stacks: S3 keeps only one`);
      all.set(bucket, bucketRules);
    }
  }
  return (bucket) => all.get(bucket);
}

/** A list written out in the configuration (a list given as one Terraform expression is not read). */
function strings(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) throw new Error(`Cannot read ${what}: ${JSON.stringify(value)} is not a list written out`);
  return value.map(String);
}

/** Methods and headers are plain words: a reference among them is not something S3 would see resolved locally either. */
function literalStrings(value: unknown, what: string): string[] {
  const list = strings(value, what);
  const reference = list.find((item) => item.includes('${'));
  if (reference !== undefined) throw new Error(`Cannot read ${what}: ${reference} is a Terraform expression`);
  return list;
}
