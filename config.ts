/**
 * Deployment configuration, read from environment variables so that a bare
 * `cdktf synth` works with zero configuration and CI can override anything.
 *
 * | variable            | default     | meaning                                                        |
 * |---------------------|-------------|----------------------------------------------------------------|
 * | PIPELINE_ENV        | `dev`       | environment name, prefixed to every resource name              |
 * | PIPELINE_PROFILE    | from PIPELINE_ENV | `production` (the default for `prod`, `production`, `prd`) or `development` (for any other name): which rules apply, see constructs/environment-rules.ts |
 * | PIPELINE_REGION     | `us-east-1` | AWS region the stacks deploy to (the labs use us-east-1)      |
 * | NOTIFICATION_EMAIL  | (none)      | address subscribed to the pipelines' SNS topics; none = no subscription |
 * | NOTIFICATION_SMS    | (none)      | phone number in E.164 form (`+14155550100`) subscribed by SMS to the same topics; none = no SMS subscription |
 * | ALARM_EMAIL         | (none)      | address subscribed to each pipeline's ops topic, where its alarms go; none = the alarms publish to a topic nobody reads |
 * | ALARM_SMS           | (none)      | phone number in E.164 form subscribed by SMS to the ops topics; none = no SMS subscription |
 * | BUCKET_SUFFIX       | (none)      | ends the S3 bucket names (the labs' "yourname"); none = Terraform appends a unique suffix |
 * | LOW_STOCK_THRESHOLD | `5`         | inventory: alert when a product's quantity falls to or below this |
 * | COGNITO_CALLBACK_URLS | (none)    | dashboard: comma-separated URLs, besides the dashboard's own `https://<distribution>/callback`, the hosted UI may return to after sign-in; their origins may also POST uploads |
 * | COGNITO_LOGOUT_URLS | (none)      | dashboard: comma-separated URLs, besides the dashboard's own `https://<distribution>/`, the hosted UI may return to after sign-out |
 * | REPORT_USER_POOL_ARN | (none)    | report: an existing Cognito user pool whose users may ask for reports; none = the stack's own pool |
 * | REPORT_DB_ENDPOINT, REPORT_DB_SECRET_ARN, REPORT_DB_SUBNET_IDS, REPORT_DB_SECURITY_GROUP_ID | (none) | report: an existing MySQL database to use instead of the stack's own Aurora cluster; all four together (REPORT_DB_PORT optional, default 3306) |
 * | STATE_BUCKET        | (none)      | S3 bucket (the state-backend stack's) holding every other stack's Terraform state, locked by a lock file; none = local state files |
 * | PIPELINE_SCALE      | `lab`       | `lab` (the labs' sizes) or `production`: sets the scale settings below together (capacity/scale-settings.ts) |
 * | ORDERS_API_RATE_LIMIT, ORDERS_API_BURST_LIMIT | 10, 20 | orders: POC-API stage throttling, requests/s and burst |
 * | ORDERS_QUEUE_BATCH_SIZE, ORDERS_QUEUE_MAX_CONCURRENCY | 10, 10 | orders: POC-Queue -> POC-Lambda-1 batch size (1-10) and maximum concurrency (2-1,000) |
 * | STORE_ORDER_RESERVED_CONCURRENCY | (none) | orders: concurrency reserved for POC-Lambda-1 (1-900); none = the account's shared pool |
 * | STREAM_BATCH_SIZE, STREAM_PARALLELIZATION_FACTOR | 10, 1 | orders and inventory: records per stream invocation, concurrent batches per shard |
 * | REPORT_API_RATE_LIMIT, REPORT_API_BURST_LIMIT | 10, 20 | report: create_report stage throttling |
 * | AURORA_MIN_ACU, AURORA_MAX_ACU, AURORA_AUTO_PAUSE_SECONDS | 0.5, 2, 300 | report: Aurora Serverless v2 capacity; a minimum of 0 pauses the idle cluster after the given seconds |
 * | INVENTORY_ANNOUNCEMENTS | `per-product` | inventory: `per-product` (the seed's email per new product) or `digest` (one email per upload) |
 */

import { ENVIRONMENT_RULES, profileFor, type EnvironmentProfile } from './constructs/environment-rules';
import { readScaleSettings, type ScaleSettings } from './capacity/scale-settings';

