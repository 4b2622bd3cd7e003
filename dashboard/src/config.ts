/** The runtime settings the dashboard stack writes as `/config.json`: one build, every environment. */
export interface DashboardConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** The user pool's issuer, whose discovery document oidc-client-ts reads. */
  readonly authority: string;
  /** The hosted UI's origin: token revocation and logout live there. */
  readonly hostedUiUrl: string;
  /** Same-origin paths, routed by CloudFront to the APIs. */
  readonly inventoryApi: string;
  readonly reportApi: string;
  readonly maxUploadBytes: number;
  readonly lowStockThreshold: number;
}

const STRING_FIELDS = ['region', 'userPoolId', 'clientId', 'authority', 'hostedUiUrl', 'inventoryApi', 'reportApi'] as const;
const NUMBER_FIELDS = ['maxUploadBytes', 'lowStockThreshold'] as const;

/** Checks config.json's shape, so a bad deploy says what is wrong instead of failing later. */
export function parseConfig(value: unknown): DashboardConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('The dashboard configuration (config.json) is not a JSON object.');
  }
  const fields = value as Record<string, unknown>;
  const missing = [
    ...STRING_FIELDS.filter((name) => typeof fields[name] !== 'string' || fields[name] === ''),
    ...NUMBER_FIELDS.filter((name) => typeof fields[name] !== 'number' || !Number.isFinite(fields[name])),
  ];
  if (missing.length > 0) {
    throw new Error(`The dashboard configuration (config.json) lacks ${missing.join(', ')}.`);
  }
  return {
    region: fields.region as string,
    userPoolId: fields.userPoolId as string,
    clientId: fields.clientId as string,
    authority: fields.authority as string,
    hostedUiUrl: withoutTrailingSlash(fields.hostedUiUrl as string),
    inventoryApi: withoutTrailingSlash(fields.inventoryApi as string),
    reportApi: withoutTrailingSlash(fields.reportApi as string),
    maxUploadBytes: fields.maxUploadBytes as number,
    lowStockThreshold: fields.lowStockThreshold as number,
  };
}

function withoutTrailingSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
