import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ResourceConfig, SynthesizedStack } from '../../local/stack/synthesized-stack';
import { FAKE_ACCOUNT, fakeAwsAttributes } from './fake-aws';

interface NamedPolicy {
  name: string;
  policy: { Version: string; Statement: unknown[] };
}

/** AWS-managed policies the labs attach, as AWS publishes them. */
const AWS_MANAGED_POLICIES: Record<string, NamedPolicy['policy']> = {
  AmazonAPIGatewayPushToCloudWatchLogs: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:DescribeLogGroups',
          'logs:DescribeLogStreams',
          'logs:PutLogEvents',
          'logs:GetLogEvents',
          'logs:FilterLogEvents',
        ],
        Resource: '*',
      },
    ],
  },
};

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** One request to simulate: an action on a resource ARN. */
export type Case = [action: string, resource: string];

/**
 * Simulates requests made by the roles of a synthesized stack, with every policy
 * document taken from the synthesized JSON and its references resolved to fake ARNs.
 */
export class StackIam {
  private readonly attributes;

  constructor(
    readonly stack: SynthesizedStack,
    readonly region: string,
  ) {
    this.attributes = fakeAwsAttributes(region);
  }

  resolve(value: string): string {
    return this.stack.resolve(value, this.attributes);
  }

  /** The fake ARN of `<type>.<name>.<attribute>` for the resource whose `name` is given. */
  arnOf(type: string, resourceName: string, attribute = 'arn', nameAttribute = 'name'): string {
    const terraformName = this.stack.findName(type, nameAttribute, resourceName);
    return this.resolve(`\${${type}.${terraformName}.${attribute}}`);
  }

  roleArn(roleName: string): string {
    return this.arnOf('aws_iam_role', roleName);
  }

  /** Every identity policy of the role: inline, customer-managed and AWS-managed. */
  identityPolicies(roleName: string): NamedPolicy[] {
    const ofRole = (config: ResourceConfig) => this.resolve(String(config.role)) === roleName;
    const inline = Object.values(this.stack.resources('aws_iam_role_policy'))
      .filter(ofRole)
      .map((config) => ({ name: String(config.name), policy: this.parsePolicy(String(config.policy)) }));
    const attached = Object.values(this.stack.resources('aws_iam_role_policy_attachment'))
      .filter(ofRole)
      .map((config) => this.attachedPolicy(String(config.policy_arn)));
    return [...inline, ...attached];
  }

  /** The customer-managed policy with this name, as a document. */
  managedPolicy(policyName: string): NamedPolicy['policy'] {
    const name = this.stack.findName('aws_iam_policy', 'name', policyName);
    return this.parsePolicy(String(this.stack.resource('aws_iam_policy', name).policy));
  }

  /** The resource policy of the queue, topic or bucket with this ARN. */
  resourcePolicy(type: 'aws_sqs_queue_policy' | 'aws_sns_topic_policy' | 'aws_s3_bucket_policy', resourceArn: string): NamedPolicy['policy'] {
    // Each policy names its resource its own way: a queue by URL, a topic by ARN, a bucket by name.
    const key = { aws_sqs_queue_policy: 'queue_url', aws_sns_topic_policy: 'arn', aws_s3_bucket_policy: 'bucket' }[type];
    const lastPart = resourceArn.split(':').pop();
    const matches = Object.values(this.stack.resources(type)).filter((config) => {
      const target = this.resolve(String(config[key]));
      return target === resourceArn || target === lastPart || target.endsWith(`/${lastPart}`);
    });
    if (matches.length !== 1) throw new Error(`Expected one ${type} for ${resourceArn}, found ${matches.length}`);
    return this.parsePolicy(String(matches[0].policy));
  }

  async decide(
    roleName: string,
    action: string,
    resource: string,
    options: { resourcePolicy?: NamedPolicy['policy']; context?: Record<string, string> } = {},
  ): Promise<Decision> {
    const response = await runSimulation(
      {
        request: {
          principal: this.roleArn(roleName),
          action,
          resource: { resource, accountId: FAKE_ACCOUNT },
          contextVariables: { 'aws:SecureTransport': 'true', ...options.context },
        },
        identityPolicies: this.identityPolicies(roleName),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: options.resourcePolicy,
      },
      {},
    );
    if (response.resultType === 'error') {
      throw new Error(`Simulation of ${action} on ${resource} failed: ${JSON.stringify(response.errors)}`);
    }
    return response.overallResult as Decision;
  }

  /**
   * Simulates every case for the role and expects the same decision for all; a failure
   * lists each case with its decision, so one run shows every wrong one.
   */
  async expectDecisions(roleName: string, cases: Case[], expected: Decision): Promise<void> {
    const decisions = await Promise.all(cases.map(([action, resource]) => this.decide(roleName, action, resource)));
    expect(cases.map(([action, resource], i) => `${action} ${resource} -> ${decisions[i]}`)).toEqual(
      cases.map(([action, resource]) => `${action} ${resource} -> ${expected}`),
    );
  }

  private attachedPolicy(policyArn: string): NamedPolicy {
    const awsManaged = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(policyArn);
    if (awsManaged) {
      const policy = AWS_MANAGED_POLICIES[awsManaged[1]];
      if (!policy) throw new Error(`Unknown AWS-managed policy ${policyArn}: add its document to iam.ts`);
      return { name: awsManaged[1], policy };
    }
    const reference = /^\$\{aws_iam_policy\.([^.]+)\.arn\}$/.exec(policyArn);
    if (!reference) throw new Error(`Unexpected policy_arn ${policyArn}`);
    const config = this.stack.resource('aws_iam_policy', reference[1]);
    return { name: String(config.name), policy: this.parsePolicy(String(config.policy)) };
  }

  private parsePolicy(text: string): NamedPolicy['policy'] {
    return JSON.parse(this.resolve(text));
  }
}