export interface PipelineConfig {
  /** Prefix for every resource name, so several environments can share one account. */
  readonly environment: string;
  /** Which environment rules apply (constructs/environment-rules.ts). */
  readonly profile: EnvironmentProfile;
  readonly region: string;
  /** When undefined, no email subscription is created. */
  readonly notificationEmail?: string;
  /** E.164 phone number; when undefined, no SMS subscription is created. */
  readonly notificationSms?: string;
  /** Subscribed to the ops topics the alarms publish to; when undefined, no email subscription. */
  readonly alarmEmail?: string;
  /** E.164 phone number texted by the ops topics; when undefined, no SMS subscription. */
  readonly alarmSms?: string;
  /** When undefined, bucket names end in a suffix Terraform makes unique. */
  readonly bucketSuffix?: string;
  readonly lowStockThreshold: number;
  /** Extra sign-in callback URLs of the dashboard's app client; its own is always there. */
  readonly callbackUrls: string[];
  /** Extra sign-out URLs of the dashboard's app client; its own is always there. */
  readonly logoutUrls: string[];
  /** When undefined, the report pipeline has a user pool of its own. */
  readonly reportUserPoolArn?: string;
  /** When undefined, the report pipeline has an Aurora cluster of its own. */
  readonly reportDatabase?: ExistingDatabase;
  /** When undefined, each stack keeps its state in a local file. */
  readonly stateBucket?: string;
  /** What each pipeline carries: the PIPELINE_SCALE profile and the variables over it. */
  readonly scale: ScaleSettings;
}

/** A MySQL database that already exists, and where the functions that read it run. */
export interface ExistingDatabase {
  readonly endpoint: string;
  readonly port: number;
  /** A Secrets Manager secret holding JSON `username` and `password`. */
  readonly secretArn: string;
  /** Private subnets from which the database (and Secrets Manager) can be reached. */
  readonly subnetIds: string[];
  /** A security group the database admits on its port; the functions run with it. */
  readonly securityGroupId: string;
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_ENVIRONMENT = 'dev';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_LOW_STOCK_THRESHOLD = 5;

// Lowercase so it is valid in every AWS name it prefixes (S3 buckets included);
// short so the longest derived IAM role name stays within IAM's 64 characters.
const ENVIRONMENT_PATTERN = /^[a-z][a-z0-9-]{0,11}$/;
// Commercial, GovCloud, China and ISO partitions: two or three words and a number.
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
// Deliberately simple: one @, no spaces, a dot in the domain. SNS does the real check.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// E.164, the only form SNS accepts for an SMS endpoint: "+", a country code, at most 15 digits in all.
const E164_PATTERN = /^\+[1-9]\d{1,14}$/;
// The longest bucket name here is "<env>-inventory-upload-<suffix>", within S3's 63 characters.
const BUCKET_SUFFIX_PATTERN = /^[a-z0-9][a-z0-9-]{0,22}[a-z0-9]$|^[a-z0-9]$/;
const WHOLE_NUMBER = /^\d{1,9}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]+$/;
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const USER_POOL_ARN = /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[a-z0-9-]+_[A-Za-z0-9]+$/;
// S3's general purpose bucket naming rules, without the dots S3 allows: AWS advises against
// them because a dotted name cannot be reached virtual-host style over HTTPS.
const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '--x-s3', '--table-s3'];

type Env = Record<string, string | undefined>;

function isProfile(value: string): value is EnvironmentProfile {
  return value in ENVIRONMENT_RULES;
}

