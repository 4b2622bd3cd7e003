/**
 * The settings that decide how much each pipeline carries and what it costs, set together by
 * a PIPELINE_SCALE profile and one by one by their own variables (which win over the profile).
 * `lab` is what the stacks deployed before these settings existed: the labs' sizes.
 *
 * | variable                          | lab        | production | range, and why                                              |
 * |-----------------------------------|------------|------------|-------------------------------------------------------------|
 * | ORDERS_API_RATE_LIMIT             | 10         | 500        | requests/s on POC-API's stage; the account's 10,000 is shared by every API |
 * | ORDERS_API_BURST_LIMIT            | 20         | 1000       | requests the stage takes at once (its bucket's size)        |
 * | ORDERS_QUEUE_BATCH_SIZE           | 10         | 10         | 1-10 orders per POC-Lambda-1 invocation (more needs a batching window) |
 * | ORDERS_QUEUE_MAX_CONCURRENCY      | 10         | 100        | 2-1,000 concurrent POC-Lambda-1 batches (SQS `maximum_concurrency`) |
 * | STORE_ORDER_RESERVED_CONCURRENCY  | (none)     | 100        | environments kept for POC-Lambda-1 alone; none = the account's shared pool |
 * | STREAM_BATCH_SIZE                 | 10         | 100        | 1-10,000 records per stream invocation (both stream readers) |
 * | STREAM_PARALLELIZATION_FACTOR     | 1          | 2          | 1-10 concurrent batches per shard (both stream readers)     |
 * | REPORT_API_RATE_LIMIT             | 10         | 20         | requests/s on create_report's stage                         |
 * | REPORT_API_BURST_LIMIT            | 20         | 40         | requests the stage takes at once                            |
 * | AURORA_MIN_ACU                    | 0.5        | 0          | 0-256 in steps of 0.5; 0 pauses the idle cluster (Aurora MySQL 3.08+) |
 * | AURORA_MAX_ACU                    | 2          | 16         | 1-256 in steps of 0.5, at least the minimum: the cost ceiling |
 * | AURORA_AUTO_PAUSE_SECONDS         | 300        | 300        | 300-86,400 idle seconds before a 0-ACU cluster pauses       |
 * | INVENTORY_ANNOUNCEMENTS           | per-product| digest     | `per-product`: the seed's email per new product; `digest`: one email per upload |
 */

export type ScaleProfileName = 'lab' | 'production';
export type AnnouncementMode = 'per-product' | 'digest';

export interface ScaleSettings {
  /** The profile the settings started from; variables may have changed some of them. */
  readonly profile: ScaleProfileName;
  readonly ordersApiRateLimit: number;
  readonly ordersApiBurstLimit: number;
  readonly ordersQueueBatchSize: number;
  readonly ordersQueueMaxConcurrency: number;
  /** Undefined: POC-Lambda-1 draws on the account's unreserved pool. */
  readonly storeOrderReservedConcurrency?: number;
  readonly streamBatchSize: number;
  readonly streamParallelizationFactor: number;
  readonly reportApiRateLimit: number;
  readonly reportApiBurstLimit: number;
  readonly auroraMinAcu: number;
  readonly auroraMaxAcu: number;
  readonly auroraAutoPauseSeconds: number;
  readonly inventoryAnnouncements: AnnouncementMode;
}

export const SCALE_PROFILES: Readonly<Record<ScaleProfileName, ScaleSettings>> = {
  lab: {
    profile: 'lab',
    ordersApiRateLimit: 10,
    ordersApiBurstLimit: 20,
    ordersQueueBatchSize: 10,
    ordersQueueMaxConcurrency: 10,
    storeOrderReservedConcurrency: undefined,
    streamBatchSize: 10,
    streamParallelizationFactor: 1,
    reportApiRateLimit: 10,
    reportApiBurstLimit: 20,
    auroraMinAcu: 0.5,
    auroraMaxAcu: 2,
    auroraAutoPauseSeconds: 300,
    inventoryAnnouncements: 'per-product',
  },
  // A café chain's busy morning, within every default quota of a fresh account (the
  // capacity test checks it): 100 of the account's 1,000 concurrent executions reserved for
  // storing orders leaves 900 for everything else, above Lambda's unreserved minimum of 100.
  production: {
    profile: 'production',
    ordersApiRateLimit: 500,
    ordersApiBurstLimit: 1000,
    ordersQueueBatchSize: 10,
    ordersQueueMaxConcurrency: 100,
    storeOrderReservedConcurrency: 100,
    streamBatchSize: 100,
    streamParallelizationFactor: 2,
    reportApiRateLimit: 20,
    reportApiBurstLimit: 40,
    // Reports are asked for a few times a day: paying for none of the idle hours is worth a
    // ~15 s resume, which the database functions' 60 s timeout allows for.
    auroraMinAcu: 0,
    auroraMaxAcu: 16,
    auroraAutoPauseSeconds: 300,
    inventoryAnnouncements: 'digest',
  },
};

export const DEFAULT_SCALE_PROFILE: ScaleProfileName = 'lab';

type Env = Record<string, string | undefined>;

interface NumberRule {
  readonly variable: string;
  readonly key: keyof ScaleSettings;
  readonly min: number;
  readonly max: number;
  /** Allowed steps: 1 for whole numbers, 0.5 for ACUs. */
  readonly step: number;
  readonly hint: string;
}

