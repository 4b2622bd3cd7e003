/**
 * The headers every answer of the dashboard's distribution carries (its response headers
 * policy): the page, its assets, config.json and the APIs behind it alike.
 */

/** The origins outside the dashboard's own that the page talks to. */
export interface DashboardOrigins {
  /** Cognito's OpenID issuer (`https://cognito-idp.<region>.amazonaws.com`): discovery document and keys. */
  readonly issuer: string;
  /** The hosted UI (`https://<prefix>.auth.<region>.amazoncognito.com`): sign-in, token, revoke, logout. */
  readonly hostedUi: string;
  /** The upload bucket's endpoint, where the browser POSTs a file (`https://<bucket>.s3.<region>.amazonaws.com`). */
  readonly uploadBucket: string;
}

/**
 * No inline script or style anywhere ('self' only), so an injected `<script>` or `onerror=`
 * does not run; the page reaches Cognito and the upload bucket and nothing else, submits
 * forms only to itself and the hosted UI, and may not be framed (clickjacking).
 */
export function contentSecurityPolicy(origins: DashboardOrigins): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${origins.issuer} ${origins.hostedUi} ${origins.uploadBucket}`,
    `form-action 'self' ${origins.hostedUi}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** Two years, as HSTS preload lists require at least one. */
export const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 60 * 60;

export const REFERRER_POLICY = 'strict-origin-when-cross-origin';

/**
 * Headers CloudFront's security settings have no field for. The page uses no camera,
 * microphone or location; it signs in by redirects, never in a popup, so no other window
 * needs a handle on it.
 */
export const EXTRA_SECURITY_HEADERS: Record<string, string> = {
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