function readVariable(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function loadConfig(env: Env = process.env): PipelineConfig {
  const environment = readVariable(env, 'PIPELINE_ENV') ?? DEFAULT_ENVIRONMENT;
  const profile = readVariable(env, 'PIPELINE_PROFILE') ?? profileFor(environment);
  const region = readVariable(env, 'PIPELINE_REGION') ?? DEFAULT_REGION;
  const notificationEmail = readVariable(env, 'NOTIFICATION_EMAIL');
  const notificationSms = readVariable(env, 'NOTIFICATION_SMS');
  const alarmEmail = readVariable(env, 'ALARM_EMAIL');
  const alarmSms = readVariable(env, 'ALARM_SMS');
  const bucketSuffix = readVariable(env, 'BUCKET_SUFFIX');
  const lowStockThreshold = readVariable(env, 'LOW_STOCK_THRESHOLD') ?? String(DEFAULT_LOW_STOCK_THRESHOLD);
  // None by default: the dashboard's client always has the dashboard's own URLs.
  const callbackUrls = readList(env, 'COGNITO_CALLBACK_URLS') ?? [];
  const logoutUrls = readList(env, 'COGNITO_LOGOUT_URLS') ?? [];
  const reportUserPoolArn = readVariable(env, 'REPORT_USER_POOL_ARN');
  const database = readExistingDatabase(env);
  const stateBucket = readVariable(env, 'STATE_BUCKET');
  const scale = readScaleSettings(env);

  const problems: string[] = [];
  if (!ENVIRONMENT_PATTERN.test(environment)) {
    problems.push(
      `PIPELINE_ENV="${environment}" must be 1-12 characters: a lowercase letter, then lowercase letters, digits or hyphens (e.g. "dev", "prod").`,
    );
  }
  if (!isProfile(profile)) {
    problems.push(`PIPELINE_PROFILE="${profile}" must be "development" or "production".`);
  }
  if (!REGION_PATTERN.test(region)) {
    problems.push(`PIPELINE_REGION="${region}" is not an AWS region name (e.g. "us-east-1", "eu-west-2").`);
  }
  if (notificationEmail !== undefined && !EMAIL_PATTERN.test(notificationEmail)) {
    problems.push(`NOTIFICATION_EMAIL="${notificationEmail}" is not an email address (e.g. "ops@example.com").`);
  }
  if (notificationSms !== undefined && !E164_PATTERN.test(notificationSms)) {
    problems.push(
      `NOTIFICATION_SMS="${notificationSms}" is not a phone number in E.164 form: "+", the country code and the number, digits only, no spaces (e.g. "+14155550100").`,
    );
  }
  if (alarmEmail !== undefined && !EMAIL_PATTERN.test(alarmEmail)) {
    problems.push(`ALARM_EMAIL="${alarmEmail}" is not an email address (e.g. "ops@example.com").`);
  }
  if (isProfile(profile) && ENVIRONMENT_RULES[profile].requireAlarmAddress && alarmEmail === undefined && alarmSms === undefined) {
    problems.push(
      `PIPELINE_ENV="${environment}" is a production environment: set ALARM_EMAIL or ALARM_SMS, so that its alarms reach someone (or PIPELINE_PROFILE=development for a trial).`,
    );
  }
  if (alarmSms !== undefined && !E164_PATTERN.test(alarmSms)) {
    problems.push(
      `ALARM_SMS="${alarmSms}" is not a phone number in E.164 form: "+", the country code and the number, digits only, no spaces (e.g. "+14155550100").`,
    );
  }
  if (bucketSuffix !== undefined && !BUCKET_SUFFIX_PATTERN.test(bucketSuffix)) {
    problems.push(
      `BUCKET_SUFFIX="${bucketSuffix}" must be 1-24 lowercase letters, digits or hyphens, starting and ending with a letter or digit (e.g. "jane-doe").`,
    );
  }
  if (!WHOLE_NUMBER.test(lowStockThreshold)) {
    problems.push(`LOW_STOCK_THRESHOLD="${lowStockThreshold}" must be a whole number of 0 or more (e.g. "5").`);
  }
  if (reportUserPoolArn !== undefined && !USER_POOL_ARN.test(reportUserPoolArn)) {
    problems.push(
      `REPORT_USER_POOL_ARN="${reportUserPoolArn}" is not a Cognito user pool ARN (e.g. "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123").`,
    );
  }
  if (stateBucket !== undefined) problems.push(...stateBucketProblems(stateBucket));
  if (database.problems.length > 0) problems.push(...database.problems);
  problems.push(...scale.problems);
  problems.push(...redirectUrlProblems('COGNITO_CALLBACK_URLS', callbackUrls), ...redirectUrlProblems('COGNITO_LOGOUT_URLS', logoutUrls));
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    environment,
    profile: profile as EnvironmentProfile,
    region,
    notificationEmail,
    notificationSms,
    alarmEmail,
    alarmSms,
    bucketSuffix,
    lowStockThreshold: Number(lowStockThreshold),
    callbackUrls,
    logoutUrls,
    reportUserPoolArn,
    reportDatabase: database.value,
    stateBucket,
    scale: scale.value,
  };
}

function stateBucketProblems(name: string): string[] {
  if (!BUCKET_NAME_PATTERN.test(name)) {
    return [
      `STATE_BUCKET="${name}" is not an S3 bucket name this project can use: 3-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit, no dots (e.g. "acme-pipelines-tfstate").`,
    ];
  }
  const reserved = [...RESERVED_BUCKET_PREFIXES.filter((prefix) => name.startsWith(prefix)), ...RESERVED_BUCKET_SUFFIXES.filter((suffix) => name.endsWith(suffix))];
  if (reserved.length > 0) return [`STATE_BUCKET="${name}" uses "${reserved[0]}", which S3 reserves in bucket names.`];
  return [];
}

const DATABASE_VARIABLES = ['REPORT_DB_ENDPOINT', 'REPORT_DB_SECRET_ARN', 'REPORT_DB_SUBNET_IDS', 'REPORT_DB_SECURITY_GROUP_ID'] as const;