const NUMBER_RULES: readonly NumberRule[] = [
  { variable: 'ORDERS_API_RATE_LIMIT', key: 'ordersApiRateLimit', min: 1, max: 10_000, step: 1, hint: 'requests per second, at most the account\'s 10,000' },
  { variable: 'ORDERS_API_BURST_LIMIT', key: 'ordersApiBurstLimit', min: 1, max: 5_000, step: 1, hint: 'requests, at most the account\'s burst of 5,000' },
  { variable: 'ORDERS_QUEUE_BATCH_SIZE', key: 'ordersQueueBatchSize', min: 1, max: 10, step: 1, hint: 'messages per invocation; above 10 SQS needs a batching window, which delays every order' },
  { variable: 'ORDERS_QUEUE_MAX_CONCURRENCY', key: 'ordersQueueMaxConcurrency', min: 2, max: 1_000, step: 1, hint: 'what Lambda accepts as an SQS maximum concurrency' },
  { variable: 'STORE_ORDER_RESERVED_CONCURRENCY', key: 'storeOrderReservedConcurrency', min: 1, max: 900, step: 1, hint: 'environments; the account must keep 100 of its default 1,000 unreserved' },
  { variable: 'STREAM_BATCH_SIZE', key: 'streamBatchSize', min: 1, max: 10_000, step: 1, hint: 'records per invocation, as Lambda accepts for a stream' },
  { variable: 'STREAM_PARALLELIZATION_FACTOR', key: 'streamParallelizationFactor', min: 1, max: 10, step: 1, hint: 'concurrent batches per shard, as Lambda accepts' },
  { variable: 'REPORT_API_RATE_LIMIT', key: 'reportApiRateLimit', min: 1, max: 10_000, step: 1, hint: 'requests per second, at most the account\'s 10,000' },
  { variable: 'REPORT_API_BURST_LIMIT', key: 'reportApiBurstLimit', min: 1, max: 5_000, step: 1, hint: 'requests, at most the account\'s burst of 5,000' },
  { variable: 'AURORA_MIN_ACU', key: 'auroraMinAcu', min: 0, max: 256, step: 0.5, hint: 'ACUs in steps of 0.5; 0 lets the idle cluster pause' },
  { variable: 'AURORA_MAX_ACU', key: 'auroraMaxAcu', min: 1, max: 256, step: 0.5, hint: 'ACUs in steps of 0.5' },
  { variable: 'AURORA_AUTO_PAUSE_SECONDS', key: 'auroraAutoPauseSeconds', min: 300, max: 86_400, step: 1, hint: 'seconds, as Aurora accepts' },
];

const ANNOUNCEMENT_MODES: readonly AnnouncementMode[] = ['per-product', 'digest'];

function isScaleProfile(value: string): value is ScaleProfileName {
  return value in SCALE_PROFILES;
}

/** The profile's settings with each variable that is set put over them, or what is wrong. */
export function readScaleSettings(env: Env): { value: ScaleSettings; problems: string[] } {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const problems: string[] = [];
  const profileName = read('PIPELINE_SCALE') ?? DEFAULT_SCALE_PROFILE;
  if (!isScaleProfile(profileName)) {
    problems.push(`PIPELINE_SCALE="${profileName}" must be one of ${Object.keys(SCALE_PROFILES).map((name) => `"${name}"`).join(', ')}.`);
  }
  const settings: Record<string, unknown> = { ...SCALE_PROFILES[isScaleProfile(profileName) ? profileName : DEFAULT_SCALE_PROFILE] };

  for (const rule of NUMBER_RULES) {
    const text = read(rule.variable);
    if (text === undefined) continue;
    const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= rule.min && value <= rule.max) || !Number.isInteger(value / rule.step)) {
      const kind = rule.step === 1 ? 'a whole number' : `a multiple of ${rule.step}`;
      problems.push(`${rule.variable}="${text}" must be ${kind} from ${rule.min} to ${rule.max} (${rule.hint}).`);
      continue;
    }
    settings[rule.key] = value;
  }
  const announcements = read('INVENTORY_ANNOUNCEMENTS');
  if (announcements !== undefined) {
    if ((ANNOUNCEMENT_MODES as readonly string[]).includes(announcements)) settings.inventoryAnnouncements = announcements;
    else problems.push(`INVENTORY_ANNOUNCEMENTS="${announcements}" must be "per-product" (an email per new product) or "digest" (one email per upload).`);
  }

  const value = settings as unknown as ScaleSettings;
  if (problems.length === 0) problems.push(...consistencyProblems(value));
  return { value, problems };
}

/** Settings that are each valid but contradict one another. */
function consistencyProblems(settings: ScaleSettings): string[] {
  const problems: string[] = [];
  if (settings.auroraMaxAcu < settings.auroraMinAcu) {
    problems.push(`AURORA_MAX_ACU (${settings.auroraMaxAcu}) must be at least AURORA_MIN_ACU (${settings.auroraMinAcu}).`);
  }
  const reserved = settings.storeOrderReservedConcurrency;
  if (reserved !== undefined && reserved < settings.ordersQueueMaxConcurrency) {
    problems.push(
      `STORE_ORDER_RESERVED_CONCURRENCY (${reserved}) is below ORDERS_QUEUE_MAX_CONCURRENCY (${settings.ordersQueueMaxConcurrency}): ` +
        'the queue\'s pollers would be throttled by the function and return orders to the queue.',
    );
  }
  return problems;
}
