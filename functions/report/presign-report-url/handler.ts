import { Logger } from '@aws-lambda-powertools/logger';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Context } from 'aws-lambda';
import { requireEnv, requireIntegerEnv } from '../../shared/require-env';
import { reportKeyFor } from '../shared/report-location';
import { chooseLinkExpiry, MIN_LINK_EXPIRY_SECONDS } from './link-expiry';

// Module scope: read and built once per container, reused by every invocation.
const reportBucket = requireEnv('REPORT_BUCKET');
const linkExpirySeconds = requireIntegerEnv('LINK_EXPIRY_SECONDS', MIN_LINK_EXPIRY_SECONDS);
const logger = new Logger();
// The endpoint comes from AWS_ENDPOINT_URL_S3 when set (local emulators): the URL then names it.
const s3 = new S3Client({});

/** What the state machine passes: the execution's name (`$$.Execution.Name`). */
export interface PresignReportUrlEvent {
  readonly executionName: string;
}

export interface PresignedReportLink {
  readonly url: string;
  /** ISO 8601: when S3 starts refusing the link, for the email to tell its reader. */
  readonly expiresAt: string;
  readonly expiresInSeconds: number;
}

/**
 * PresignReportUrl: a presigned GET URL for the report this execution renders, with an
 * explicit expiry that the signing credentials outlive (see `chooseLinkExpiry`).
 *
 * It runs in parallel with the render branch, so the object need not exist yet: nothing
 * here reads it. Presigning is a local computation and makes no AWS call at all; the URL
 * only works because this function's role has s3:GetObject on the reports, since S3
 * checks the request against the signer's permissions when the link is opened.
 */
export async function handler(event: PresignReportUrlEvent, context: Context): Promise<PresignedReportLink> {
  logger.addContext(context);
  // reportKeyFor checks the name's characters; a missing one would otherwise read as "undefined".
  if (typeof event?.executionName !== 'string') {
    throw new TypeError(`The event must name the execution as a string executionName, got ${JSON.stringify(event)}`);
  }
  const key = reportKeyFor(event.executionName);

  // The credentials the presigner is about to sign with: the client's provider memoizes
  // them (and replaces them shortly before they expire), so this reads the same ones.
  // Where the provider reports no expiration, the configured life is the only bound.
  const credentials = await s3.config.credentials();
  // SigV4 writes the signing time in whole seconds and counts the expiry from there.
  const signedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const expiry = chooseLinkExpiry(linkExpirySeconds, credentials, signedAt);

  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: reportBucket, Key: key }), {
    expiresIn: expiry.expiresInSeconds,
    signingDate: signedAt,
  });
  // The URL is not logged: anyone holding it can read the report until it expires.
  logger.info('Presigned the report link', {
    bucket: reportBucket,
    key,
    expiresInSeconds: expiry.expiresInSeconds,
    expiresAt: expiry.expiresAt.toISOString(),
    limitedBy: expiry.limitedBy,
    credentialsExpiration: credentials.expiration?.toISOString(),
  });
  return { url, expiresAt: expiry.expiresAt.toISOString(), expiresInSeconds: expiry.expiresInSeconds };
}
