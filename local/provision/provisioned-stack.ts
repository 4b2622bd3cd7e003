/**
 * What the local runtime created for a synthesized stack, by Terraform name, and the
 * values Terraform would know only after apply (ARNs, URLs, ids), resolved to what was
 * created here. Resource types the runtime runs rather than creates (functions, state
 * machines, user pools, API Gateway) get ARNs and ids in AWS's own shapes.
 */
import { createHash } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from '../emulators/local-account';
import { functionArn } from '../lambda/function-arn';
import { REMOTE_STATE, type ResourceConfig, type SynthesizedStack } from '../stack/synthesized-stack';

/**
 * The value of another stack's output that this stack reads through
 * `data.terraform_remote_state.<stateName>` (see local/provision/cross-stack-outputs.ts).
 */
export type RemoteOutputs = (stateName: string, output: string) => string;

export interface LocalTable {
  readonly name: string;
  readonly arn: string;
  /** Absent when the table has no stream. */
  readonly streamArn?: string;
}

export interface LocalQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly visibilityTimeoutSeconds: number;
  /** From the queue's redrive policy: receives before the queue moves a message to its DLQ. */
  readonly maxReceiveCount?: number;
  readonly deadLetterQueueArn?: string;
}

export interface LocalBucket {
  readonly name: string;
  readonly arn: string;
}

/** An Aurora cluster of the stack, served locally by MariaDB. */
export interface LocalDatabase {
  readonly identifier: string;
  readonly host: string;
  readonly port: number;
  /** The local secret holding the master login, as RDS keeps it. */
  readonly secretArn: string;
}

export interface LocalTopic {
  readonly name: string;
  readonly arn: string;
  /** Addresses the stack subscribes by email; locally their mail is captured instead. */
  readonly emailSubscribers: readonly string[];
  /** Phone numbers the stack subscribes by SMS; locally their texts are captured instead. */
  readonly smsSubscribers: readonly string[];
}

export class ProvisionedStack {
  readonly tables = new Map<string, LocalTable>();
  readonly queues = new Map<string, LocalQueue>();
  readonly topics = new Map<string, LocalTopic>();
  readonly buckets = new Map<string, LocalBucket>();
  readonly databases = new Map<string, LocalDatabase>();
  /** Runtime-supplied attributes, e.g. the local API URL for a stage's invoke_url. */
  private readonly extraAttributes = new Map<string, string>();

  constructor(
    readonly stack: SynthesizedStack,
    readonly region: string,
    /** How this stack's cross-stack references are read; without it they fail by name. */
    private readonly remoteOutputs?: RemoteOutputs,
  ) {}

  /** Resolves every `${...}` in a synthesized string to its local value. */
  resolve(value: string): string {
    return this.stack.resolve(value, (type, name, attribute, config) => this.attributeOf(type, name, attribute, config));
  }

  setAttribute(type: string, name: string, attribute: string, value: string): void {
    this.extraAttributes.set(`${type}.${name}.${attribute}`, value);
  }

  queueByArn(arn: string): LocalQueue {
    const queue = [...this.queues.values()].find((candidate) => candidate.arn === arn);
    if (!queue) throw new Error(`No local queue has the ARN ${arn}`);
    return queue;
  }

  queueByName(name: string): LocalQueue {
    const queue = [...this.queues.values()].find((candidate) => candidate.name === name);
    if (!queue) throw new Error(`The stack has no queue named ${name}`);
    return queue;
  }

  private attributeOf(type: string, name: string, attribute: string, config: ResourceConfig): string {
    const key = `${type}.${name}.${attribute}`;
    const extra = this.extraAttributes.get(key);
    if (extra !== undefined) return extra;
    if (type === REMOTE_STATE) return this.remoteOutput(name, attribute.slice('outputs.'.length));
    const value = this.knownAttribute(type, name, attribute, config);
    if (value === undefined) {
      throw new Error(`The local runtime cannot resolve \${${key}}: add it to local/provision/provisioned-stack.ts`);
    }
    return value;
  }

