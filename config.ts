/**
 * Deployment configuration, read from environment variables so that a bare
 * `cdktf synth` works with zero configuration and CI can override anything.
 *
 * | variable            | default     | meaning                                                        |
 * |---------------------|-------------|----------------------------------------------------------------|
 * | PIPELINE_ENV        | `dev`       | environment name, prefixed to every resource name              |
 * | PIPELINE_REGION     | `us-east-1` | AWS region the stacks deploy to (the labs use us-east-1)      |
 * | NOTIFICATION_EMAIL  | (none)      | address subscribed to the pipelines' SNS topics; none = no subscription |
 */

export interface PipelineConfig {
  /** Prefix for every resource name, so several environments can share one account. */
  readonly environment: string;
  readonly region: string;
  /** When undefined, no email subscription is created. */
  readonly notificationEmail?: string;
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_ENVIRONMENT = 'dev';
export const DEFAULT_REGION = 'us-east-1';

// Lowercase so it is valid in every AWS name it prefixes (S3 buckets included);
// short so the longest derived IAM role name stays within IAM's 64 characters.
const ENVIRONMENT_PATTERN = /^[a-z][a-z0-9-]{0,11}$/;
// Commercial, GovCloud, China and ISO partitions: two or three words and a number.
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
// Deliberately simple: one @, no spaces, a dot in the domain. SNS does the real check.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Env = Record<string, string | undefined>;

function readVariable(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function loadConfig(env: Env = process.env): PipelineConfig {
  const environment = readVariable(env, 'PIPELINE_ENV') ?? DEFAULT_ENVIRONMENT;
  const region = readVariable(env, 'PIPELINE_REGION') ?? DEFAULT_REGION;
  const notificationEmail = readVariable(env, 'NOTIFICATION_EMAIL');

  const problems: string[] = [];
  if (!ENVIRONMENT_PATTERN.test(environment)) {
    problems.push(
      `PIPELINE_ENV="${environment}" must be 1-12 characters: a lowercase letter, then lowercase letters, digits or hyphens (e.g. "dev", "prod").`,
    );
  }
  if (!REGION_PATTERN.test(region)) {
    problems.push(`PIPELINE_REGION="${region}" is not an AWS region name (e.g. "us-east-1", "eu-west-2").`);
  }
  if (notificationEmail !== undefined && !EMAIL_PATTERN.test(notificationEmail)) {
    problems.push(`NOTIFICATION_EMAIL="${notificationEmail}" is not an email address (e.g. "ops@example.com").`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return { environment, region, notificationEmail };
}

/** What synth tells a person who has not configured an email yet. */
export function configHints(config: PipelineConfig): string[] {
  if (config.notificationEmail) return [];
  return [
    'NOTIFICATION_EMAIL is not set: no email subscription is created. ' +
      'Set it to receive notifications, e.g. NOTIFICATION_EMAIL=you@example.com npx cdktf deploy orders-pipeline',
  ];
}