/** All four variables, or none: half an existing database would deploy a pipeline that cannot connect. */
function readExistingDatabase(env: Env): { value?: ExistingDatabase; problems: string[] } {
  const set = DATABASE_VARIABLES.filter((name) => readVariable(env, name) !== undefined);
  const port = readVariable(env, 'REPORT_DB_PORT');
  if (set.length === 0) {
    return { problems: port === undefined ? [] : ['REPORT_DB_PORT is set without REPORT_DB_ENDPOINT and the other REPORT_DB_* variables.'] };
  }
  const problems: string[] = [];
  const missing = DATABASE_VARIABLES.filter((name) => !set.includes(name));
  if (missing.length > 0) problems.push(`An existing database needs all of ${DATABASE_VARIABLES.join(', ')}; missing: ${missing.join(', ')}.`);
  const endpoint = readVariable(env, 'REPORT_DB_ENDPOINT') ?? '';
  const secretArn = readVariable(env, 'REPORT_DB_SECRET_ARN') ?? '';
  const subnetIds = readList(env, 'REPORT_DB_SUBNET_IDS') ?? [];
  const securityGroupId = readVariable(env, 'REPORT_DB_SECURITY_GROUP_ID') ?? '';
  if (endpoint !== '' && !HOST_NAME.test(endpoint)) problems.push(`REPORT_DB_ENDPOINT="${endpoint}" is not a host name (e.g. "coffee.cluster-abc.us-east-1.rds.amazonaws.com").`);
  if (secretArn !== '' && !SECRET_ARN.test(secretArn)) problems.push(`REPORT_DB_SECRET_ARN="${secretArn}" is not a Secrets Manager secret ARN.`);
  if (subnetIds.some((id) => !/^subnet-[0-9a-f]+$/.test(id))) problems.push(`REPORT_DB_SUBNET_IDS must be comma-separated subnet ids (e.g. "subnet-0abc,subnet-0def").`);
  if (securityGroupId !== '' && !/^sg-[0-9a-f]+$/.test(securityGroupId)) problems.push(`REPORT_DB_SECURITY_GROUP_ID="${securityGroupId}" is not a security group id (e.g. "sg-0abc").`);
  if (port !== undefined && !/^\d{1,5}$/.test(port)) problems.push(`REPORT_DB_PORT="${port}" is not a port number.`);
  if (problems.length > 0) return { problems };
  return { value: { endpoint, port: Number(port ?? 3306), secretArn, subnetIds, securityGroupId }, problems };
}

function readList(env: Env, name: string): string[] | undefined {
  const items = readVariable(env, name)
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items && items.length > 0 ? items : undefined;
}

/** Cognito's rules for redirect URLs: absolute, https (plain http for localhost only), no fragment. */
function redirectUrlProblems(name: string, urls: string[]): string[] {
  return urls.flatMap((text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return [`${name}: "${text}" is not an absolute URL (e.g. "https://dashboard.example.com/callback").`];
    }
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
      return [`${name}: "${text}" must use https (plain http is allowed for localhost only).`];
    }
    if (url.hash !== '') return [`${name}: "${text}" must not contain a fragment (#...).`];
    return [];
  });
}

/** What synth tells a person who has not configured an email yet. */
export function configHints(config: PipelineConfig): string[] {
  return [...notificationHints(config), ...alarmHints(config), ...dashboardHints(config)];
}

function notificationHints(config: PipelineConfig): string[] {
  if (config.notificationEmail) return [];
  return [
    'NOTIFICATION_EMAIL is not set: no email subscription is created. ' +
      'Set it to receive notifications, e.g. NOTIFICATION_EMAIL=you@example.com npm run cdktf -- deploy <stack>',
  ];
}

function alarmHints(config: PipelineConfig): string[] {
  if (config.alarmEmail || config.alarmSms) return [];
  return [
    'ALARM_EMAIL is not set: the alarms publish to each pipeline\'s ops topic, which nobody is subscribed to. ' +
      'Set it to be told when something fails, e.g. ALARM_EMAIL=ops@example.com npm run cdktf -- deploy <stack>',
  ];
}

// CloudFront publishes its metrics in us-east-1 only, and an alarm watches its own region's.
function dashboardHints(config: PipelineConfig): string[] {
  if (config.region === 'us-east-1') return [];
  return [
    `PIPELINE_REGION is ${config.region}: the dashboard's CloudFront distribution has no 5xx alarm, since CloudFront ` +
      'publishes its metrics in us-east-1 only (its CloudWatch dashboard still shows them).',
  ];
}
