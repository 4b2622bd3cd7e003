import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { ArchiveProvider } from '@cdktf/provider-archive/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { PipelineConfig } from '../config';
import { ENVIRONMENT_RULES } from '../constructs/environment-rules';
import { OpsAlarms } from '../constructs/ops-alarms';
import { setEnvironmentRules } from '../constructs/stack-environment';
import { keepState } from './state-storage';

/**
 * What every stack of this project shares: the AWS provider for the configured region
 * with tags that say who owns each resource, the archive provider that zips function
 * bundles, and state kept per environment (in STATE_BUCKET when one is configured).
 */
export abstract class PipelineStack extends TerraformStack {
  protected readonly config: PipelineConfig;

  constructor(scope: Construct, id: string, config: PipelineConfig, options: { perEnvironment?: boolean; alwaysLocalState?: boolean } = {}) {
    super(scope, id);
    this.config = config;
    setEnvironmentRules(this, ENVIRONMENT_RULES[config.profile]);
    const perEnvironment = options.perEnvironment ?? true;
    keepState(this, config, { stackId: id, environment: perEnvironment ? config.environment : undefined, alwaysLocal: options.alwaysLocalState });

    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [
        {
          tags: {
            Project: 'serverless-pipelines',
            Stack: id,
            ...(perEnvironment ? { Environment: config.environment } : {}),
            ManagedBy: 'cdktf',
          },
        },
      ],
    });
    new ArchiveProvider(this, 'archive');

    // Before any resource: each construct asks the stack's OpsAlarms to watch what it makes.
    new OpsAlarms(this, {
      topicName: this.resourceName(`${id}-ops`),
      alarmNamePrefix: `${config.environment}/${id}/`,
      email: config.alarmEmail,
      sms: config.alarmSms,
    });
  }

  /** The lab's resource name, prefixed by environment: `POC-Queue` -> `dev-POC-Queue`. */
  protected resourceName(labName: string): string {
    return `${this.config.environment}-${labName}`;
  }
}
