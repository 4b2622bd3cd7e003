/**
 * How long a presigned report link may live.
 *
 * A presigned URL carries no credentials of its own: S3 checks it against the credentials
 * that signed it, so the link stops working when they expire, whatever `X-Amz-Expires`
 * promised (the lab's bug: it relied on the SDK's implicit one-hour default). The expiry is
 * therefore chosen, not defaulted: the configured life, cut to what the credentials can
 * honour, and refused when that is too short to be of use to the person who gets the email.
 */

/** SigV4 refuses a presigned URL that claims to live longer than 7 days. */
export const SIGV4_MAX_EXPIRY_SECONDS = 7 * 24 * 60 * 60;

/**
 * Kept between the link's end and the credentials' end, so that clock skew between Lambda
 * and S3 cannot leave a link that looks valid but is refused for expired credentials.
 */
export const CREDENTIALS_SAFETY_MARGIN_SECONDS = 60;

/** Shorter than this, the link would likely be dead before anyone opens the email. */
export const MIN_LINK_EXPIRY_SECONDS = 60;

export interface LinkExpiry {
  /** The value for `X-Amz-Expires`. */
  readonly expiresInSeconds: number;
  /** `signedAt` plus `expiresInSeconds`: when S3 starts refusing the link. */
  readonly expiresAt: Date;
  /**
   * What decided the expiry: the configured life (capped at SigV4's 7 days), or the
   * signing credentials' remaining life minus the safety margin.
   */
  readonly limitedBy: 'configuration' | 'credentials';
}

/** The part of the signing credentials that matters here (an AWS SDK credential identity). */
export interface SigningCredentials {
  /** When the credentials stop working; absent when the provider cannot tell. */
  readonly expiration?: Date;
}

/**
 * Thrown when the signing credentials expire too soon to sign a useful link. The name is
 * what Step Functions sees as the error, so the state machine can retry it: the SDK
 * replaces credentials that are about to expire, so a retry signs with fresh ones.
 */
export class CredentialsExpireTooSoonError extends Error {
  constructor(expiration: Date, signedAt: Date) {
    const remaining = Math.floor((expiration.getTime() - signedAt.getTime()) / 1000);
    super(
      `The signing credentials expire at ${expiration.toISOString()}, in ${remaining} s: after the ` +
        `${CREDENTIALS_SAFETY_MARGIN_SECONDS} s safety margin a link would live less than the ` +
        `${MIN_LINK_EXPIRY_SECONDS} s minimum, so none was signed. Retry: the next attempt gets fresh credentials.`,
    );
    this.name = 'CredentialsExpireTooSoonError';
  }
}

/**
 * Chooses the expiry of a link signed at `signedAt` with `credentials`.
 *
 * @param configuredSeconds the life the stack asks for (LINK_EXPIRY_SECONDS), a whole number of seconds
 * @param signedAt the signing time; SigV4 counts the expiry from it in whole seconds
 * @throws CredentialsExpireTooSoonError when the credentials cannot honour a link of at least a minute
 */
export function chooseLinkExpiry(
  configuredSeconds: number,
  credentials: SigningCredentials,
  signedAt: Date,
): LinkExpiry {
  if (!Number.isSafeInteger(configuredSeconds) || configuredSeconds < 1) {
    throw new RangeError(`The configured link life must be a whole number of seconds, not ${configuredSeconds}`);
  }
  const configured = Math.min(configuredSeconds, SIGV4_MAX_EXPIRY_SECONDS);
  const { expiration } = credentials;
  if (expiration === undefined) {
    return expiry(configured, signedAt, 'configuration');
  }

  const credentialsAllow =
    Math.floor((expiration.getTime() - signedAt.getTime()) / 1000) - CREDENTIALS_SAFETY_MARGIN_SECONDS;
  if (credentialsAllow >= configured) {
    return expiry(configured, signedAt, 'configuration');
  }
  if (credentialsAllow < MIN_LINK_EXPIRY_SECONDS) {
    throw new CredentialsExpireTooSoonError(expiration, signedAt);
  }
  return expiry(credentialsAllow, signedAt, 'credentials');
}

function expiry(seconds: number, signedAt: Date, limitedBy: LinkExpiry['limitedBy']): LinkExpiry {
  return { expiresInSeconds: seconds, expiresAt: new Date(signedAt.getTime() + seconds * 1000), limitedBy };
}
