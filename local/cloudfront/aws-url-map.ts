/**
 * Locally every AWS URL the dashboard uses stands for a server on this machine:
 * `https://<distribution domain>` for the local CloudFront, the Cognito issuer
 * (`https://cognito-idp.<region>.amazonaws.com`) and the hosted UI domain
 * (`https://<prefix>.auth.<region>.amazoncognito.com`) for the local hosted UI, a bucket's
 * origin (`https://<bucket>.s3.<region>.amazonaws.com`) for the local S3, an API's
 * execute-api domain for its local REST API. The map rewrites the origins in a text (a CSP,
 * config.json, a callback URL) and keeps their paths, so that
 * `https://cognito-idp.us-east-1.amazonaws.com/<poolId>` becomes `<hosted UI>/<poolId>`.
 */
export interface LocalOrigins {
  /** The local hosted UI and cognito-idp server, e.g. http://127.0.0.1:4567 */
  readonly hostedUi?: string;
  /** The local S3 endpoint (path-style). */
  readonly s3?: string;
  /** Exact AWS hosts (a distribution's domain, an API's execute-api domain) and the local origin each stands for. */
  readonly hosts?: ReadonlyMap<string, string>;
}

const AWS_ORIGIN = /https:\/\/([A-Za-z0-9._-]+\.(?:amazonaws\.com|amazoncognito\.com|cloudfront\.net))(?![A-Za-z0-9.-])/g;
const COGNITO_IDP = /^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/;
const HOSTED_UI = /^[a-z0-9-]+\.auth\.[a-z0-9-]+\.amazoncognito\.com$/;
const S3_BUCKET = /^[a-z0-9.-]+\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/;

export type AwsUrlMap = (text: string) => string;

export function awsUrlMap(origins: LocalOrigins): AwsUrlMap {
  const localOf = (host: string): string | undefined => {
    const exact = origins.hosts?.get(host);
    if (exact !== undefined) return exact;
    if (COGNITO_IDP.test(host) || HOSTED_UI.test(host)) return origins.hostedUi;
    if (S3_BUCKET.test(host)) return origins.s3;
    return undefined;
  };
  return (text) => text.replace(AWS_ORIGIN, (url, host: string) => localOf(host)?.replace(/\/$/, '') ?? url);
}

/** Whether a (mapped) URL is served on this machine. */
export function isLocalUrl(url: string): boolean {
  return /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:\/|$)/.test(url);
}