  private remoteOutput(stateName: string, output: string): string {
    if (!this.remoteOutputs) {
      throw new Error(`The stack reads output ${output} of another stack (data.terraform_remote_state.${stateName}); run it with the synthesized app it belongs to.`);
    }
    return this.remoteOutputs(stateName, output);
  }

  private knownAttribute(type: string, name: string, attribute: string, config: ResourceConfig): string | undefined {
    const arn = (service: string, resource: string) => `arn:aws:${service}:${this.region}:${LOCAL_ACCOUNT_ID}:${resource}`;
    switch (type) {
      case 'aws_dynamodb_table': {
        const table = this.tables.get(name);
        return { arn: table?.arn, stream_arn: table?.streamArn, id: table?.name }[attribute];
      }
      case 'aws_sqs_queue': {
        const queue = this.queues.get(name);
        return { arn: queue?.arn, url: queue?.url, id: queue?.url }[attribute];
      }
      case 'aws_sns_topic': {
        const topic = this.topics.get(name);
        return { arn: topic?.arn, id: topic?.arn }[attribute];
      }
      case 'aws_rds_cluster': {
        const database = this.databases.get(name);
        return {
          endpoint: database?.host,
          port: database === undefined ? undefined : String(database.port),
          'master_user_secret[0].secret_arn': database?.secretArn,
          id: database?.identifier,
          arn: database === undefined ? undefined : arn('rds', `cluster:${database.identifier}`),
        }[attribute];
      }
      case 'aws_sfn_state_machine': {
        const stateMachineArn = arn('states', `stateMachine:${String(config.name)}`);
        return { arn: stateMachineArn, id: stateMachineArn, name: String(config.name) }[attribute];
      }
      case 'aws_cognito_user_pool': {
        // Ids in Cognito's own shape, so that an authorizer names the pool as in AWS.
        const id = `${this.region}_Local${name.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}`;
        return { id, arn: arn('cognito-idp', `userpool/${id}`) }[attribute];
      }
      case 'aws_cloudfront_distribution': {
        // In CloudFront's shapes; locally https://<domain_name> is the local CloudFront (local/cloudfront/aws-url-map.ts).
        const id = `E${name.replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 13)}`;
        return { id, domain_name: `d${name.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 13)}.cloudfront.net`, arn: `arn:aws:cloudfront::${LOCAL_ACCOUNT_ID}:distribution/${id}` }[attribute];
      }
      case 'aws_cognito_user_pool_client':
        return { id: `local-client-${name.replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}` }[attribute];
      case 'aws_s3_bucket': {
        const bucket = this.buckets.get(name);
        return { arn: bucket?.arn, id: bucket?.name, bucket: bucket?.name }[attribute];
      }
      case 'aws_lambda_function': {
        const functionName = String(config.function_name);
        const unqualified = functionArn(functionName, this.region);
        return {
          arn: unqualified,
          qualified_arn: `${unqualified}:$LATEST`,
          id: functionName,
          function_name: functionName,
          // What an AWS_PROXY integration or a Lambda authorizer names as its uri.
          invoke_arn: `arn:aws:apigateway:${this.region}:lambda:path/2015-03-31/functions/${unqualified}/invocations`,
        }[attribute];
      }
      case 'aws_api_gateway_rest_api': {
        // An id in API Gateway's shape (10 lower-case letters and digits), so that execute-api
        // ARNs (a Lambda permission's source_arn) read as in AWS.
        const id = createHash('sha256').update(name).digest('hex').slice(0, 10);
        return { id, root_resource_id: `${name}.root_resource_id`, execution_arn: arn('execute-api', id) }[attribute];
      }
      case 'aws_iam_role':
        return { arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${String(config.name)}`, id: String(config.name) }[attribute];
      case 'aws_cloudwatch_log_group':
        return { arn: arn('logs', `log-group:${String(config.name)}`) }[attribute];
      default:
        // API Gateway ids only tie its resources together; the Terraform name serves.
        if (type.startsWith('aws_api_gateway_') && (attribute === 'id' || attribute === 'root_resource_id')) {
          return `${name}.${attribute}`;
        }
        return undefined;
    }
  }
}
